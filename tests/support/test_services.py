"""The support workflow through its services: routing, offers, answers, the queue, SLA and hosting."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from partnernet.audit.models import AuditEvent
from partnernet.support import services
from partnernet.support.models import Hosting, SupportRequest
from tests.factories import EntityFactory, StewardshipFactory, ptype, region
from tests.support.conftest import World, new_request

pytestmark = pytest.mark.django_db


def kinds(request: SupportRequest) -> list[str]:
    return list(request.events.order_by("at", "pk").values_list("kind", flat=True))


def test_new_request_is_offered_to_the_best_candidate_with_the_reason(world: World) -> None:
    request = new_request(world)
    assert request.status == "offered"
    assert request.stewardship == world.first.__class__.objects.get(key="se-glam")
    assert request.steward.name == "Wikimedia Sverige"
    assert (
        request.explanation
        == "routed to Wikimedia Sverige: GLAM lead for Northern Europe, load 0/3, shares sv; "
        "next in line: Wikimedia Norge"
    )
    assert kinds(request) == ["created", "offered"]
    assert request.due_at - request.offered_at == dt.timedelta(days=7)
    assert AuditEvent.objects.filter(verb="create_request", object_pk=str(request.pk)).exists()


def test_both_sides_are_emailed_on_an_offer(world: World, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        new_request(world)
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].bcc) == {"ana@example.org", "steward@wmse.example"}
    assert "Wikimedia Sverige" in mail.outbox[0].subject


def test_decline_moves_the_request_to_the_next_candidate(world: World) -> None:
    request = new_request(world)
    services.decline_offer(world.first_user, request.key, "No capacity for photo uploads this month.")
    request.refresh_from_db()
    assert request.status == "offered"
    assert request.steward.name == "Wikimedia Norge"
    assert request.tried == [world.first.pk]
    assert kinds(request) == ["created", "offered", "declined", "offered"]
    declined = request.events.get(kind="declined")
    assert declined.note == "No capacity for photo uploads this month."
    assert declined.steward.name == "Wikimedia Sverige"
    assert declined.actor == world.first_user


def test_request_with_no_candidate_left_goes_to_the_facilitators_queue(world: World) -> None:
    request = new_request(world)
    services.decline_offer(world.first_user, request.key, "Busy.")
    services.decline_offer(world.second_user, request.key, "Busy too.")
    request.refresh_from_db()
    assert request.status == "open"
    assert request.queued
    assert request.steward is None
    assert request.explanation == "No steward is left to offer it to."
    assert kinds(request)[-1] == "queued"


def test_request_nobody_covers_is_queued_at_once(world: World) -> None:
    request = new_request(world, type=ptype("policy"))
    assert request.status == "open"
    assert request.queued
    assert request.explanation == "No active stewardship covers this type and region."


def test_a_steward_at_capacity_is_only_chosen_when_nobody_else_can(world: World) -> None:
    world.first.capacity = 0
    world.first.save()
    assert new_request(world).steward.name == "Wikimedia Norge"
    world.second.capacity = 0
    world.second.save()
    fallback = new_request(world)
    assert fallback.steward.name == "Wikimedia Sverige"
    assert fallback.explanation.endswith("at capacity; next in line: Wikimedia Norge")


def test_accept_start_and_resolve_with_outcome(world: World) -> None:
    request = new_request(world)
    services.accept_offer(world.first_user, request.key)
    services.start_work(world.first_user, request.key)
    services.resolve_request(world.first_user, request.key, "Agreement co-signed on 2026-11-30.")
    request.refresh_from_db()
    assert request.status == "resolved"
    assert request.outcome == "Agreement co-signed on 2026-11-30."
    assert request.resolved == timezone.localdate()
    assert request.due_at is None
    assert kinds(request)[-3:] == ["accepted", "in_progress", "resolved"]


def test_only_the_steward_it_is_offered_to_may_answer(world: World) -> None:
    request = new_request(world)
    with pytest.raises(PermissionDenied):
        services.accept_offer(world.second_user, request.key)
    with pytest.raises(PermissionDenied):
        services.accept_offer(world.asker, request.key)
    request.refresh_from_db()
    assert request.status == "offered"


def test_a_second_answer_gets_a_clear_message_and_changes_nothing(world: World) -> None:
    request = new_request(world)
    services.accept_offer(world.first_user, request.key)
    with pytest.raises(services.WorkflowError, match="already accepted \\(Wikimedia Sverige\\)"):
        services.decline_offer(world.first_user, request.key, "Changed my mind.")
    request.refresh_from_db()
    assert request.status == "accepted"
    assert kinds(request) == ["created", "offered", "accepted"]


def test_decline_and_resolve_need_a_reason_and_an_outcome(world: World) -> None:
    request = new_request(world)
    with pytest.raises(services.WorkflowError):
        services.decline_offer(world.first_user, request.key, "  ")
    services.accept_offer(world.first_user, request.key)
    with pytest.raises(services.WorkflowError):
        services.resolve_request(world.first_user, request.key, "")


def test_only_members_of_the_requester_may_ask_for_it(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.create_request(
            world.first_user,
            requester=world.requester,
            type=ptype("glam"),
            region=region("SE"),
            need="tools",
        )
    assert not SupportRequest.objects.exists()


def test_withdraw_by_the_requester_frees_the_steward(world: World) -> None:
    request = new_request(world)
    with pytest.raises(PermissionDenied):
        services.withdraw(world.first_user, request.key)
    services.withdraw(world.asker, request.key, "Found help locally.")
    request.refresh_from_db()
    assert request.status == "withdrawn"
    with pytest.raises(services.WorkflowError):
        services.accept_offer(world.first_user, request.key)


def test_overdue_offer_moves_on_and_escalation_is_idempotent(world: World) -> None:
    request = new_request(world)
    assert not services.escalate_overdue(request.key)
    later = request.due_at + dt.timedelta(seconds=1)
    assert services.escalate_overdue(request.key, later)
    request.refresh_from_db()
    assert request.steward.name == "Wikimedia Norge"
    assert kinds(request)[-2:] == ["timed_out", "offered"]
    assert "did not answer by" in request.events.get(kind="timed_out").note
    assert not services.escalate_overdue(request.key)
    assert request.events.count() == 4


def test_sweep_escalates_every_overdue_offer_and_nothing_else(world: World) -> None:
    overdue = new_request(world)
    fresh = new_request(world)
    SupportRequest.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    assert services.escalate_all_overdue() == 1
    overdue.refresh_from_db()
    fresh.refresh_from_db()
    assert overdue.steward.name == "Wikimedia Norge"
    assert fresh.steward.name == "Wikimedia Sverige"


def test_facilitator_offers_by_hand_and_routes_the_queue_again(world: World) -> None:
    request = new_request(world)
    services.decline_offer(world.first_user, request.key, "No.")
    services.decline_offer(world.second_user, request.key, "No.")
    with pytest.raises(PermissionDenied):
        services.route_request(world.asker, request.key)
    best = services.route_request(world.facilitator, request.key)
    assert best is not None
    assert best.stewardship == "se-glam"
    services.offer(world.facilitator, request.key, "no-glam")
    request.refresh_from_db()
    assert request.steward.name == "Wikimedia Norge"
    assert request.explanation == "a facilitator (fac) chose Wikimedia Norge"
    with pytest.raises(services.WorkflowError, match="No active stewardship"):
        services.offer(world.facilitator, request.key, "missing")


def test_resolved_co_signing_establishes_hosting_that_either_side_ends(world: World) -> None:
    request = new_request(world)
    services.accept_offer(world.first_user, request.key)
    with pytest.raises(services.WorkflowError):
        services.establish_hosting(world.first_user, request.key)
    services.resolve_request(world.first_user, request.key, "Co-signed.")
    with pytest.raises(PermissionDenied):
        services.establish_hosting(world.asker, request.key)
    hosting = services.establish_hosting(world.first_user, request.key, dt.date(2030, 1, 1))
    assert (hosting.host.name, hosting.hosted.name, hosting.status) == (
        "Wikimedia Sverige",
        "Ana (volunteer)",
        "active",
    )
    with pytest.raises(services.WorkflowError, match="already hosts"):
        services.establish_hosting(world.first_user, request.key)
    with pytest.raises(PermissionDenied):
        services.end_hosting(world.second_user, hosting.pk, "Not ours.")
    ended = services.end_hosting(world.asker, hosting.pk, "We registered our own association.")
    assert ended.status == "ended"
    assert ended.ended_by == world.requester
    with pytest.raises(services.WorkflowError, match="already ended"):
        services.end_hosting(world.first_user, hosting.pk, "Again.")
    assert Hosting.objects.count() == 1


def test_tools_request_does_not_lead_to_hosting(world: World) -> None:
    request = new_request(world, need="tools")
    services.accept_offer(world.first_user, request.key)
    services.resolve_request(world.first_user, request.key, "Set up.")
    with pytest.raises(services.WorkflowError, match="co-signing"):
        services.establish_hosting(world.first_user, request.key)


def test_public_proposal_becomes_a_partner_and_a_routed_request(world: World) -> None:
    request = services.submit_public_proposal(
        institution="Uppsala City Museum",
        kind="museum",
        country=region("SE"),
        website="https://museum.example",
        contact_name="Eva",
        contact_email="eva@museum.example",
        consent=True,
        type=ptype("glam"),
        region=region("SE"),
        description="We hold 10,000 photographs.",
    )
    assert request.requester is None
    assert request.partner.name == "Uppsala City Museum"
    assert request.asker_name == "Uppsala City Museum"
    assert request.status == "offered"
    assert request.steward.name == "Wikimedia Sverige"


def test_rebalance_moves_requests_off_a_lapsed_steward_and_explains(world: World) -> None:
    first = new_request(world)
    second = new_request(world)
    world.first.status = "lapsed"
    world.first.save()
    dry = services.rebalance_requests(None, dry_run=True)
    assert {m.request for m in dry.moves} == {first.key, second.key}
    assert all("se-glam is no longer available" in m.reason for m in dry.moves)
    first.refresh_from_db()
    assert first.stewardship_id == world.first.pk
    report = services.rebalance_requests(None)
    assert report.applied == 2
    first.refresh_from_db()
    assert first.stewardship_id == world.second.pk
    assert first.status == "offered"
    assert first.explanation.startswith("rebalance: se-glam is no longer available")
    assert kinds(first)[-1] == "reassigned"
    assert services.rebalance_requests(None).moves == ()


def test_rebalance_leaves_accepted_requests_and_respects_capacity(world: World) -> None:
    world.first.capacity = 1
    world.first.save()
    world.second.capacity = 1
    world.second.save()
    held = new_request(world)
    services.accept_offer(world.first_user, held.key)
    extra = EntityFactory(key="third", name="Third", kind="chapter")
    third = StewardshipFactory(key="third-glam", entity=extra, region=region("150"), capacity=5)
    waiting = [new_request(world) for _ in range(3)]
    report = services.rebalance_requests(None)
    assert held.key not in {m.request for m in report.moves}
    placed = {r.key: SupportRequest.objects.get(pk=r.pk).stewardship_id for r in waiting}
    assert sorted(placed.values()) == sorted([world.second.pk, third.pk, third.pk])
