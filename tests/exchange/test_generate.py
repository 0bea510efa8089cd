import json
from collections import Counter

import pytest
from django.db import connection

from partnernet.base.registry import record_kind
from partnernet.core.synthetic import Shape
from partnernet.directory.models import Entity, Partner
from partnernet.exchange.generation import GenerationError, generate
from partnernet.federation.models import FeedEvent
from partnernet.federation.outbox import wire_row
from partnernet.framework.models import Stewardship
from partnernet.partnerships.models import Partnership
from partnernet.support.models import SupportRequest

pytestmark = pytest.mark.django_db


def test_generate_makes_every_kind_in_the_requested_numbers() -> None:
    seen: Counter[str] = Counter()
    counts = generate(Shape(entities=200, partnerships=1500, seed=3), lambda kind, n: seen.update({kind: n}))
    assert (counts.entities, counts.partnerships, counts.stewardships, counts.requests) == (
        200,
        1500,
        20,
        100,
    )
    assert seen == Counter(counts.__dict__)
    generated = Partnership.objects.filter(key__startswith="gen3-")
    assert generated.count() == 1500
    assert Entity.objects.filter(key__startswith="gen3-").count() == 200
    assert set(generated.values_list("visibility", flat=True)) == {"public", "movement", "private"}


def test_generated_network_is_skewed_and_consistent() -> None:
    generate(Shape(entities=200, partnerships=2000, seed=4))
    leads = Counter(Partnership.objects.filter(key__startswith="gen4-").values_list("lead_id", flat=True))
    top3 = sum(count for _, count in leads.most_common(3))
    assert top3 > 0.25 * 2000
    for request in SupportRequest.objects.filter(key__startswith="gen4-", stewardship__isnull=False)[:50]:
        assert request.steward_id == request.stewardship.entity_id
    assert Stewardship.objects.filter(key__startswith="gen4-").exclude(capacity__gte=1).count() == 0


def test_generating_the_same_seed_twice_is_refused() -> None:
    generate(Shape(entities=10, partnerships=10, seed=5))
    with pytest.raises(GenerationError, match="--seed 5"):
        generate(Shape(entities=10, partnerships=10, seed=5))


def _estimated_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return float(cursor.fetchone()[0])


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="planner statistics are PostgreSQL's: scripts/test runs this in its PostgreSQL pass",
)
def test_generate_leaves_postgresql_planner_statistics_that_know_the_new_rows() -> None:
    before = _estimated_rows("partnerships_partnership")
    generate(Shape(entities=50, partnerships=800, seed=9))
    after = _estimated_rows("partnerships_partnership")
    assert before < 800
    assert after >= 800


def _sqlite_rows_known(table: str) -> int:
    """Rows of ``table`` as SQLite's statistics (``sqlite_stat1``, written by ``ANALYZE``) know them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        return max((int(stat.split()[0]) for (stat,) in cursor.fetchall()), default=0)


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="sqlite_stat1 is SQLite's: scripts/test runs this in its SQLite pass",
)
def test_generate_leaves_sqlite_planner_statistics_that_know_the_new_rows() -> None:
    generate(Shape(entities=50, partnerships=800, seed=8))
    assert _sqlite_rows_known("partnerships_partnership") >= 800
    assert _sqlite_rows_known("partnerships_registrytally") > 0


def test_generated_rows_are_published_with_the_fields_they_have_when_read_back() -> None:
    """Generate signs partners and partnerships from what it generated, without reading them back: the feed
    must still say exactly what the kind's row of the stored record says."""
    generate(Shape(entities=30, partnerships=120, seed=6))
    for kind_name, model in (("partnerships", Partnership), ("partners", Partner)):
        serializer = record_kind(kind_name).serializer
        stored = {
            str(obj.uuid): wire_row(serializer.row(obj))
            for obj in serializer.queryset().filter(key__startswith="gen6-")
        }
        published = {
            str(event.record_uuid): json.loads(event.document)["object"]["fields"]
            for event in FeedEvent.objects.filter(kind=kind_name, record_uuid__in=list(stored))
        }
        assert len(published) >= len(stored) * 0.5 > 0, "public and movement rows are published"
        assert published == {uuid: stored[uuid] for uuid in published}, model.__name__


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the triggers counted are PostgreSQL's: scripts/test runs this in its PostgreSQL pass",
)
def test_links_are_written_a_batch_per_statement_so_the_search_triggers_fire_per_batch() -> None:
    """The search index's triggers run once per statement; links written one statement each (``executemany``
    on PostgreSQL) made a million-row ``generate`` fire, and plan, them once per link."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE pn_test_fired (link_table text)")
        cursor.execute(
            "CREATE FUNCTION pn_test_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO pn_test_fired VALUES (TG_TABLE_NAME); RETURN NULL; END $$"
        )
        for table in ("partners", "supporters", "themes"):
            cursor.execute(
                f"CREATE TRIGGER pn_test_count AFTER INSERT ON partnerships_partnership_{table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION pn_test_count()"
            )
    generate(Shape(entities=50, partnerships=600, seed=8))
    links = Partnership.partners.through.objects.filter(partnership__key__startswith="gen8-").count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT link_table, COUNT(*) FROM pn_test_fired GROUP BY link_table")
        fired = dict(cursor.fetchall())
    assert links > 300
    assert fired == {
        "partnerships_partnership_partners": 1,
        "partnerships_partnership_supporters": 1,
        "partnerships_partnership_themes": 1,
    }
