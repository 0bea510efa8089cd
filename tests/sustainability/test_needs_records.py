"""Needs and pledges as records: the writers derive a need's status, import/export round-trips, bad input
is refused with its line and field, and a private need never leaves the instance."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail

from partnernet.audit.models import AuditEvent
from partnernet.base.formats import iter_lines
from partnernet.base.records import RecordRejected
from partnernet.base.rows import export_rows
from partnernet.exchange.services import ImportRejected, import_file
from partnernet.federation.models import FeedEvent
from partnernet.sustainability import services
from partnernet.sustainability.models import Need, Pledge
from tests.factories import EntityFactory, MembershipFactory, StewardshipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _need(entity: object, **data: object) -> Need:
    values = {"kind": "funding", "title": "Coordinator salary", "amount": "1000", "unit": "money",
              "currency": "EUR", **data}  # fmt: skip
    return services.declare_need(None, entity, values)


def test_status_follows_delivered_pledges_and_every_step_is_audited() -> None:
    steward, giver = EntityFactory(kind="chapter"), EntityFactory()
    need = _need(steward)
    assert need.status == "open"
    first = services.make_pledge(None, need, what="Half", amount=Decimal("600"), entity=giver)
    assert Need.objects.get(pk=need.pk).status == "open"
    services.confirm_delivery(None, first)
    assert Need.objects.get(pk=need.pk).status == "partly_met"
    second = services.make_pledge(None, need, what="The rest", amount=Decimal("400"), person="Ada")
    services.confirm_delivery(None, second)
    assert Need.objects.get(pk=need.pk).status == "met"
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"create_need", "create_pledge", "deliver_pledge", "update_need_status"} <= verbs


def test_both_sides_are_told_by_mail() -> None:
    steward, giver = EntityFactory(kind="chapter"), EntityFactory()
    admin = MembershipFactory(entity=steward, role="admin").user
    pledger = UserFactory()
    need = _need(steward)
    with_commit = services.make_pledge(pledger, need, what="A grant", amount=Decimal("10"), entity=giver)
    assert with_commit.made_by == pledger
    # send_localised queues on commit; the test transaction never commits, so run the hooks by hand
    from django.db import connection

    for _, hook, _ in list(connection.run_on_commit):
        hook()
    recipients = {address for message in mail.outbox for address in message.bcc}
    assert {admin.email, pledger.email} <= recipients
    assert any("€10.00" in message.body for message in mail.outbox)


def test_withdrawing_cancels_waiting_pledges_and_refuses_new_ones() -> None:
    steward = EntityFactory(kind="chapter")
    need = _need(steward)
    waiting = services.make_pledge(None, need, what="Later", amount=Decimal("5"), person="Bo")
    services.withdraw_need(None, need)
    assert Pledge.objects.get(pk=waiting.pk).status == "cancelled"
    with pytest.raises(RecordRejected) as refused:
        services.make_pledge(None, need, what="Too late", amount=Decimal("5"), person="Cy")
    assert "withdrawn" in refused.value.fields["need"][0]
    assert Pledge.objects.filter(need=need).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"amount": "-5"}, "amount", "not more than 0"),
        ({"currency": "XYZ"}, "currency", "ISO 4217"),
        ({"currency": ""}, "currency", "required for money"),
        ({"unit": "hours"}, "currency", "only given for money"),
    ],
)
def test_bad_needs_are_refused_and_nothing_is_stored(data: dict[str, str], field: str, words: str) -> None:
    with pytest.raises(RecordRejected) as refused:
        _need(EntityFactory(kind="chapter"), **data)
    assert words in " ".join(refused.value.fields[field])
    assert not Need.objects.exists()


def test_a_need_serves_only_its_own_stewardships() -> None:
    steward = EntityFactory(kind="chapter")
    other = StewardshipFactory()
    with pytest.raises(RecordRejected) as refused:
        _need(steward, stewardships=[other.key])
    assert "is not a stewardship of" in refused.value.fields["stewardships"][0]


def test_export_then_import_changes_nothing(tmp_path: Path) -> None:
    steward, giver = EntityFactory(kind="chapter", key="steward"), EntityFactory(key="giver")
    mine = StewardshipFactory(entity=steward, key="glam-lead")
    need = _need(steward, stewardships=[mine.key], visibility="public")
    services.confirm_delivery(
        None, services.make_pledge(None, need, what="x", amount=Decimal("1"), entity=giver)
    )

    for kind in ("needs", "pledges"):
        fields = __import__("partnernet.base.registry", fromlist=["x"]).record_kind(kind).exchange.fields
        path = tmp_path / f"{kind}.csv"
        path.write_text("".join(iter_lines(export_rows(kind), "csv", fields)))
        assert import_file(kind, path).as_dict() == {"kind": kind, "created": 0, "updated": 0, "unchanged": 1}


def test_import_reports_every_bad_line_and_writes_nothing(tmp_path: Path) -> None:
    steward = EntityFactory(kind="chapter", key="steward")
    _need(steward)
    withdrawn = _need(steward, title="Old")
    services.withdraw_need(None, withdrawn)
    path = tmp_path / "pledges.csv"
    path.write_text(
        "key,need,person,what,amount\n"
        f"p1,{Need.objects.get(title='Coordinator salary').key},Ada,Grant,-3\n"
        f"p2,{withdrawn.key},Bo,Grant,3\n"
        f"p3,nope,Cy,Grant,3\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_file("pledges", path)
    found = {(p.line, p.field) for p in rejected.value.problems}
    assert {(2, "amount"), (3, "need"), (4, "need")} <= found
    assert not Pledge.objects.exists()


def test_import_of_delivered_pledges_updates_the_needs_status(tmp_path: Path) -> None:
    need = _need(EntityFactory(kind="chapter"))
    path = tmp_path / "pledges.jsonl"
    path.write_text(f'{{"key": "p1", "need": "{need.key}", "person": "Ada", "what": "All", "amount": "1000", '
                    '"status": "delivered"}\n')  # fmt: skip
    import_file("pledges", path)
    assert Need.objects.get(pk=need.pk).status == "met"


def test_a_private_need_and_its_pledges_never_enter_the_feed() -> None:
    steward = EntityFactory(kind="chapter")
    private = _need(steward, visibility="private")
    pledge = services.make_pledge(None, private, what="x", amount=Decimal("1"), person="Ada")
    assert not FeedEvent.objects.filter(record_uuid__in=[private.uuid, pledge.uuid]).exists()
    movement = _need(steward, title="Shared")
    assert {e.audience for e in FeedEvent.objects.filter(record_uuid=movement.uuid)} == {"movement"}


def test_only_the_entitys_home_publishes_its_needs() -> None:
    elsewhere = EntityFactory(kind="chapter", home="pn-another-instance")
    with pytest.raises(RecordRejected) as refused:
        _need(elsewhere)
    assert "homed on pn-another-instance" in refused.value.fields["entity"][0]
    assert not Need.objects.exists()
