"""The SQL that keeps the registry's search index in step with every write: SQLite's FTS5 triggers and
PostgreSQL's functions and triggers (``search.py`` installs them and reads the index; MariaDB's are in
``search_mariadb.py``)."""
# ruff: noqa: S608
# Every statement here is assembled from this module's own constants; no value from outside reaches them.

from __future__ import annotations

from collections.abc import Callable

TABLE = "partnerships_search"
TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
PG_CONFIG = "partnernet_search"

_SQLITE_NAMES = (
    "coalesce((SELECT e.name FROM partnerships_partnership p JOIN directory_entity e ON e.id = p.lead_id "
    "WHERE p.id = {pid}), '') || ' ' || coalesce((SELECT group_concat(pa.name, ' ') "
    "FROM partnerships_partnership_partners pp JOIN directory_partner pa ON pa.id = pp.partner_id "
    "WHERE pp.partnership_id = {pid}), '')"
)


SQLITE_CREATE = f'CREATE {TABLE} USING fts5(title, description, names, tokenize="{TOKENIZER}")'

SAMPLE_SPACE = 1024
"""Buckets a partnership's id is hashed into when a broad search's counts are estimated
(``facets.estimated_facets``)."""


def sample_bucket_sql(column: str, *, escaped: bool = False) -> str:
    """SQL for the bucket (0 to ``SAMPLE_SPACE`` - 1) of the id in ``column``: the top ten bits of the id
    times Knuth's multiplicative constant, modulo 2^32. Every bit of the id moves them, so a sample is not
    one residue class of ids (which numbering by turns, as ``generate`` does, would bias). Integer
    arithmetic on every engine; ``escaped`` doubles the ``%`` for a statement run with parameters."""
    modulo = "%%" if escaped else "%"
    return f"((({column} * 2654435761) {modulo} 4294967296) / 4194304)"


SAMPLE_TABLE = f"{TABLE}_sampled"
"""SQLite: a second FTS5 table holding the partnerships of the first ``SAMPLE_TIER`` buckets only, under
rowids that put them in bucket order (``sample_key_sql``). A broad search's sample is then one range of
rowids in each word's list of hits, which FTS5 seeks to, instead of every hit read and hashed (65 to 100 ms
for a word in every one of a million rows); and its hit count is estimated from a sixteenth of the index."""
SAMPLE_TIER = 64
"""Buckets (of ``SAMPLE_SPACE``) the sample table holds: a sixteenth of the partnerships. A search with more
than ``SAMPLE_SPACE * facets.SAMPLE / SAMPLE_TIER`` (32,768) hits needs no more buckets than this."""
SAMPLE_KEY = 2**40
"""A sample row's rowid is its bucket times this plus the partnership's id (ids stay below it)."""


def sample_key_sql(column: str, *, escaped: bool = False) -> str:
    """SQL for the sample table's rowid of the partnership id in ``column``."""
    return f"({sample_bucket_sql(column, escaped=escaped)} * {SAMPLE_KEY} + {column})"


def sample_id_sql(column: str, *, escaped: bool = False) -> str:
    """SQL for the partnership id of the sample table's rowid in ``column``."""
    modulo = "%%" if escaped else "%"
    return f"({column} {modulo} {SAMPLE_KEY})"


def _in_sample(column: str) -> str:
    return f"{sample_bucket_sql(column)} < {SAMPLE_TIER}"


SAMPLE_CREATE = SQLITE_CREATE.replace(TABLE, SAMPLE_TABLE, 1)
_INDEXED_ID = f"{TABLE}.rowid"
"""Qualified: SQLite checks all triggers when a table is renamed, and a bare ``rowid`` in a subquery fails."""


def sqlite_names(pid: str) -> str:
    return _SQLITE_NAMES.format(pid=pid)


def _fts5_triggers(
    prefix: str,
    table: str,
    key: Callable[[str], str] = str,
    pid_of: Callable[[str], str] = str,
    kept: Callable[[str], str] | None = None,
) -> dict[str, str]:
    """The triggers that keep the FTS5 ``table`` in step with every write, named ``prefix`` + the event.

    ``key`` gives the table's rowid of a partnership id, ``pid_of`` the partnership id of a rowid (both the
    id itself for the index, ``sample_key_sql`` and ``sample_id_sql`` for the sample table), and ``kept``,
    when given, the condition a partnership id must meet to be held in the table (the sample's buckets)."""
    column = f"{table}.rowid"  # qualified: see ``_INDEXED_ID``

    def when(pid: str, changed: str | None = None) -> str:
        held = kept(pid) if kept else None
        if held and changed:
            return f"WHEN {held} AND ({changed}) "
        return f"WHEN {held or changed} " if held or changed else ""

    def refresh(pid: str) -> str:
        return f"UPDATE {table} SET names = {sqlite_names(pid)} WHERE rowid = {key(pid)};"

    changed = (
        "old.title IS NOT new.title OR old.description IS NOT new.description "
        "OR old.lead_id IS NOT new.lead_id"
    )
    return {
        f"{prefix}insert": (
            f"AFTER INSERT ON partnerships_partnership {when('new.id')}BEGIN "
            f"DELETE FROM {table} WHERE rowid = {key('new.id')}; "
            f"INSERT INTO {table}(rowid, title, description, names) "
            f"VALUES ({key('new.id')}, new.title, new.description, {sqlite_names('new.id')}); END"
        ),
        f"{prefix}update": (
            "AFTER UPDATE OF title, description, lead_id ON partnerships_partnership "
            f"{when('new.id', changed)}BEGIN UPDATE {table} SET title = new.title, "
            f"description = new.description, names = {sqlite_names('new.id')} "
            f"WHERE rowid = {key('new.id')}; END"
        ),
        f"{prefix}delete": (
            f"AFTER DELETE ON partnerships_partnership {when('old.id')}BEGIN "
            f"DELETE FROM {table} WHERE rowid = {key('old.id')}; END"
        ),
        f"{prefix}partner_linked": (
            f"AFTER INSERT ON partnerships_partnership_partners {when('new.partnership_id')}BEGIN "
            f"{refresh('new.partnership_id')} END"
        ),
        f"{prefix}partner_unlinked": (
            f"AFTER DELETE ON partnerships_partnership_partners {when('old.partnership_id')}BEGIN "
            f"{refresh('old.partnership_id')} END"
        ),
        f"{prefix}partner_relinked": (
            "AFTER UPDATE ON partnerships_partnership_partners BEGIN "
            f"{refresh('old.partnership_id')} {refresh('new.partnership_id')} END"
        ),
        f"{prefix}partner_renamed": (
            "AFTER UPDATE OF name ON directory_partner WHEN old.name IS NOT new.name BEGIN "
            f"UPDATE {table} SET names = {sqlite_names(pid_of(column))} WHERE {column} IN "
            f"(SELECT {key('partnership_id')} FROM partnerships_partnership_partners "
            "WHERE partner_id = new.id); END"
        ),
        f"{prefix}lead_renamed": (
            "AFTER UPDATE OF name ON directory_entity WHEN old.name IS NOT new.name BEGIN "
            f"UPDATE {table} SET names = {sqlite_names(pid_of(column))} WHERE {column} IN "
            f"(SELECT {key('id')} FROM partnerships_partnership WHERE lead_id = new.id); END"
        ),
    }


SQLITE_TRIGGERS = {
    **_fts5_triggers("partnerships_search_", TABLE),
    # The same writes kept in the sample table, for the rows of its buckets only.
    **_fts5_triggers(
        "partnerships_search_sample_", SAMPLE_TABLE, key=sample_key_sql, pid_of=sample_id_sql, kept=_in_sample
    ),
}

PG_DOCUMENT = (
    "setweight(to_tsvector('{cfg}', {title}), 'A') "
    "|| setweight(to_tsvector('{cfg}', coalesce({lead}, '') || ' ' || coalesce({names}, '')), 'B') "
    "|| setweight(to_tsvector('{cfg}', {description}), 'C')"
)
_PG_PARTNER_NAMES = (
    "SELECT string_agg(pa.name, ' ') FROM partnerships_partnership_partners pp "
    "JOIN directory_partner pa ON pa.id = pp.partner_id WHERE pp.partnership_id = {pid}"
)

PG_FUNCTIONS = [
    # PL/pgSQL rather than SQL functions: it keeps the plans of its statements between calls, which makes a
    # trigger that runs per row several times cheaper.
    f"""CREATE OR REPLACE FUNCTION partnerships_search_document(pid bigint) RETURNS tsvector
    LANGUAGE plpgsql STABLE AS $$
    BEGIN
        RETURN (SELECT {
        PG_DOCUMENT.format(
            cfg=PG_CONFIG,
            title="p.title",
            description="p.description",
            lead="e.name",
            names="(" + _PG_PARTNER_NAMES.format(pid="p.id") + ")",
        )
    }
        FROM partnerships_partnership p LEFT JOIN directory_entity e ON e.id = p.lead_id WHERE p.id = pid);
    END $$""",
    # Rows are indexed a statement at a time (a ``COPY`` of 5,000 partnerships is one refresh), and the
    # refresh is run by ``EXECUTE``, planned afresh for the ids and tables of that statement. A kept plan
    # was made for the tables as they were when the session first wrote: after ``ANALYZE`` of an empty link
    # table it read the whole table for every row written later, and a 50,000-row import took 200 s.
    f"""CREATE OR REPLACE FUNCTION partnerships_search_refresh_many(ids bigint[]) RETURNS void
    LANGUAGE plpgsql VOLATILE AS $$
    BEGIN
        IF cardinality(ids) = 0 THEN
            RETURN;
        END IF;
        EXECUTE $q$DELETE FROM {TABLE} s WHERE s.rowid = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM partnerships_partnership p WHERE p.id = s.rowid)$q$ USING ids;
        EXECUTE $q$INSERT INTO {TABLE}(rowid, document) SELECT p.id, {
        PG_DOCUMENT.format(
            cfg=PG_CONFIG, title="p.title", description="p.description", lead="e.name", names="n.names"
        )
    }
            FROM partnerships_partnership p LEFT JOIN directory_entity e ON e.id = p.lead_id
            LEFT JOIN (SELECT pp.partnership_id, string_agg(pa.name, ' ') AS names
                FROM partnerships_partnership_partners pp JOIN directory_partner pa ON pa.id = pp.partner_id
                WHERE pp.partnership_id = ANY($1) GROUP BY pp.partnership_id) n ON n.partnership_id = p.id
            WHERE p.id = ANY($1)
            ON CONFLICT (rowid) DO UPDATE SET document = EXCLUDED.document$q$ USING ids;
    END $$""",
    """CREATE OR REPLACE FUNCTION partnerships_search_partnerships_added() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM partnerships_search_refresh_many(ARRAY(SELECT id FROM added));
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION partnerships_search_partnerships_updated() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM partnerships_search_refresh_many(ARRAY(
            SELECT n.id FROM after_rows n JOIN before_rows o ON o.id = n.id
            WHERE o.title IS DISTINCT FROM n.title OR o.description IS DISTINCT FROM n.description
                OR o.lead_id IS DISTINCT FROM n.lead_id));
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION partnerships_search_partnerships_removed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM partnerships_search_refresh_many(ARRAY(SELECT id FROM removed));
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION partnerships_search_partnerships_emptied() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM {TABLE};
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION partnerships_search_links_added() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM partnerships_search_refresh_many(ARRAY(SELECT DISTINCT partnership_id FROM added));
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION partnerships_search_links_removed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM partnerships_search_refresh_many(ARRAY(SELECT DISTINCT partnership_id FROM removed));
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION partnerships_search_links_updated() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM partnerships_search_refresh_many(ARRAY(
            SELECT partnership_id FROM before_rows UNION SELECT partnership_id FROM after_rows));
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION partnerships_search_partner_renamed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TABLE} SET document = partnerships_search_document(rowid) WHERE rowid IN
            (SELECT partnership_id FROM partnerships_partnership_partners WHERE partner_id = NEW.id);
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION partnerships_search_lead_renamed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TABLE} SET document = partnerships_search_document(rowid) WHERE rowid IN
            (SELECT id FROM partnerships_partnership WHERE lead_id = NEW.id);
        RETURN NULL;
    END $$""",
]


def _statement_trigger(event: str, table: str, transition: str, function: str) -> str:
    return (
        f"AFTER {event} ON {table} REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    )


_BOTH = "OLD TABLE AS before_rows NEW TABLE AS after_rows"
_LINKS = "partnerships_partnership_partners"

PG_TRIGGERS = {
    "partnerships_search_added": (
        "partnerships_partnership",
        _statement_trigger(
            "INSERT",
            "partnerships_partnership",
            "NEW TABLE AS added",
            "partnerships_search_partnerships_added",
        ),
    ),
    "partnerships_search_updated": (
        "partnerships_partnership",
        _statement_trigger(
            "UPDATE", "partnerships_partnership", _BOTH, "partnerships_search_partnerships_updated"
        ),
    ),
    "partnerships_search_removed": (
        "partnerships_partnership",
        _statement_trigger(
            "DELETE",
            "partnerships_partnership",
            "OLD TABLE AS removed",
            "partnerships_search_partnerships_removed",
        ),
    ),
    "partnerships_search_truncated": (
        "partnerships_partnership",
        "AFTER TRUNCATE ON partnerships_partnership FOR EACH STATEMENT "
        "EXECUTE FUNCTION partnerships_search_partnerships_emptied()",
    ),
    "partnerships_search_links_added": (
        _LINKS,
        _statement_trigger("INSERT", _LINKS, "NEW TABLE AS added", "partnerships_search_links_added"),
    ),
    "partnerships_search_links_removed": (
        _LINKS,
        _statement_trigger("DELETE", _LINKS, "OLD TABLE AS removed", "partnerships_search_links_removed"),
    ),
    "partnerships_search_links_updated": (
        _LINKS,
        _statement_trigger("UPDATE", _LINKS, _BOTH, "partnerships_search_links_updated"),
    ),
    "partnerships_search_partner_renamed": (
        "directory_partner",
        "AFTER UPDATE OF name ON directory_partner FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) "
        "EXECUTE FUNCTION partnerships_search_partner_renamed()",
    ),
    "partnerships_search_lead_renamed": (
        "directory_entity",
        "AFTER UPDATE OF name ON directory_entity FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) "
        "EXECUTE FUNCTION partnerships_search_lead_renamed()",
    ),
}

PG_RETIRED_TRIGGERS = {
    "partnerships_search_written": "partnerships_partnership",
    "partnerships_search_changed": "partnerships_partnership",
    "partnerships_search_links": _LINKS,
}
"""The row-level triggers before the index was kept a statement at a time: an upgrade drops them, and
since they kept the index in step until then, it is not refilled."""
PG_UNCHANGED_TRIGGERS = (
    "partnerships_search_truncated",
    "partnerships_search_partner_renamed",
    "partnerships_search_lead_renamed",
)
"""Triggers the retired set had too, with the same names and work."""
PG_RETIRED_FUNCTIONS = (
    "partnerships_search_partnership_changed()",
    "partnerships_search_link_changed()",
    "partnerships_search_refresh(bigint)",
)
