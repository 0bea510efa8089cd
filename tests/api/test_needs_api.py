"""``/api/v1/needs`` and ``/api/v1/pledges``: FORMATS.md rows, the same rules as the pages, errors as JSON."""

from __future__ import annotations

from django.test import Client

from partnernet.sustainability.models import Need, Pledge
from tests.api.conftest import World, as_json, bearer

NEED = {"entity": "home-group", "kind": "funding", "title": "Coordinator", "amount": "1200.5",
        "unit": "money", "currency": "eur", "visibility": "public"}  # fmt: skip


def test_an_admin_declares_a_need_and_everyone_reads_the_public_row(world: World) -> None:
    made = as_json(Client(), "post", "/api/v1/needs", NEED, **bearer(world.admin))
    assert made.status_code == 201, made.json()
    row = made.json()
    assert (row["currency"], row["amount"], row["status"], row["visibility"]) == (
        "EUR",
        "1200.50",
        "open",
        "public",
    )
    listed = Client().get("/api/v1/needs").json()
    assert [item["key"] for item in listed["items"]] == [row["key"]]
    assert Client().get(f"/api/v1/needs/{row['key']}").json()["entity"] == "home-group"


def test_only_the_entitys_admins_declare(world: World) -> None:
    for user in (world.member, world.outsider, world.facilitator):
        answer = as_json(Client(), "post", "/api/v1/needs", NEED, **bearer(user))
        assert answer.status_code == 403
        assert answer.json()["error"]["code"] == "forbidden"
    assert not Need.objects.exists()


def test_bad_input_is_a_422_with_fields_and_nothing_changes(world: World) -> None:
    bad = {**NEED, "amount": "-4", "currency": "ABC"}
    answer = as_json(Client(), "post", "/api/v1/needs", bad, **bearer(world.admin))
    assert answer.status_code == 422
    fields = answer.json()["error"]["fields"]
    assert "not more than 0" in fields["amount"][0]
    assert "ISO 4217" in fields["currency"][0]
    assert not Need.objects.exists()


def test_pledge_lifecycle_over_the_api(world: World) -> None:
    key = as_json(Client(), "post", "/api/v1/needs", NEED, **bearer(world.admin)).json()["key"]
    giver = world.other.memberships.get().user
    body = {"need": key, "entity": "other-group", "what": "Grant", "amount": "1200.50", "when": "2027-01-31"}
    made = as_json(Client(), "post", "/api/v1/pledges", body, **bearer(giver))
    assert made.status_code == 201, made.json()
    pledge = made.json()["key"]
    assert made.json()["when"] == "2027-01-31"
    refused = as_json(Client(), "post", f"/api/v1/pledges/{pledge}/deliver", **bearer(giver))
    assert refused.status_code == 403
    done = as_json(Client(), "post", f"/api/v1/pledges/{pledge}/deliver", **bearer(world.admin))
    assert done.json()["status"] == "delivered"
    assert Client().get(f"/api/v1/needs/{key}").json()["status"] == "met"
    again = as_json(Client(), "post", f"/api/v1/pledges/{pledge}/cancel", **bearer(giver))
    assert again.status_code == 403
    assert Pledge.objects.get(key=pledge).status == "delivered"


def test_a_pledge_to_a_withdrawn_need_is_refused(world: World) -> None:
    key = as_json(Client(), "post", "/api/v1/needs", NEED, **bearer(world.admin)).json()["key"]
    withdrawn = as_json(
        Client(), "patch", f"/api/v1/needs/{key}", {"status": "withdrawn"}, **bearer(world.admin)
    )
    assert withdrawn.json()["status"] == "withdrawn"
    body = {"need": key, "person": "Ada", "what": "Grant", "amount": "1"}
    answer = as_json(Client(), "post", "/api/v1/pledges", body, **bearer(world.outsider))
    assert answer.status_code == 403
    assert "withdrawn" in answer.json()["error"]["message"]
    assert not Pledge.objects.exists()


def test_a_private_need_is_invisible_to_others_on_the_api(world: World) -> None:
    key = as_json(Client(), "post", "/api/v1/needs", {**NEED, "visibility": "private"}, **bearer(world.admin))
    key = key.json()["key"]
    for user in (world.outsider, world.facilitator):
        client_headers = bearer(user, "read")
        assert Client().get("/api/v1/needs", **client_headers).json()["items"] == []
        assert Client().get(f"/api/v1/needs/{key}", **client_headers).status_code == 404
    assert Client().get(f"/api/v1/needs/{key}").status_code == 404
    assert Client().get(f"/api/v1/needs/{key}", **bearer(world.member, "read")).status_code == 200
