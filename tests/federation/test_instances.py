"""Two and three real instances on loopback, each with its own database and key, synced with the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.federation.instances import Instance, make_instance

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Instance]]:
    """A, B and C. B is a movement peer of A; C is an ordinary peer of A and of B."""
    base = tmp_path_factory.mktemp("federation")
    instances = {name: make_instance(name, base) for name in ("a", "b", "c")}
    for instance in instances.values():
        instance.start()
    a, b, c = instances["a"], instances["b"], instances["c"]
    try:
        a.trust(b, movement=True)
        a.trust(c)
        b.trust(a)
        b.trust(c)
        c.trust(a)
        c.trust(b)
        a.import_rows(
            "entities",
            [
                {
                    "key": "a-chapter",
                    "name": "A chapter",
                    "kind": "chapter",
                    "country": "SE",
                    "staff_fte": 2.5,
                },
                {"key": "a-group", "name": "A group", "kind": "user_group", "regions": ["154"]},
            ],
        )
        a.import_rows(
            "partners",
            [
                {
                    "key": "a-museum",
                    "name": "Nordic Museum",
                    "kind": "museum",
                    "country": "SE",
                    "wikidata": "Q1146494",
                }
            ],
        )
        a.import_rows(
            "partnerships",
            [
                {
                    "key": "a-public",
                    "title": "Public one",
                    "lead": "a-chapter",
                    "supporters": ["a-group"],
                    "partners": ["a-museum"],
                    "type": "glam",
                    "status": "active",
                    "visibility": "public",
                },
                {
                    "key": "a-movement",
                    "title": "Movement one",
                    "lead": "a-chapter",
                    "type": "glam",
                    "status": "active",
                    "visibility": "movement",
                },
                {
                    "key": "a-private",
                    "title": "Private one",
                    "lead": "a-chapter",
                    "type": "glam",
                    "status": "active",
                    "visibility": "private",
                },
            ],
        )
        yield instances
    finally:
        for instance in instances.values():
            instance.stop()


def test_adding_a_peer_with_the_wrong_fingerprint_exits_2_and_trusts_nothing(
    network: dict[str, Instance],
) -> None:
    a, b = network["a"], network["b"]
    wrong = "00" * 32
    result = a.cli("federation", "add", b.base_url, "--fingerprint", wrong)
    assert result.returncode == 2
    assert f"not the expected {wrong}" in result.stderr
    peers = json.loads(a.ok("federation", "peers", "--json"))["peers"]
    assert {peer["base_url"] for peer in peers} == {b.base_url, network["c"].base_url}


def test_initial_sync_brings_public_rows_and_movement_rows_only_to_movement_peers(
    network: dict[str, Instance],
) -> None:
    a, b, c = network["a"], network["b"], network["c"]
    report = b.sync(a)
    assert report["returncode"] == 0, report
    assert report["peers"][0]["created"] == 5
    c.sync(a)
    assert b.keys("partnerships", a.instance_id) == {"a-public", "a-movement"}
    assert c.keys("partnerships", a.instance_id) == {"a-public"}
    assert b.keys("entities", a.instance_id) == {"a-chapter", "a-group"}
    copy = next(row for row in b.export("partnerships") if row["key"] == "a-public")
    assert copy["supporters"] == ["a-group"]
    assert copy["partners"] == ["a-museum"]
    entity = next(row for row in b.export("entities") if row["key"] == "a-chapter")
    assert entity["staff_fte"] == 2.5


def test_private_and_seed_rows_are_never_in_any_feed(network: dict[str, Instance]) -> None:
    a = network["a"]
    page = httpx.get(a.base_url + "/federation/feed?after=0", timeout=5).json()
    ids = [item["object"]["id"] for item in page["orderedItems"]]
    assert ids
    assert all(item.startswith(a.instance_id + ":") for item in ids)
    assert "a-private" not in json.dumps(page)
    assert "a-movement" not in json.dumps(page)


def test_foreign_rows_are_read_only_with_their_origin(network: dict[str, Instance]) -> None:
    a, b = network["a"], network["b"]
    b.sync(a)
    code = (
        "from partnernet.directory.models import Entity; from partnernet.directory.rules import is_local_row;"
        "e = Entity.objects.get(key='a-chapter'); print(e.origin, is_local_row(None, e))"
    )
    assert b.python(code).split() == [a.instance_id, "False"]
    local = b.export("entities", origin="local")
    assert "a-chapter" not in {row["key"] for row in local}


def test_incremental_sync_applies_only_the_changes(network: dict[str, Instance]) -> None:
    a, b = network["a"], network["b"]
    b.sync(a)
    a.import_rows("entities", [{"key": "a-group", "name": "A group, renamed", "kind": "user_group"}])
    report = b.sync(a)["peers"][0]
    assert (report["created"], report["updated"], report["deleted"]) == (0, 1, 0)
    renamed = next(row for row in b.export("entities") if row["key"] == "a-group")
    assert renamed["name"] == "A group, renamed"
    again = b.sync(a)["peers"][0]
    assert (again["created"], again["updated"]) == (0, 0)


RECORD_OUTCOME = (
    "import datetime as dt\n"
    "from decimal import Decimal\n"
    "from partnernet.impact.services import record_outcome\n"
    "from partnernet.partnerships.models import Partnership\n"
    "for key, value in {values!r}.items():\n"
    "    record_outcome(None, Partnership.objects.get(key=key), indicator='media_uploaded',\n"
    "                   period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31),\n"
    "                   value=Decimal(value), measured_on=dt.date(2026, 1, 15))\n"
)
PEER_REPORT = (
    "from django.contrib.auth.models import AnonymousUser\n"
    "from partnernet.impact.models import Outcome\n"
    "from partnernet.impact.selectors import impact_report\n"
    "totals = {{i.code: v for i, v in impact_report(AnonymousUser()).total_pairs}}\n"
    "copy = Outcome.objects.get(origin={origin!r})\n"
    "print(copy.partnership.key, copy.partnership.origin, copy.value, copy.measured_on,\n"
    "      totals['media_uploaded'])\n"
)


def test_outcomes_travel_with_their_partnership_and_count_in_the_peers_report(
    network: dict[str, Instance],
) -> None:
    a, b = network["a"], network["b"]
    b.sync(a)
    a.python(RECORD_OUTCOME.format(values={"a-public": "300", "a-private": "7"}))
    report = b.sync(a)["peers"][0]
    assert report["created"] == 1, report
    figures = b.python(PEER_REPORT.format(origin=a.instance_id)).split()
    assert figures == ["a-public", a.instance_id, "300.00", "2026-01-15", "300.00"]
    a.python(RECORD_OUTCOME.format(values={"a-public": "350"}))
    again = b.sync(a)["peers"][0]
    assert (again["created"], again["updated"]) == (0, 1)
    assert b.python(PEER_REPORT.format(origin=a.instance_id)).split()[2] == "350.00"
    refused = b.python(
        "from partnernet.impact.models import Outcome\n"
        "from partnernet.partnerships.models import Partnership\n"
        "print(Outcome.objects.filter(partnership__key='a-private').count(),"
        " Partnership.objects.filter(key='a-private').count())\n"
    )
    assert refused.split() == ["0", "0"]


def test_delete_removes_the_copy_and_a_replayed_old_create_never_resurrects_it(
    network: dict[str, Instance],
) -> None:
    a, b = network["a"], network["b"]
    a.import_rows(
        "partnerships",
        [{"key": "a-doomed", "title": "Doomed", "lead": "a-chapter", "type": "glam", "status": "active"}],
    )
    b.sync(a)
    assert "a-doomed" in b.keys("partnerships", a.instance_id)
    a.python(
        "from partnernet.partnerships.models import Partnership as P; P.objects.get(key='a-doomed').delete()"
    )
    report = b.sync(a)["peers"][0]
    assert report["deleted"] == 1
    assert "a-doomed" not in b.keys("partnerships", a.instance_id)
    # Pull the whole feed again: the old Create of a-doomed is older than its tombstone and is ignored.
    b.python("from partnernet.federation.models import Peer; Peer.objects.update(cursor=0)")
    replay = b.sync(a)["peers"][0]
    assert replay["created"] == 0
    assert "a-doomed" not in b.keys("partnerships", a.instance_id)
    tombstone = b.python(
        "from partnernet.federation.models import ForeignRecord as F; "
        f"print(F.objects.filter(origin={a.instance_id!r}, deleted=True).count())"
    )
    assert int(tombstone) >= 1


def test_making_a_peer_a_movement_peer_later_sends_it_movement_rows(network: dict[str, Instance]) -> None:
    a, c = network["a"], network["c"]
    c.sync(a)
    assert "a-movement" not in c.keys("partnerships", a.instance_id)
    a.trust(c, movement=True)
    c.sync(a)
    assert "a-movement" in c.keys("partnerships", a.instance_id)


def test_a_peer_that_is_down_is_retried_and_the_next_sync_catches_up(network: dict[str, Instance]) -> None:
    b, c = network["b"], network["c"]
    b.stop()
    try:
        b.import_rows("entities", [{"key": "b-offline", "name": "Made while down", "kind": "chapter"}])
        failed = c.sync(b)
        assert failed["returncode"] == 1
        assert failed["peers"][0]["error"].startswith("network error")
        status = json.loads(c.ok("federation", "status", b.base_url, "--json"))["peers"][0]
        assert status["state"] == "retrying"
        assert status["next_attempt"] is not None
    finally:
        b.start()
    report = c.sync(b)
    assert report["returncode"] == 0
    assert "b-offline" in c.keys("entities", b.instance_id)
    status = json.loads(c.ok("federation", "status", b.base_url, "--json"))["peers"][0]
    assert (status["state"], status["failures"], status["lag"]) == ("ok", 0, 0)


def test_each_instance_serves_only_its_own_records(network: dict[str, Instance]) -> None:
    a, b, c = network["a"], network["b"], network["c"]
    b.sync(a)
    c.sync(b)
    assert not c.keys("entities", a.instance_id) - {"a-chapter", "a-group"}
    page = httpx.get(b.base_url + "/federation/feed?after=0", timeout=5).json()
    assert all(item["object"]["id"].startswith(b.instance_id + ":") for item in page["orderedItems"])


def test_sync_with_an_unknown_url_exits_2(network: dict[str, Instance], tmp_path: Path) -> None:
    result = network["a"].cli("federation", "sync", "http://127.0.0.1:9")
    assert result.returncode == 2
    assert "not a peer" in result.stderr


def test_a_request_routed_to_a_peers_steward_is_delivered_and_its_status_comes_back(
    network: dict[str, Instance],
) -> None:
    a, b = network["a"], network["b"]
    b.import_rows("entities", [{"key": "b-chapter", "name": "B chapter", "kind": "chapter", "country": "GH"}])
    b.import_rows(
        "stewardships",
        [
            {
                "key": "b-glam",
                "entity": "b-chapter",
                "type": "glam",
                "region": "002",
                "level": "lead",
                "capacity": 4,
            }
        ],
    )
    a.sync(b)  # B has not pulled A: the requester is new to it when the request arrives
    delivered = a.python(
        "from partnernet.directory.models import Entity\n"
        "from partnernet.federation.delivery import send_pending_deliveries\n"
        "from partnernet.framework.models import PartnershipType, Region\n"
        "from partnernet.support.services import create_request\n"
        "for key in ('a-asks', 'a-asks-again'):\n"
        "    r = create_request(None, requester=Entity.objects.get(key='a-group'),\n"
        "                       type=PartnershipType.objects.get(key='glam'),\n"
        "                       region=Region.objects.get(code='GH'), need='letter',\n"
        "                       description='A letter for the national archive.')\n"
        "    print(r.key, r.status, r.stewardship.key)\n"
        "report = send_pending_deliveries()\n"
        "again = send_pending_deliveries()\n"
        "print(report.delivered, again.delivered)\n"
    ).split()
    first, second = delivered[0], delivered[3]
    assert delivered[1:3] == ["offered", "b-glam"]
    assert delivered[-2:] == ["2", "0"]
    offered = b.python(
        "from partnernet.support.models import SupportRequest as R\n"
        "for r in R.objects.filter(inbox_item__isnull=False).order_by('pk'):\n"
        "    print(r.status, r.steward.key, r.requester.key, r.requester.origin, r.description.split()[-1])\n"
    )
    assert offered.split() == ["offered", "b-chapter", "a-group", a.instance_id, "archive."] * 2
    b.python(
        "from partnernet.support.models import SupportRequest as R\n"
        "from partnernet.support.services import accept_offer, decline_offer\n"
        "one, two = R.objects.filter(inbox_item__isnull=False).order_by('pk')\n"
        "accept_offer(None, one.key)\n"
        "decline_offer(None, two.key, 'No capacity for letters this month.')\n"
    )
    c_page = httpx.get(b.base_url + "/federation/feed?after=0", timeout=5).json()
    assert all(item["object"]["kind"] != "requests" for item in c_page["orderedItems"])
    report = a.sync(b)
    assert report["returncode"] == 0, report
    status = a.python(
        "from partnernet.support.models import SupportRequest as R\n"
        f"for key in ({first!r}, {second!r}):\n"
        "    r = R.objects.get(key=key)\n"
        "    print(r.status, r.queued, r.events.order_by('pk').last().kind)\n"
    )
    # Accepted on B; declined on B, so A moved it on: nobody else stewards GLAM there, so to the queue.
    assert status.split() == ["accepted", "False", "accepted", "open", "True", "queued"]
    reason = a.python(
        "from partnernet.support.models import SupportRequest as R\n"
        f"print(R.objects.get(key={second!r}).events.filter(kind='declined').get().message)\n"
    )
    assert "No capacity for letters this month." in reason


def test_a_partnership_made_public_again_comes_back_and_a_peer_added_later_gets_the_current_state(
    network: dict[str, Instance],
) -> None:
    a, b, c = network["a"], network["b"], network["c"]
    row = {"key": "a-flip", "title": "Flip", "lead": "a-chapter", "type": "glam", "status": "active"}
    a.import_rows("partnerships", [row])
    b.sync(a)
    assert "a-flip" in b.keys("partnerships", a.instance_id)
    a.import_rows("partnerships", [{**row, "visibility": "private"}])
    b.sync(a)
    assert "a-flip" not in b.keys("partnerships", a.instance_id)
    a.import_rows("partnerships", [{**row, "visibility": "public", "title": "Flip again"}])
    b.sync(a)
    held = {p["key"]: p for p in b.export("partnerships") if p["key"] == "a-flip"}
    assert held["a-flip"]["title"] == "Flip again"
    # C removes A with its rows, then adds it again: a peer added later gets the current state.
    dry = c.ok("federation", "remove", a.base_url, "--dry-run")
    assert "partnerships" in dry
    c.ok("federation", "remove", a.base_url)
    assert c.keys("partnerships", a.instance_id) == set()
    c.trust(a)
    c.sync(a)
    now_held = c.keys("partnerships", a.instance_id)
    assert {"a-public", "a-flip"} <= now_held
    assert "a-private" not in now_held
