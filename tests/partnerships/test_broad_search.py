"""A broad search (``selectors.BROAD_SEARCH``): listed in date order, counts estimated from a sample of the
index's hits and said to be estimates; a broad word with a filter that excludes it is searched exactly.

The thresholds are lowered so that a few rows make a search broad; the sample's arithmetic is checked against
``sample_bucket``, the same hash in Python.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.urls import reverse

from partnernet.core.search import parse_text_query
from partnernet.partnerships import facets, search, search_rows, selectors
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.rules import visible_partnerships
from partnernet.partnerships.search import sample_bucket, sqlite_hits_in_windows
from partnernet.partnerships.search_triggers import SAMPLE_SPACE
from tests.factories import PartnershipFactory, ptype

pytestmark = pytest.mark.django_db

URL = reverse("partnerships:registry")


@pytest.fixture(autouse=True)
def engines_with_broad_search() -> None:
    if connection.vendor not in ("sqlite", "postgresql"):
        pytest.skip("MariaDB searches every word exactly (selectors.BROAD_SEARCH)")


@pytest.fixture
def museums(monkeypatch: pytest.MonkeyPatch) -> list[Partnership]:
    """Thirty public partnerships about museums (ten of them research), one private, two on other things;
    any search finding more than five is broad."""
    monkeypatch.setattr(selectors, "BROAD_SEARCH", 5)
    monkeypatch.setattr(facets, "FEWEST_SAMPLED", 1)
    public = [
        PartnershipFactory(
            title=f"Museum visit {n}",
            start=dt.date(2000 + n % 20, 1 + n % 12, 1),
            type=ptype("research" if n % 3 == 0 else "glam"),
        )
        for n in range(30)
    ]
    PartnershipFactory(title="Museum in private", visibility="private")
    PartnershipFactory(title="Botany week")
    PartnershipFactory(title="Open data sprint")
    return public


def test_a_broad_search_lists_its_public_matches_newest_first_and_says_why(
    client: Client, museums: list[Partnership], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facets, "SAMPLE", 10_000)  # every hit in the sample: the counts are exact
    response = client.get(URL, {"q": "museum"})
    assert response.status_code == 200
    newest = sorted(museums, key=lambda p: (p.start, p.pk), reverse=True)
    listed = [p.pk for p in response.context["page"].object_list]
    assert listed == [p.pk for p in newest]
    found = response.context["facets"]
    assert found.broad
    assert found.estimated
    assert found.total == 30
    assert {o.value: o.count for o in found.type} == {"glam": 20, "research": 10}
    text = response.content.decode()
    assert "About 30 partnerships (estimated from a sample)" in text
    assert "listed in date order, not by relevance" in text
    assert "≈ 20" in text
    by_title = client.get(URL, {"q": "museum", "sort": "title"}).context["page"].object_list
    assert [p.title for p in by_title][:3] == ["Museum visit 0", "Museum visit 1", "Museum visit 10"]


def test_the_estimate_scales_the_sampled_matches(
    client: Client, museums: list[Partnership], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index's hits (31, the private one a hit too; PostgreSQL's estimate of them, made here from
    every bucket) and a sample of 8 take ceil(1024 * 8 / hits) buckets; the counts are the public matches
    in them, scaled by 1024 over that and rounded."""
    monkeypatch.setattr(facets, "SAMPLE", 8)
    monkeypatch.setattr(selectors, "HIT_BUCKETS", SAMPLE_SPACE)  # PostgreSQL's estimate reads every bucket
    found = client.get(URL, {"q": "museum"}).context["facets"]
    hits = selectors.broad_search(parse_text_query("museum"))
    assert hits == 31
    buckets = math.ceil(SAMPLE_SPACE * 8 / hits)
    sampled = [p for p in museums if sample_bucket(p.pk) < buckets]
    assert sampled, "the hash put none of the thirty in the sample: pick another size"
    assert found.estimated
    assert found.total == round(len(sampled) * SAMPLE_SPACE / buckets)
    research = sum(1 for p in sampled if p.type.key == "research")
    assert {o.value: o.count for o in found.type}.get("research", 0) == round(
        research * SAMPLE_SPACE / buckets
    )


def test_the_index_counts_a_broad_searchs_hits_on_sqlite_and_estimates_them_on_postgresql(
    museums: list[Partnership], monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL stops counting after BROAD_SEARCH + 1 hits, then counts those in HIT_BUCKETS buckets
    (half of them here) and scales up; SQLite counts every hit. At 31 hits or more a search is not broad."""
    query = parse_text_query("museum")
    hits = [p.pk for p in museums] + list(
        Partnership.objects.filter(visibility="private").values_list("pk", flat=True)
    )
    if connection.vendor == "postgresql":
        monkeypatch.setattr(selectors, "HIT_BUCKETS", SAMPLE_SPACE // 2)
        in_buckets = sum(1 for pk in hits if sample_bucket(pk) < SAMPLE_SPACE // 2)
        assert selectors.broad_search(query) == max(in_buckets * 2, 6)
    else:
        assert selectors.broad_search(query) == 31
    monkeypatch.setattr(selectors, "BROAD_SEARCH", 31)
    assert selectors.broad_search(query) is None


def test_a_broad_word_that_a_filter_excludes_is_searched_exactly(
    client: Client, museums: list[Partnership], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Few sampled matches would make a poor estimate and a long walk: the search is ranked and counted."""
    monkeypatch.setattr(facets, "FEWEST_SAMPLED", 11)
    response = client.get(URL, {"q": "museum", "type": "research"})
    found = response.context["facets"]
    assert not found.broad
    assert not found.estimated
    assert found.total == 10
    assert "estimated" not in response.content.decode()


def test_a_search_refined_with_a_facet_does_not_count_the_index_hits_again(
    client: Client, museums: list[Partnership], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index's hit count is the same whatever the other filters: kept per version of the data, asked
    once for "museum" and its refinement by type, and again after a write."""
    monkeypatch.setattr(facets, "SAMPLE", 10_000)
    asked: list[str] = []
    count = selectors.broad_search

    def counted(query: Any, using: str = "default") -> int | None:
        asked.append(query.fts5())
        return count(query, using)

    monkeypatch.setattr(facets, "broad_search", counted)
    assert client.get(URL, {"q": "museum"}).context["facets"].total == 30
    refined = client.get(URL, {"q": "museum", "type": "research"}).context["facets"]
    assert refined.total == 10
    assert asked == ['"museum"']
    PartnershipFactory(title="Museum night", type=ptype("research"))
    assert client.get(URL, {"q": "museum", "type": "research"}).context["facets"].total == 11
    assert asked == ['"museum"', '"museum"']


def test_a_broad_search_pages_through_its_first_rows_only(
    client: Client, museums: list[Partnership], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facets, "SAMPLE", 10_000)
    monkeypatch.setattr("partnernet.partnerships.views.BROAD_ROWS", 20)
    page = client.get(URL, {"q": "museum", "page": "9"}).context["page"]
    assert page.paginator.count == 20
    assert page.number == page.paginator.num_pages


def test_a_broad_search_of_several_words_lists_what_they_find_together(
    client: Client, museums: list[Partnership], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite the walk asks the index about each word on its own, the rarest first ("visit" is in 30
    rows, "museum" in 31); the page is the one the words asked together give, whatever their order."""
    monkeypatch.setattr(facets, "SAMPLE", 10_000)
    for typed in ("museum visit", "visit museum"):
        rows = search_rows.SearchRows(
            visible_partnerships(AnonymousUser()), parse_text_query(typed), "-start", broad=True
        )
        asked = [part.fts5() for part in rows._walk_questions()]
        if connection.vendor == "sqlite":
            assert asked == ['"visit"', '"museum"']
        else:
            assert asked == [parse_text_query(typed).fts5()]
        listed = [p.pk for p in client.get(URL, {"q": typed}).context["page"].object_list]
        newest = sorted(museums, key=lambda p: (p.start, p.pk), reverse=True)
        assert listed == [p.pk for p in newest]


def test_the_hits_in_windows_are_those_in_evenly_spread_ranges_of_ids(
    museums: list[Partnership], monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite's walk orders its questions by these counts")
    hits = sorted([p.pk for p in museums] + [Partnership.objects.get(title="Museum in private").pk])
    top = Partnership.objects.order_by("-pk").values_list("pk", flat=True)[0]
    query = parse_text_query("museum")
    assert sqlite_hits_in_windows(query, connection, top) == 31  # fewer ids than the windows hold: all
    monkeypatch.setattr(search, "WINDOW", 3)
    monkeypatch.setattr(search, "WINDOWS", 2)
    windows = [range(1 + n * (top // 2), n * (top // 2) + 4) for n in range(2)]
    expected = sum(1 for pk in hits if any(pk in window for window in windows))
    assert sqlite_hits_in_windows(query, connection, top) == expected


@pytest.mark.parametrize("words", ["museum", "museum 7"])
def test_a_search_page_is_found_once_per_version_of_the_data(
    client: Client, museums: list[Partnership], monkeypatch: pytest.MonkeyPatch, words: str
) -> None:
    """A broad search's walk ("museum") and a narrow search's sort ("museum 7") run on the first view of a
    page, newest first here; the next view reads the page's ids from the cache; a write makes the next view
    find them again, so a new match is listed at once."""
    monkeypatch.setattr(facets, "SAMPLE", 10_000)
    found: list[str] = []
    for name in ("_walked", "_ranked"):
        finder = getattr(search_rows.SearchRows, name)

        def counted(self: search_rows.SearchRows, *args: int, finder: Any = finder, name: str = name) -> Any:
            found.append(name)
            return finder(self, *args)

        monkeypatch.setattr(search_rows.SearchRows, name, counted)

    def listed() -> list[int]:
        return [p.pk for p in client.get(URL, {"q": words, "sort": "-start"}).context["page"].object_list]

    first = listed()
    assert found == ["_walked" if words == "museum" else "_ranked"]
    assert listed() == first
    assert len(found) == 1
    newest = PartnershipFactory(title="Museum visit 7 again", start=dt.date(2030, 1, 1))
    again = listed()
    assert len(found) == 2
    assert again[0] == newest.pk
    assert again[1:] == first[: len(again) - 1]


def test_the_sample_hash_spreads_ids_taken_in_turns() -> None:
    """Ids numbered by turns (every fourth a research partnership, say) fall evenly into the sample: a
    residue class of ids is not one bucket range."""
    for residue in range(4):
        ids = range(residue, 40_000, 4)
        share = sum(1 for pk in ids if sample_bucket(pk) < 256) / len(ids)
        assert 0.22 < share < 0.28


def test_postgresql_finds_a_sample_by_its_index() -> None:
    """``migrate`` makes the bucket index (``search.PG_SAMPLE_INDEX``) that a sample's hits are read by."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite reads a sample from its table of the first buckets (test_search_sample.py)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'partnerships_search_sample'")
        (definition,) = cursor.fetchone()
        assert "2654435761" in definition
        for tier in search.PG_SAMPLED_TIERS:
            name = f"partnerships_search_sampled_{tier}"
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
            (partial,) = cursor.fetchone()
            assert "gin (document)" in partial
            assert partial.endswith(f"< {tier})")


def test_postgresql_tells_a_common_word_broad_by_a_probe_of_one_bucket(
    museums: list[Partnership], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enough hits in ``PROBE_BUCKETS`` make the search broad at once, the probe's count scaled; fewer
    leave it to the bounded count (and, past it, the estimate)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite tells a broad search from its sample table (test_search_sample.py)")
    query = parse_text_query("museum")
    hits = [p.pk for p in museums] + list(
        Partnership.objects.filter(visibility="private").values_list("pk", flat=True)
    )
    monkeypatch.setattr(selectors, "PROBE_BUCKETS", SAMPLE_SPACE // 2)
    probed = sum(1 for pk in hits if sample_bucket(pk) < SAMPLE_SPACE // 2)
    assert probed, "the hash put none of the 31 in half the buckets"
    monkeypatch.setattr(selectors, "SURELY_PROBED", probed)
    assert selectors.broad_search(query) == probed * 2
    monkeypatch.setattr(selectors, "SURELY_PROBED", probed + 1)
    monkeypatch.setattr(selectors, "HIT_BUCKETS", SAMPLE_SPACE)
    assert selectors.broad_search(query) == 31
    monkeypatch.setattr(selectors, "BROAD_SEARCH", 31)
    assert selectors.broad_search(query) is None


@pytest.mark.parametrize(
    ("value", "shown"), [(36_213.4, 36_000), (812.0, 810), (87.6, 88), (1_049_999.0, 1_000_000)]
)
def test_estimates_are_shown_to_two_significant_figures(value: float, shown: int) -> None:
    assert facets._about(value) == shown
