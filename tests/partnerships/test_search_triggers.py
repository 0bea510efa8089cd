"""PostgreSQL keeps the search index a statement at a time: bulk writes, updates and deletes leave it equal
to an index rebuilt from the stored rows, and an upgrade from the row-level triggers keeps the index."""

from __future__ import annotations

import pytest
from django.db import connection

from partnernet.base.bulk import insert_objects, insert_rows
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.search import ensure_search_index, rebuild_search_index
from partnernet.partnerships.search_triggers import PG_RETIRED_TRIGGERS, PG_TRIGGERS, TABLE
from tests.factories import EntityFactory, PartnerFactory, PartnershipFactory, ptype

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's triggers; SQLite's are FTS5's"
    ),
]


def _index() -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, document::text FROM {TABLE} ORDER BY rowid")  # noqa: S608
        return cursor.fetchall()


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'partnerships_search_%'")
        return {name for (name,) in cursor.fetchall()}


def test_bulk_inserts_updates_and_deletes_leave_the_index_as_a_rebuild_would() -> None:
    lead = EntityFactory(name="Kalmar chapter")
    museums = [PartnerFactory(name="Herbarium museum"), PartnerFactory(name="Maritime archive")]
    kept = PartnershipFactory(title="Kept as it is", lead=lead)
    made = [
        Partnership(key=f"bulk-{n}", title=f"Bulk {n}", lead=lead, type=ptype("glam"), status="active")
        for n in range(4)
    ]
    insert_objects(Partnership, made)
    through = Partnership.partners.through
    insert_rows(through, ("partnership_id", "partner_id"), [(p.pk, m.pk) for p in made[:3] for m in museums])
    insert_rows(through, ("partnership_id", "partner_id"), [(kept.pk, museums[0].pk)])
    Partnership.objects.filter(pk=made[0].pk).update(title="Renamed letters", status="paused")
    Partnership.objects.filter(pk=made[1].pk).update(status="paused")
    through.objects.filter(partnership_id=made[2].pk, partner_id=museums[1].pk).update(
        partnership_id=made[3].pk
    )
    through.objects.filter(partnership_id=made[1].pk).delete()
    made[0].partners.clear()
    made[0].delete()
    written = _index()
    assert len(written) == 4
    assert any("herbarium" in document for _, document in written)
    rebuild_search_index(connection)
    assert written == _index()


def test_an_index_kept_by_the_retired_row_triggers_is_upgraded_without_a_refill() -> None:
    PartnershipFactory(title="Indexed before the upgrade")
    before = _index()
    with connection.cursor() as cursor:
        for name, (table, _) in PG_TRIGGERS.items():
            if name not in ("partnerships_search_truncated", "partnerships_search_partner_renamed",
                            "partnerships_search_lead_renamed"):  # fmt: skip
                cursor.execute(f"DROP TRIGGER {name} ON {table}")
        for name, table in PG_RETIRED_TRIGGERS.items():
            cursor.execute(
                f"CREATE TRIGGER {name} AFTER TRUNCATE ON {table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION partnerships_search_partnerships_emptied()"
            )
    assert not ensure_search_index(connection), "the index was refilled"
    assert _triggers() == set(PG_TRIGGERS)
    assert _index() == before
    PartnershipFactory(title="Indexed after the upgrade")
    assert len(_index()) == len(before) + 1
