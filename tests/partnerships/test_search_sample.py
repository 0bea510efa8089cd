"""SQLite's sample table (``search.SAMPLE_TABLE``): the partnerships of the first ``SAMPLE_TIER`` buckets,
kept by triggers as a rebuild would make it, read by one range of rowids, and equal to the hashed sample of
the whole index; a broad search's hits are estimated from it only when the estimate is far from the
threshold."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from partnernet.base.bulk import insert_objects, insert_rows
from partnernet.core.search import parse_text_query
from partnernet.partnerships import facets, selectors
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.rules import visible_partnerships
from partnernet.partnerships.search import (
    ensure_search_index,
    rebuild_search_index,
    sample_bucket,
    sqlite_sample_hits,
)
from partnernet.partnerships.search_triggers import (
    SAMPLE_KEY,
    SAMPLE_SPACE,
    SAMPLE_TABLE,
    SAMPLE_TIER,
    SQLITE_TRIGGERS,
    TABLE,
)
from tests.factories import EntityFactory, PartnerFactory, ptype

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="SQLite's table; PostgreSQL samples through its bucket index"
    ),
]


def _rows(table: str = SAMPLE_TABLE) -> list[tuple[Any, ...]]:
    """The rows of an FTS5 table of the registry (the sample table unless told), in rowid order."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, title, description, names FROM {table} ORDER BY rowid")  # noqa: S608
        return cursor.fetchall()


@pytest.fixture
def many() -> list[Partnership]:
    """640 partnerships, every other one about a museum: about 40 of them in the sample's buckets."""
    lead = EntityFactory(name="Kalmar chapter")
    made = [
        Partnership(
            key=f"many-{n}",
            title=f"{'Museum' if n % 2 else 'Herbarium'} week {n}",
            description="Open data" if n % 3 else "",
            lead=lead,
            type=ptype("research" if n % 4 == 1 else "glam"),
            status="active",
        )
        for n in range(640)
    ]
    insert_objects(Partnership, made)
    return made


def test_the_triggers_keep_the_sample_as_a_rebuild_would(many: list[Partnership]) -> None:
    sampled = [p for p in many if sample_bucket(p.pk) < SAMPLE_TIER]
    outside = [p for p in many if sample_bucket(p.pk) >= SAMPLE_TIER]
    assert len(sampled) > 8, "the hash put too few of the 640 in the sample"
    rows = _rows()
    assert [row[0] for row in rows] == sorted(sample_bucket(p.pk) * SAMPLE_KEY + p.pk for p in sampled)
    museums = [PartnerFactory(name="Maritime archive"), PartnerFactory(name="Glass works")]
    through = Partnership.partners.through
    linked = [*sampled[:4], *outside[:2]]
    insert_rows(through, ("partnership_id", "partner_id"), [(p.pk, m.pk) for p in linked for m in museums])
    Partnership.objects.filter(pk=sampled[0].pk).update(title="Renamed letters")
    through.objects.filter(partnership_id=sampled[1].pk, partner_id=museums[1].pk).update(
        partnership_id=sampled[5].pk
    )
    through.objects.filter(partnership_id=sampled[2].pk).delete()
    museums[0].name = "Sea archive"
    museums[0].save()
    new_lead = EntityFactory(name="Gotland hub")
    Partnership.objects.filter(pk__in=[sampled[3].pk, sampled[6].pk]).update(lead=new_lead)
    new_lead.name = "Gotland island hub"
    new_lead.save()
    Partnership.objects.filter(pk__in=[sampled[7].pk, outside[0].pk]).delete()
    written = _rows()
    assert any(title == "Renamed letters" for _, title, _, _ in written)
    assert any("Sea archive" in names and "Glass works" in names for *_, names in written)
    assert any("Gotland island hub" in names for *_, names in written)
    assert len(written) == len(sampled) - 1
    indexed = _rows(TABLE)
    rebuild_search_index(connection)
    assert written == _rows()
    assert indexed == _rows(TABLE)  # the whole index too: a rebuild once gave every row one lead's name


@pytest.mark.parametrize("buckets", [1, 8, SAMPLE_TIER])
def test_a_range_of_the_sample_table_is_the_hashed_sample(many: list[Partnership], buckets: int) -> None:
    museum = parse_text_query("museum")
    expected = [p.pk for p in many if p.title.startswith("Museum") and sample_bucket(p.pk) < buckets]
    assert sqlite_sample_hits(museum, connection, buckets) == len(expected)
    visible = visible_partnerships(AnonymousUser())
    from_table = facets._live_counts(visible, museum, sample=buckets)
    hashed = _hashed(visible, museum, buckets)
    assert from_table == hashed
    assert sum(from_table["status"].values()) == len(expected)


def _hashed(visible: Any, query: Any, buckets: int) -> dict[str, dict[Any, int]]:
    """The sample as the whole index gives it, every hit hashed (the path for more than ``SAMPLE_TIER``)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(selectors, "SAMPLE_TIER", 0)
        return facets._live_counts(visible, query, sample=buckets)


def test_more_buckets_than_the_table_holds_are_hashed_from_the_index(many: list[Partnership]) -> None:
    museum = parse_text_query("museum")
    visible = visible_partnerships(AnonymousUser())
    counts = facets._live_counts(visible, museum, sample=SAMPLE_SPACE)
    assert sum(counts["status"].values()) == 320
    with pytest.raises(ValueError, match="holds 64 buckets"):
        sqlite_sample_hits(museum, connection, SAMPLE_TIER + 1)


def test_a_broad_search_is_estimated_from_the_sample_only_far_from_the_threshold(
    many: list[Partnership], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Far above ``SURELY_BROAD`` the hits are the sample's, scaled; nearer, they are counted exactly."""
    museum = parse_text_query("museum")
    in_table = sum(1 for p in many if p.title.startswith("Museum") and sample_bucket(p.pk) < SAMPLE_TIER)
    estimate = in_table * SAMPLE_SPACE // SAMPLE_TIER
    assert estimate != 320, "the sample happens to match the count exactly: the test would prove nothing"
    monkeypatch.setattr(selectors, "BROAD_SEARCH", 100)
    monkeypatch.setattr(selectors, "SURELY_BROAD", 300)
    assert selectors.broad_search(museum) == (estimate if estimate > 300 else 320)
    monkeypatch.setattr(selectors, "SURELY_BROAD", estimate)
    assert selectors.broad_search(museum) == 320
    monkeypatch.setattr(selectors, "SURELY_BROAD", estimate - 1)
    assert selectors.broad_search(museum) == estimate
    monkeypatch.setattr(selectors, "BROAD_SEARCH", 320)
    monkeypatch.setattr(selectors, "SURELY_BROAD", 10_000)
    assert selectors.broad_search(museum) is None


def test_an_index_made_before_the_sample_gets_it_and_is_refilled(many: list[Partnership]) -> None:
    """What the upgrade's ``migrate`` (partnerships 0008) does to an instance made before the sample
    table: makes it and its triggers, and refills the whole index, mending names an older rebuild got
    wrong."""
    sample_triggers = [name for name in SQLITE_TRIGGERS if "_sample_" in name]
    with connection.cursor() as cursor:
        for name in sample_triggers:
            cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute(f"DROP TABLE {SAMPLE_TABLE}")
        cursor.execute(f"UPDATE {TABLE} SET names = 'Wrong name' WHERE rowid = %s", [many[0].pk])  # noqa: S608
    assert ensure_search_index(connection)
    in_sample = sorted(
        sample_bucket(p.pk) * SAMPLE_KEY + p.pk for p in many if sample_bucket(p.pk) < SAMPLE_TIER
    )
    assert [row[0] for row in _rows()] == in_sample
    names = {rowid: names for rowid, _, _, names in _rows(TABLE)}
    assert names[many[0].pk].startswith("Kalmar chapter")
    assert not ensure_search_index(connection)  # all in place: nothing to do
