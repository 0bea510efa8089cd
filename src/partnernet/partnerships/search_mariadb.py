"""The registry's full-text index on MariaDB (10.11 and later): an InnoDB table with FULLTEXT indexes, kept
by triggers like the SQLite and PostgreSQL indexes (``search.py``).

``partnerships_search(rowid, title, names, description, document)`` holds each partnership's title, the
names of its lead and partners, its description, and all three in ``document``. The FULLTEXT indexes are
made with stop words off (titles come in every language; an English stop-word list would drop words of
others), and the ``utf8mb4_unicode_ci`` collation folds case and diacritics like the other engines. InnoDB
does not index words shorter than ``innodb_ft_min_token_size`` (3 by default), so a term with a shorter
word is matched with ``LIKE`` on ``document`` instead; every other term must match in boolean mode.
Relevance is the FULLTEXT score of ``document`` plus twice that of ``title``.
"""
# ruff: noqa: S608
# Statements are assembled from this module's constants; the search terms are always parameters.

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from partnernet.core.search import Term, TextQuery
from partnernet.partnerships.search_triggers import TABLE

MIN_TOKEN = 3
"""InnoDB's default ``innodb_ft_min_token_size``: shorter words are not in the index."""

_NAMES = (
    "CONCAT_WS(' ', e.name, (SELECT GROUP_CONCAT(pa.name SEPARATOR ' ') "
    "FROM partnerships_partnership_partners pp JOIN directory_partner pa ON pa.id = pp.partner_id "
    "WHERE pp.partnership_id = p.id))"
)
_ROWS = (
    f"SELECT p.id, p.title, {_NAMES}, p.description, CONCAT_WS(' ', p.title, {_NAMES}, p.description) "
    "FROM partnerships_partnership p LEFT JOIN directory_entity e ON e.id = p.lead_id"
)


def _refresh(where: str) -> str:
    return f"REPLACE INTO {TABLE} (rowid, title, names, description, document) {_ROWS} WHERE {where}"


CREATE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (rowid bigint NOT NULL PRIMARY KEY, title longtext NOT NULL, "
    "names longtext NOT NULL, description longtext NOT NULL, document longtext NOT NULL, "
    f"FULLTEXT KEY {TABLE}_document (document), FULLTEXT KEY {TABLE}_title (title)) "
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
    # Stop words are bound to a FULLTEXT index when it is made: make it without them.
    _execute(connection, "SET SESSION innodb_ft_enable_stopword = 0", CREATE)
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


def _indexed(term: Term) -> bool:
    return all(len(word) >= MIN_TOKEN for word in term.words)


def _boolean(terms: list[Term]) -> str:
    """Boolean-mode syntax: every term required; words hold only letters, digits and marks."""
    parts = []
    for term in terms:
        if len(term.words) > 1:
            parts.append('+"' + " ".join(term.words) + '"')
        else:
            parts.append("+" + term.words[0] + ("*" if term.prefix else ""))
    return " ".join(parts)


def matches(alias: str, query: TextQuery) -> tuple[str, tuple[Any, ...]]:
    """A WHERE condition: every term of ``query`` is in the row of ``alias`` (the joined search table)."""
    indexed = [term for term in query.terms if _indexed(term)]
    conditions: list[str] = []
    params: list[Any] = []
    if indexed:
        conditions.append(f"MATCH({alias}.document) AGAINST (%s IN BOOLEAN MODE)")
        params.append(_boolean(indexed))
    for term in query.terms:
        if not _indexed(term):
            conditions.append(f"{alias}.document LIKE %s")
            params.append("%" + " ".join(term.words) + "%")
    return "(" + " AND ".join(conditions or ["1 = 1"]) + ")", tuple(params)


def relevance(alias: str, query: TextQuery) -> tuple[str, tuple[Any, ...]]:
    indexed = [term for term in query.terms if _indexed(term)]
    if not indexed:
        return "0.0", ()
    against = _boolean(indexed)
    return (
        f"(MATCH({alias}.document) AGAINST (%s IN BOOLEAN MODE) "
        f"+ 2 * MATCH({alias}.title) AGAINST (%s IN BOOLEAN MODE))",
        (against, against),
    )
