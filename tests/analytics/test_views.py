"""The analytics dashboard, the suggestions page and the CSV/JSON downloads, with their permissions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.template.loader import render_to_string
from django.test import Client

from partnernet.analytics.services import take_snapshot
from partnernet.analytics.sustainability import entity_sustainability
from partnernet.directory.rules import FACILITATORS
from tests.factories import (
    EntityFactory,
    MembershipFactory,
    PartnershipFactory,
    StewardshipFactory,
    SupportRequestFactory,
    UserFactory,
    ptype,
    region,
)

pytestmark = pytest.mark.django_db


def script_json(html: str, element_id: str) -> Any:
    """The JSON of the ``json_script`` element with this id."""
    pattern = rf'<script id="{re.escape(element_id)}" type="application/json">(.*?)</script>'
    found = re.search(pattern, html, re.S)
    assert found, element_id
    return json.loads(found.group(1))


@pytest.fixture
def facilitator(client: Client) -> Client:
    user = UserFactory()
    group, _ = Group.objects.get_or_create(name=FACILITATORS)
    user.groups.add(group)
    client.force_login(user)
    return client


def test_dashboard_is_public_and_shows_figures_heatmap_and_graph(client: Client) -> None:
    lead = EntityFactory(key="t-lead", name="Lead chapter")
    PartnershipFactory(lead=lead).supporters.add(EntityFactory(name="Small group"))
    StewardshipFactory(entity=lead)
    response = client.get("/analytics/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Degree centralization" in body
    assert 'class="pn-matrix"' in body
    assert "pn-matrix-none" in body
    assert 'data-pn-graph="pn-network-graph"' in body
    graph = script_json(body, "pn-network-graph")
    labels = {e["data"]["label"] for e in graph["elements"] if "label" in e["data"]}
    assert {"Lead chapter", "Small group"} <= labels
    assert "Sustainability of steward nodes" not in body
    assert not re.search(r"<script(?![^>]*(src=|application/json))", body)


def test_private_partnership_counts_but_its_title_never_shows(client: Client) -> None:
    PartnershipFactory(title="Secret museum deal", visibility="private").supporters.add(EntityFactory())
    body = client.get("/analytics/").content.decode()
    assert "Secret museum deal" not in body
    for figure in ("nodes", "edges", "summary", "coverage"):
        assert "Secret museum deal" not in client.get(f"/analytics/export/{figure}.json").content.decode()


def test_facilitators_see_sustainability_alerts_and_suggestion_links(facilitator: Client) -> None:
    lone = EntityFactory(key="t-lone", name="Lone steward", kind="user_group")
    StewardshipFactory(entity=lone, level="lead")
    MembershipFactory(entity=lone)
    body = facilitator.get("/analytics/").content.decode()
    assert "Sustainability of steward nodes" in body
    assert "one person behind a lead role" in body
    assert "/analytics/suggestions/" in body


def test_dashboard_runs_a_bounded_number_of_queries(
    facilitator: Client,
    django_assert_max_num_queries: Any,
) -> None:
    for index in range(6):
        entity = EntityFactory()
        StewardshipFactory(entity=entity)
        PartnershipFactory(lead=entity).supporters.add(EntityFactory())
        SupportRequestFactory(steward=entity, status="resolved", resolved=dt.date(2026, 1, 2 + index))
    take_snapshot()
    facilitator.get("/analytics/")
    with django_assert_max_num_queries(24):
        assert facilitator.get("/analytics/").status_code == 200


def test_trend_charts_come_from_snapshots(client: Client) -> None:
    assert "No snapshot yet" in client.get("/analytics/").content.decode()
    take_snapshot(now=dt.datetime(2026, 9, 2, tzinfo=dt.UTC))
    take_snapshot(now=dt.datetime(2026, 10, 2, tzinfo=dt.UTC))
    body = client.get("/analytics/").content.decode()
    config = script_json(body, "pn-trend-centralization")
    assert config["data"]["labels"] == ["2026-09", "2026-10"]
    assert 'data-pn-chart="pn-trend-coverage"' in body


@pytest.mark.parametrize("figure", ["summary", "coverage", "nodes", "edges", "trends"])
def test_every_public_figure_downloads_as_csv_and_json(client: Client, figure: str) -> None:
    PartnershipFactory().supporters.add(EntityFactory())
    take_snapshot()
    as_csv = client.get(f"/analytics/export/{figure}.csv")
    assert as_csv.status_code == 200
    assert as_csv["Content-Type"].startswith("text/csv")
    assert f"partnernet-{figure}.csv" in as_csv["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
    assert rows
    as_json = client.get(f"/analytics/export/{figure}.json")
    assert as_json.status_code == 200
    assert as_json.json()


def test_summary_json_download_is_the_report(client: Client) -> None:
    document = client.get("/analytics/export/summary.json").json()
    assert {"degree_centralization", "coverage", "over_capacity"} <= set(document)


def test_sustainability_download_follows_the_scope(client: Client) -> None:
    assert client.get("/analytics/export/sustainability.json").status_code == 403
    mine = StewardshipFactory(entity=EntityFactory(key="t-mine")).entity
    StewardshipFactory(entity=EntityFactory(key="t-theirs"))
    member = MembershipFactory(entity=mine).user
    client.force_login(member)
    assert set(client.get("/analytics/export/sustainability.json").json()) == {"t-mine"}
    text = client.get("/analytics/export/sustainability.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["entity"] for row in rows] == ["t-mine"]


def test_unknown_download_is_404(client: Client) -> None:
    assert client.get("/analytics/export/summary.xml").status_code == 404
    assert client.get("/analytics/export/secrets.json").status_code == 404


def test_suggestions_are_for_facilitators_with_reasons_and_downloads(facilitator: Client) -> None:
    StewardshipFactory(
        entity=EntityFactory(key="t-free", name="Free chapter", kind="chapter"), type=ptype("technology")
    )
    assert Client().get("/analytics/suggestions/technology/154/").status_code == 403
    page = facilitator.get("/analytics/suggestions/technology/150/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Free chapter" in body
    assert "support cases of capacity left in this type" in body
    document = facilitator.get("/analytics/suggestions/technology/150/export.json").json()
    assert document["type"] == "technology"
    assert document["candidates"][0]["rank"] == 1
    text = facilitator.get("/analytics/suggestions/technology/150/export.csv").content.decode()
    assert text.startswith("rank,entity,")
    assert facilitator.get("/analytics/suggestions/nosuchtype/154/").status_code == 404


def test_snapshot_button_queues_the_task_for_facilitators_only(facilitator: Client) -> None:
    from django_tasks_db.models import DBTaskResult

    assert Client().post("/analytics/snapshot").status_code == 403
    response = facilitator.post("/analytics/snapshot")
    assert response.status_code == 302
    assert DBTaskResult.objects.filter(task_path__endswith="take_monthly_snapshot").count() == 1


def test_entity_partial_renders_indicators_and_load_chart() -> None:
    held = StewardshipFactory(entity=EntityFactory(key="t-page", founded=2012), capacity=2, level="lead")
    SupportRequestFactory(stewardship=held, steward=held.entity, status="accepted")
    take_snapshot(now=dt.datetime(2026, 10, 2, tzinfo=dt.UTC))
    value = entity_sustainability(held.entity, today=dt.date(2026, 11, 26))
    assert value.is_steward
    assert (value.indicators.load, value.indicators.capacity) == (1, 2)
    assert value.indicators.years_active == 14
    html = render_to_string("analytics/_entity_sustainability.html", {"sustainability": value})
    assert "Load / capacity" in html
    assert 'data-pn-chart="pn-load-t-page"' in html
    assert script_json(html, "pn-load-t-page")["type"] == "line"


def test_entity_sustainability_permission_is_members_and_facilitators() -> None:
    entity = EntityFactory()
    member = MembershipFactory(entity=entity).user
    stranger = UserFactory()
    assert member.has_perm("analytics.view_entity_sustainability", entity)
    assert not stranger.has_perm("analytics.view_entity_sustainability", entity)


def test_stewards_with_alerts_are_listed_first(facilitator: Client) -> None:
    StewardshipFactory(entity=EntityFactory(key="a-calm", name="Calm chapter"), capacity=9)
    lone = EntityFactory(key="z-lone", name="Zed lone group", kind="user_group")
    StewardshipFactory(entity=lone, level="lead")
    MembershipFactory(entity=lone)
    body = facilitator.get("/analytics/").content.decode()
    section = body.split("Sustainability of steward nodes")[1]
    assert section.index("Zed lone group") < section.index("Calm chapter")


def test_the_coverage_download_gives_each_cells_state_as_the_report_counts_them(client: Client) -> None:
    StewardshipFactory(entity=EntityFactory(key="t-sweden"), region=region("SE"))
    rows = list(csv.DictReader(io.StringIO(client.get("/analytics/export/coverage.csv").content.decode())))
    northern = next(row for row in rows if (row["type"], row["region"]) == ("glam", "154"))
    assert (northern["state"], northern["why"]) == ("partial", "region")
    assert northern["partial_entities"] == "t-sweden"
    coverage = client.get("/analytics/export/summary.json").json()["coverage"]
    states = [row["state"] for row in rows]
    assert states.count("covered") == coverage["covered"]
    assert states.count("partial") == len(coverage["partial"])
    assert states.count("gap") == len(coverage["gaps"])
