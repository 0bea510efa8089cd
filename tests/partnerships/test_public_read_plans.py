"""The public reads that sort — the home page's latest partnerships, the API's list and its next page in key
order — walk an index on SQLite instead of sorting every public row (at 100,000 partnerships the sort cost
about 0.3 s a request; see benchmarks/RESULTS.md, load test)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def _sorted_partnership_reads(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(path)
    assert answer.status_code == 200
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT")
        and 'FROM "partnerships_partnership"' in query["sql"]
        and "ORDER BY" in query["sql"]
        and "LIMIT" in query["sql"]
    ]


def _sorts_in_a_temporary_tree(sql: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return any("TEMP B-TREE FOR ORDER BY" in str(row[-1]) for row in cursor.fetchall())


@pytest.fixture
def sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the plans checked here are SQLite's; PostgreSQL plans from its statistics")


@pytest.mark.usefixtures("sqlite_only")
def test_home_reads_the_latest_public_partnerships_from_an_index(client: Client) -> None:
    for number in range(3):
        PartnershipFactory(title=f"Open scans {number}", visibility="public")
    reads = _sorted_partnership_reads(client, "/")
    assert reads, "the home page no longer reads the latest partnerships: update this test"
    assert not any(_sorts_in_a_temporary_tree(sql) for sql in reads)


@pytest.mark.usefixtures("sqlite_only")
def test_api_list_and_its_next_page_read_public_partnerships_in_key_order_from_an_index(
    client: Client,
) -> None:
    for number in range(3):
        PartnershipFactory(title=f"Open scans {number}", visibility="public")
    first = client.get("/api/v1/partnerships?limit=2").json()
    assert first["next"]
    for path in ("/api/v1/partnerships?limit=2", first["next"].split("://", 1)[-1].partition("/")[2]):
        reads = _sorted_partnership_reads(client, path if path.startswith("/") else f"/{path}")
        assert reads
        assert not any(_sorts_in_a_temporary_tree(sql) for sql in reads)


@pytest.mark.usefixtures("sqlite_only")
def test_entity_page_finds_the_partnerships_it_leads_by_lead(client: Client) -> None:
    led = PartnershipFactory(title="Led here", visibility="public")
    PartnershipFactory(title="Led elsewhere", visibility="public")
    reads = [
        sql
        for sql in _sorted_partnership_reads(client, f"/directory/entities/{led.lead.key}/")
        if '"partnerships_partnership"."lead_id" = ' in sql.partition(" WHERE ")[2]
    ]
    assert reads, "the entity page no longer reads the partnerships it leads: update this test"
    for sql in reads:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
        assert "partnerships_partnership USING INDEX partnership_lead_vis_start" in plan, plan


@pytest.mark.usefixtures("sqlite_only")
@pytest.mark.parametrize("query", ["type=glam", "status=active", "type=glam&status=active"])
def test_api_list_filtered_by_type_or_status_reads_in_key_order_from_an_index(
    client: Client, query: str
) -> None:
    for number in range(3):
        PartnershipFactory(title=f"Open scans {number}", visibility="public", status="active")
    reads = _sorted_partnership_reads(client, f"/api/v1/partnerships?{query}&limit=2")
    assert reads
    assert not any(_sorts_in_a_temporary_tree(sql) for sql in reads)
