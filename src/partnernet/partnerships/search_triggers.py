"""The SQL that keeps the registry's search index in step with every write: SQLite's FTS5 triggers and
PostgreSQL's functions and triggers (``search.py`` installs them and reads the index; MariaDB's are in
``search_mariadb.py``)."""
# ruff: noqa: S608
# Every statement here is assembled from this module's own constants; no value from outside reaches them.

from __future__ import annotations

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
_INDEXED_ID = f"{TABLE}.rowid"
"""Qualified: SQLite checks all triggers when a table is renamed, and a bare ``rowid`` in a subquery fails."""


def sqlite_names(pid: str) -> str:
    return _SQLITE_NAMES.format(pid=pid)


def _sqlite_refresh_names(pid: str) -> str:
    return f"UPDATE {TABLE} SET names = {sqlite_names(pid)} WHERE rowid = {pid};"


SQLITE_TRIGGERS = {
    "partnerships_search_insert": (
        "AFTER INSERT ON partnerships_partnership BEGIN "
        f"DELETE FROM {TABLE} WHERE rowid = new.id; "
        f"INSERT INTO {TABLE}(rowid, title, description, names) "
        f"VALUES (new.id, new.title, new.description, {sqlite_names('new.id')}); END"
    ),
    "partnerships_search_update": (
        "AFTER UPDATE OF title, description, lead_id ON partnerships_partnership "
        "WHEN old.title IS NOT new.title OR old.description IS NOT new.description "
        "OR old.lead_id IS NOT new.lead_id BEGIN "
        f"UPDATE {TABLE} SET title = new.title, description = new.description, "
        f"names = {sqlite_names('new.id')} WHERE rowid = new.id; END"
    ),
    "partnerships_search_delete": (
        f"AFTER DELETE ON partnerships_partnership BEGIN DELETE FROM {TABLE} WHERE rowid = old.id; END"
    ),
    "partnerships_search_partner_linked": (
        "AFTER INSERT ON partnerships_partnership_partners BEGIN "
        f"{_sqlite_refresh_names('new.partnership_id')} END"
    ),
    "partnerships_search_partner_unlinked": (
        "AFTER DELETE ON partnerships_partnership_partners BEGIN "
        f"{_sqlite_refresh_names('old.partnership_id')} END"
    ),
    "partnerships_search_partner_relinked": (
        "AFTER UPDATE ON partnerships_partnership_partners BEGIN "
        f"{_sqlite_refresh_names('old.partnership_id')} {_sqlite_refresh_names('new.partnership_id')} END"
    ),
    "partnerships_search_partner_renamed": (
        "AFTER UPDATE OF name ON directory_partner WHEN old.name IS NOT new.name BEGIN "
        f"UPDATE {TABLE} SET names = {sqlite_names(_INDEXED_ID)} WHERE {_INDEXED_ID} IN "
        "(SELECT partnership_id FROM partnerships_partnership_partners WHERE partner_id = new.id); END"
    ),
    "partnerships_search_lead_renamed": (
        "AFTER UPDATE OF name ON directory_entity WHEN old.name IS NOT new.name BEGIN "
        f"UPDATE {TABLE} SET names = {sqlite_names(_INDEXED_ID)} WHERE {_INDEXED_ID} IN "
        "(SELECT id FROM partnerships_partnership WHERE lead_id = new.id); END"
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
    f"""CREATE OR REPLACE FUNCTION partnerships_search_refresh(pid bigint) RETURNS void
    LANGUAGE plpgsql VOLATILE AS $$
    DECLARE
        found_document tsvector := partnerships_search_document(pid);
    BEGIN
        IF found_document IS NULL THEN
            DELETE FROM {TABLE} WHERE rowid = pid;
        ELSE
            INSERT INTO {TABLE}(rowid, document) VALUES (pid, found_document)
                ON CONFLICT (rowid) DO UPDATE SET document = EXCLUDED.document;
        END IF;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION partnerships_search_partnership_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM {TABLE} WHERE rowid = OLD.id;
        ELSE
            PERFORM partnerships_search_refresh(NEW.id);
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION partnerships_search_partnerships_emptied() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM {TABLE};
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION partnerships_search_link_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            PERFORM partnerships_search_refresh(OLD.partnership_id);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            PERFORM partnerships_search_refresh(NEW.partnership_id);
        END IF;
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

PG_TRIGGERS = {
    "partnerships_search_written": (
        "partnerships_partnership",
        "AFTER INSERT OR DELETE ON partnerships_partnership FOR EACH ROW "
        "EXECUTE FUNCTION partnerships_search_partnership_changed()",
    ),
    "partnerships_search_changed": (
        "partnerships_partnership",
        "AFTER UPDATE OF title, description, lead_id ON partnerships_partnership FOR EACH ROW "
        "WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description "
        "OR OLD.lead_id IS DISTINCT FROM NEW.lead_id) "
        "EXECUTE FUNCTION partnerships_search_partnership_changed()",
    ),
    "partnerships_search_truncated": (
        "partnerships_partnership",
        "AFTER TRUNCATE ON partnerships_partnership FOR EACH STATEMENT "
        "EXECUTE FUNCTION partnerships_search_partnerships_emptied()",
    ),
    "partnerships_search_links": (
        "partnerships_partnership_partners",
        "AFTER INSERT OR UPDATE OR DELETE ON partnerships_partnership_partners FOR EACH ROW "
        "EXECUTE FUNCTION partnerships_search_link_changed()",
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
