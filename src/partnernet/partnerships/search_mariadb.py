"""The registry's full-text index on MariaDB (10.11 and later): an InnoDB table kept by triggers like the
SQLite and PostgreSQL indexes (``search.py``), read by word-boundary matching.

``partnerships_search(rowid, title, names, description, document)`` holds each partnership's title, the
names of its lead and partners, its description, and all three in ``document``, each *normalised* by the
triggers: every run of characters that are not letters, digits or combining marks becomes one space, with a
space at both ends. A word then matches as ``LIKE '% word %'``, a prefix as ``'% word%'``, a phrase as
``'% two words %'``; the ``utf8mb4_unicode_ci`` collation folds case and diacritics like the other engines,
and no stop-word list or minimum word length applies (titles come in every language). Relevance weighs a
term found in the title 10, in the names 4, in the description 1, like SQLite's BM25 weights.

Why not InnoDB's FULLTEXT index: it sees only committed rows (a search inside the transaction that wrote a
partnership would miss it), drops words shorter than three characters and applies an English stop-word
list. Matching scans the index table, which is quick at the registry's scale (a scan of 100,000 rows of
short text takes well under a second).
"""
# ruff: noqa: S608
# Statements are assembled from this module's constants; the search terms are always parameters.

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from partnernet.core.search import Term, TextQuery
from partnernet.partnerships.search_triggers import TABLE

_NOT_WORD = "'[^\\\\p{{L}}\\\\p{{N}}\\\\p{{M}}]+'"
"""A run of characters that are not letters, digits or marks (a MariaDB string: each backslash doubled)."""
_WORDS = "CONCAT(' ', TRIM(REGEXP_REPLACE(COALESCE({text}, ''), " + _NOT_WORD + ", ' ')), ' ')"
"""A text as the index keeps it: words separated by single spaces, a space at both ends."""
_NAMES = (
    "CONCAT_WS(' ', e.name, (SELECT GROUP_CONCAT(pa.name SEPARATOR ' ') "
    "FROM partnerships_partnership_partners pp JOIN directory_partner pa ON pa.id = pp.partner_id "
    "WHERE pp.partnership_id = p.id))"
)
_ROWS = (
    "SELECT p.id, "
    + ", ".join(
        _WORDS.format(text=text)
        for text in ("p.title", _NAMES, "p.description", f"CONCAT_WS(' ', p.title, {_NAMES}, p.description)")
    )
    + " FROM partnerships_partnership p LEFT JOIN directory_entity e ON e.id = p.lead_id"
)


def _refresh(where: str) -> str:
    return f"REPLACE INTO {TABLE} (rowid, title, names, description, document) {_ROWS} WHERE {where}"


CREATE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (rowid bigint NOT NULL PRIMARY KEY, title longtext NOT NULL, "
    "names longtext NOT NULL, description longtext NOT NULL, document longtext NOT NULL) "
    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"
)
TRIGGERS = {
    "partnerships_search_insert": (
        "AFTER INSERT ON partnerships_partnership FOR EACH ROW " + _refresh("p.id = NEW.id")
    ),
    "partnerships_search_update": (
        "AFTER UPDATE ON partnerships_partnership FOR EACH ROW " + _refresh("p.id = NEW.id")
    ),
    "partnerships_search_delete": (
        f"AFTER DELETE ON partnerships_partnership FOR EACH ROW DELETE FROM {TABLE} WHERE rowid = OLD.id"
    ),
    "partnerships_search_partner_linked": (
        "AFTER INSERT ON partnerships_partnership_partners FOR EACH ROW "
        + _refresh("p.id = NEW.partnership_id")
    ),
    "partnerships_search_partner_unlinked": (
        "AFTER DELETE ON partnerships_partnership_partners FOR EACH ROW "
        + _refresh("p.id = OLD.partnership_id")
    ),
    "partnerships_search_partner_renamed": (
        "AFTER UPDATE ON directory_partner FOR EACH ROW "
        + _refresh(
            "p.id IN (SELECT pp.partnership_id FROM partnerships_partnership_partners pp "
            "WHERE pp.partner_id = NEW.id)"
        )
    ),
    "partnerships_search_lead_renamed": (
        "AFTER UPDATE ON directory_entity FOR EACH ROW " + _refresh("p.lead_id = NEW.id")
    ),
}


def _execute(connection: BaseDatabaseWrapper, *statements: str) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _triggers(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
            "WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE 'partnerships_search_%%'"
        )
        return {row[0] for row in cursor.fetchall()}


def ensure(connection: BaseDatabaseWrapper, table_exists: bool) -> bool:
    """Make the table and any missing trigger; True when something was missing (then refill)."""
    missing = set(TRIGGERS) - _triggers(connection)
    if not missing and table_exists:
        return False
    _execute(connection, CREATE)
    _execute(connection, *(f"CREATE TRIGGER {name} {TRIGGERS[name]}" for name in sorted(missing)))
    return True


def rebuild(connection: BaseDatabaseWrapper) -> None:
    _execute(connection, f"DELETE FROM {TABLE}", _refresh("1 = 1"))


def drop(connection: BaseDatabaseWrapper) -> None:
    _execute(
        connection,
        *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
        f"DROP TABLE IF EXISTS {TABLE}",
    )


def _pattern(term: Term) -> str:
    """The ``LIKE`` pattern of a term over normalised text (words carry only letters, digits and marks)."""
    return "% " + " ".join(term.words) + ("%" if term.prefix else " %")


def matches(alias: str, query: TextQuery) -> tuple[str, tuple[Any, ...]]:
    """A WHERE condition: every term of ``query`` is in the row of ``alias`` (the joined search table)."""
    if not query.terms:
        return "(1 = 0)", ()
    conditions = [f"{alias}.document LIKE %s" for _ in query.terms]
    return "(" + " AND ".join(conditions) + ")", tuple(_pattern(term) for term in query.terms)


def relevance(alias: str, query: TextQuery) -> tuple[str, tuple[Any, ...]]:
    """Per term: 10 when the title has it, 4 the names, 1 the description (summed)."""
    parts: list[str] = []
    params: list[Any] = []
    for term in query.terms:
        pattern = _pattern(term)
        parts.append(
            f"(10 * ({alias}.title LIKE %s) + 4 * ({alias}.names LIKE %s) + ({alias}.description LIKE %s))"
        )
        params += [pattern, pattern, pattern]
    return "(" + (" + ".join(parts) or "0") + ")", tuple(params)
