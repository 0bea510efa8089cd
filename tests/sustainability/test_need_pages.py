"""The pages of needs and pledges: who may declare, pledge, confirm and cancel; what others see."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from partnernet.sustainability import services
from partnernet.sustainability.models import Need, Pledge
from tests.factories import EntityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, object]:
    steward, giver = EntityFactory(kind="chapter", key="steward"), EntityFactory(key="giver")
    return {
        "steward": steward,
        "giver": giver,
        "admin": MembershipFactory(entity=steward, role="admin").user,
        "member": MembershipFactory(entity=steward, role="member").user,
        "giver_member": MembershipFactory(entity=giver, role="member").user,
        "outsider": UserFactory(),
    }


def _client(user: object | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]
    return client


def _need(entity: object, **data: object) -> Need:
    values = {
        "kind": "funding",
        "title": "Salary",
        "amount": "1000",
        "unit": "money",
        "currency": "EUR",
        **data,
    }
    return services.declare_need(None, entity, values)


NEW_NEED = {"kind": "staff", "title": "A coordinator", "amount": "0.5", "unit": "fte", "urgency": "high",
            "visibility": "movement"}  # fmt: skip


NEW = "/needs/new/"


def test_only_the_entitys_admins_declare_its_needs(world: dict[str, object]) -> None:
    steward = world["steward"]
    for who in ("member", "giver_member", "outsider"):
        answer = _client(world[who]).post(
            reverse("sustainability:need-new"), {**NEW_NEED, "entity": steward.pk}
        )  # type: ignore[attr-defined]
        assert answer.status_code in (400, 403), who
    assert not Need.objects.exists()
    answer = _client(world["admin"]).post(
        reverse("sustainability:need-new"), {**NEW_NEED, "entity": steward.pk}
    )  # type: ignore[attr-defined]
    assert answer.status_code == 302
    need = Need.objects.get()
    assert (need.entity, need.unit, need.amount, need.declared_by) == (
        steward,
        "fte",
        Decimal("0.50"),
        world["admin"],
    )


@pytest.mark.parametrize(
    ("bad", "words"),
    [({"amount": "-3"}, "not more than 0"), ({"unit": "money", "currency": "ZZZ"}, "ISO 4217")],
)
def test_bad_input_on_the_form_gets_a_message_and_changes_nothing(
    world: dict[str, object], bad: dict[str, str], words: str
) -> None:
    data = {**NEW_NEED, "entity": world["steward"].pk, **bad}  # type: ignore[attr-defined]
    answer = _client(world["admin"]).post(reverse("sustainability:need-new"), data)
    assert answer.status_code == 400
    assert words in answer.content.decode()
    assert not Need.objects.exists()


def test_another_entitys_member_pledges_and_the_admins_confirm(world: dict[str, object]) -> None:
    need = _need(world["steward"])
    giver = _client(world["giver_member"])
    answer = giver.post(
        reverse("sustainability:pledge-new", args=[need.key]),
        {"entity": world["giver"].pk, "what": "Grant", "amount": "1000"},  # type: ignore[attr-defined]
    )
    assert answer.status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.entity, pledge.made_by) == (world["giver"], world["giver_member"])
    deliver = reverse("sustainability:pledge-step", args=[pledge.key, "deliver"])
    assert giver.post(deliver).status_code == 403  # a pledger does not confirm its own delivery
    assert _client(world["admin"]).post(deliver).status_code == 302
    assert Need.objects.get(pk=need.pk).status == "met"


def test_a_pledger_changes_only_its_own_pledge(world: dict[str, object]) -> None:
    need = _need(world["steward"])
    mine = services.make_pledge(
        world["giver_member"], need, what="Mine", amount=Decimal(5), entity=world["giver"]
    )
    cancel = reverse("sustainability:pledge-step", args=[mine.key, "cancel"])
    assert _client(world["outsider"]).post(cancel).status_code in (403, 404)  # it cannot even see it
    assert _client(world["admin"]).post(cancel).status_code == 403
    assert Pledge.objects.get(pk=mine.pk).status == "pledged"
    assert _client(world["giver_member"]).post(cancel).status_code == 302
    assert Pledge.objects.get(pk=mine.pk).status == "cancelled"


def test_pledging_to_a_withdrawn_need_is_refused(world: dict[str, object]) -> None:
    need = _need(world["steward"], visibility="public")
    services.withdraw_need(None, need)
    answer = _client(world["outsider"]).post(
        reverse("sustainability:pledge-new", args=[need.key]), {"person": "Ada", "what": "x", "amount": "1"}
    )
    assert answer.status_code == 403
    assert not Pledge.objects.exists()


def test_a_negative_pledge_is_refused_on_the_page(world: dict[str, object]) -> None:
    need = _need(world["steward"], visibility="public")
    answer = _client(world["outsider"]).post(
        reverse("sustainability:pledge-new", args=[need.key]), {"person": "Ada", "what": "x", "amount": "-1"}
    )
    assert answer.status_code == 400
    assert "not more than 0" in answer.content.decode()
    assert not Pledge.objects.exists()


def test_a_private_need_shows_only_to_its_entitys_members(world: dict[str, object]) -> None:
    need = _need(world["steward"], visibility="private", title="Secret salary")
    for who in (None, "giver_member", "outsider"):
        client = _client(world[who] if who else None)
        assert client.get(reverse("sustainability:need", args=[need.key])).status_code == 404
        assert "Secret salary" not in client.get(reverse("sustainability:needs")).content.decode()
        exported = client.get(reverse("sustainability:export", args=["needs", "csv"])).getvalue().decode()
        assert "Secret salary" not in exported
    member = _client(world["member"])
    assert member.get(reverse("sustainability:need", args=[need.key])).status_code == 200
    exported = member.get(reverse("sustainability:export", args=["needs", "jsonl"])).getvalue().decode()
    assert "Secret salary" in exported
    assert "Secret salary" in member.get(reverse("sustainability:needs")).content.decode()


def test_anonymous_visitors_see_public_needs_only(world: dict[str, object]) -> None:
    _need(world["steward"], visibility="public", title="Open books")
    _need(world["steward"], title="Movement only")
    page = _client(None).get(reverse("sustainability:needs")).content.decode()
    assert "Open books" in page
    assert "Movement only" not in page


def test_a_pledger_corrects_its_pledge_and_bad_input_changes_nothing(world: dict[str, object]) -> None:
    need = _need(world["steward"])
    mine = services.make_pledge(
        world["giver_member"], need, what="Mine", amount=Decimal(5), entity=world["giver"]
    )
    change = reverse("sustainability:pledge-step", args=[mine.key, "change"])
    pledger = _client(world["giver_member"])
    pledger.post(change, {"what": "Mine, more", "amount": "-7"})
    assert (Pledge.objects.get(pk=mine.pk).what, Pledge.objects.get(pk=mine.pk).amount) == (
        "Mine",
        Decimal(5),
    )
    assert pledger.post(change, {"what": "Mine, more", "amount": "7"}).status_code == 302
    assert Pledge.objects.get(pk=mine.pk).amount == Decimal(7)
    assert _client(world["admin"]).post(change, {"what": "Theirs", "amount": "1"}).status_code == 403
