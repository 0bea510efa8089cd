"""Each connector against recorded responses of the real API shapes, served on 127.0.0.1."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from partnernet.impact.connectors import commons, dashboard, pageviews, wikidata
from partnernet.impact.connectors.http import ConnectorError, NetworkUnreachable, get_json, make_client
from tests.impact.fakeapi import FakeWikimedia, api_settings, closed_port

START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


def figures(measurements: list) -> dict[str, Decimal]:  # type: ignore[type-arg]
    return {m.indicator: m.value for m in measurements}


def test_commons_walks_the_category_tree_follows_continue_and_counts_usage_in_articles(
    wikimedia: FakeWikimedia,
) -> None:
    with make_client() as client:
        result = commons.fetch(client, "Category:Bundesarchiv test", START, END)
    # 4 distinct files; 2 added in 2024 (the Berlin file re-added to the subcategory keeps its 2008 date)
    assert figures(result) == {"media_uploaded": Decimal(2), "files_in_use": Decimal(2)}
    assert "4 files" in result[0].note
    asked = [q.get("cmtitle") for path, q, _ in wikimedia.requests if q.get("list") == "categorymembers"]
    assert asked == [
        "Category:Bundesarchiv test",
        "Category:Bundesarchiv test",
        "Category:Bundesarchiv test subcategory",
    ]


def test_requests_name_partnernet_in_the_user_agent(wikimedia: FakeWikimedia) -> None:
    with make_client() as client:
        commons.fetch(client, "Bundesarchiv test", START, END)
    assert all(headers["User-Agent"].startswith("Partnernet/") for _, _, headers in wikimedia.requests)


def test_wikidata_counts_items_created_and_edited_and_skips_missing_and_untouched_items(
    wikimedia: FakeWikimedia,
) -> None:
    with make_client() as client:
        result = wikidata.fetch(client, "Q1; Q2, Q130000000 Q999999999", START, END)
    assert figures(result) == {
        "wikidata_items_created": Decimal(1),
        "wikidata_items_edited": Decimal(2),
        "wikidata_edits": Decimal(5),
    }
    assert result[0].note == "3 of 4 items exist"
    revision_titles = {q["titles"] for _, q, _ in wikimedia.requests if q.get("prop") == "revisions"}
    assert revision_titles == {"Q1", "Q130000000"}  # Q2 was last modified before the period


def test_wikidata_reads_the_items_of_a_property(wikimedia: FakeWikimedia) -> None:
    with make_client() as client:
        result = wikidata.fetch(client, "P7922", START, END)
    assert figures(result)["wikidata_edits"] == Decimal(5)
    assert any(q.get("srsearch") == "haswbstatement:P7922" for _, q, _ in wikimedia.requests)


def test_wikidata_rejects_a_target_that_is_neither_items_nor_a_property() -> None:
    with pytest.raises(ConnectorError, match="item ids"):
        wikidata.parse_target("Berlin; Q1")


def test_pageviews_sums_monthly_views_and_treats_404_as_no_views(wikimedia: FakeWikimedia) -> None:
    with make_client() as client:
        result = pageviews.fetch(client, "de.wikipedia: Bundesarchiv; Kein Artikel", START, END)
    assert figures(result) == {"page_views": Decimal(10412 + 9870 + 11003)}
    paths = [path for path, _, _ in wikimedia.requests]
    assert (
        "/pageviews/per-article/de.wikipedia/all-access/user/Kein_Artikel/monthly/2024010100/2024123100"
        in paths
    )


def test_dashboard_campaign_gives_events_participants_and_articles_with_rounding_noted(
    wikimedia: FakeWikimedia,
) -> None:
    with make_client() as client:
        result = dashboard.fetch(client, "campaigns/bundesarchiv_test", START, END)
    assert figures(result) == {
        "events": Decimal(4),
        "participants": Decimal(57),
        "articles_created": Decimal(38),
        "articles_improved": Decimal(1200),
    }
    improved = next(m for m in result if m.indicator == "articles_improved")
    assert improved.note == "rounded by the Dashboard"


def test_dashboard_course_counts_one_event(wikimedia: FakeWikimedia) -> None:
    with make_client() as client:
        result = dashboard.fetch(client, "courses/Test_School/Archive_images_edit-a-thon", START, END)
    assert figures(result) == {
        "participants": Decimal(18),
        "articles_created": Decimal(7),
        "articles_improved": Decimal(23),
        "events": Decimal(1),
    }


@pytest.mark.parametrize(
    ("text", "value", "rounded"),
    [("12", 12, False), ("1.2K", 1200, True), ("3 Million", 3000000, True), (57, 57, False)],
)
def test_dashboard_human_numbers(text: object, value: int, rounded: bool) -> None:
    assert dashboard.human_number(text) == (Decimal(value), rounded)


def test_a_503_is_retried_with_backoff_and_then_succeeds(wikimedia: FakeWikimedia) -> None:
    wikimedia.fail_next = 2
    waits: list[float] = []
    with make_client() as client:
        data = get_json(client, f"{wikimedia.base}/campaigns/bundesarchiv_test.json", sleep=waits.append)
    assert data["campaign"]["courses_count"] == 4
    assert len(waits) == 2
    assert waits[1] > waits[0]


def test_errors_that_outlast_the_retries_are_reported(wikimedia: FakeWikimedia) -> None:
    wikimedia.fail_next = 10
    with make_client() as client, pytest.raises(ConnectorError, match="503"):
        get_json(client, f"{wikimedia.base}/campaigns/bundesarchiv_test.json", sleep=lambda _: None)
    assert len(wikimedia.requests) == 4  # the first try and three retries


def test_a_closed_port_is_reported_as_unreachable_network() -> None:
    base = f"http://127.0.0.1:{closed_port()}"
    with override_settings(**api_settings(base)), make_client() as client, pytest.raises(NetworkUnreachable):
        dashboard.fetch(client, "campaigns/x", START, END)


def test_a_category_tree_too_broad_for_one_partnership_is_refused(
    wikimedia: FakeWikimedia, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(commons, "MAX_FILES", 2)
    with make_client() as client, pytest.raises(ConnectorError, match="narrower category"):
        commons.fetch(client, "Category:Bundesarchiv test", START, END)
