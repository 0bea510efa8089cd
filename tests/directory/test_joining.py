"""Asking to join an entity and claiming a seeded affiliate: the rules, the refusals, who is told."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from partnernet.audit.models import AuditEvent
from partnernet.base.identity import instance_id
from partnernet.directory import joining
from partnernet.directory.models import Claim, Entity, EntityProfile, JoinRequest, Membership
from tests.factories import (
    ClaimFactory,
    EntityFactory,
    MembershipFactory,
    UserFactory,
    facilitator,
    seeded_entity,
)

pytestmark = pytest.mark.django_db

EVIDENCE = "https://meta.wikimedia.org/wiki/Wikimedia_Sverige"


def test_join_request_tells_the_admins_and_approval_makes_a_member(
    django_capture_on_commit_callbacks: Any,
) -> None:
    admin = MembershipFactory(role="admin")
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        join = joining.ask_to_join(person, admin.entity, "I run a GLAM project in Uppsala.")
    assert [m.bcc for m in mail.outbox] == [[admin.user.email], [person.email]]
    assert "asks to join" in mail.outbox[0].subject
    assert "Uppsala" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        joining.decide_join(admin.user, join, approve=True)
    assert Membership.objects.get(user=person, entity=admin.entity).role == "member"
    assert "You are now a member" in mail.outbox[-1].subject
    assert mail.outbox[-1].bcc == [person.email]
    assert set(AuditEvent.objects.values_list("verb", flat=True)) >= {
        "ask_to_join",
        "approve_join",
        "add_membership",
    }


def test_refused_join_request_tells_the_person_the_reason(django_capture_on_commit_callbacks: Any) -> None:
    admin = MembershipFactory(role="admin")
    join = joining.ask_to_join(UserFactory(), admin.entity)
    with django_capture_on_commit_callbacks(execute=True):
        joining.decide_join(admin.user, join, approve=False, reason="We only take members from Uppsala.")
    assert "refused" in mail.outbox[-1].subject
    assert "only take members from Uppsala" in mail.outbox[-1].body
    assert not Membership.objects.filter(user=join.user, entity=admin.entity).exists()
    with pytest.raises(joining.Refused, match="already refused"):
        joining.decide_join(admin.user, join, approve=True)


def test_a_second_join_request_is_refused_and_changes_nothing() -> None:
    admin = MembershipFactory(role="admin")
    person = UserFactory()
    joining.ask_to_join(person, admin.entity)
    with pytest.raises(joining.Refused, match="already asked to join"):
        joining.ask_to_join(person, admin.entity, "again")
    assert JoinRequest.objects.filter(user=person).count() == 1


def test_joining_is_refused_to_members_and_where_nobody_could_decide() -> None:
    member = MembershipFactory()
    with pytest.raises(joining.Refused, match="already a member"):
        joining.ask_to_join(member.user, member.entity)
    with pytest.raises(joining.Refused, match="claim it instead"):
        joining.ask_to_join(UserFactory(), seeded_entity())
    assert not JoinRequest.objects.exists()


def test_claim_approved_makes_the_claimant_admin_and_this_instance_the_home(
    django_capture_on_commit_callbacks: Any,
) -> None:
    reviewer = facilitator()
    claimant = UserFactory()
    sweden = seeded_entity()
    with django_capture_on_commit_callbacks(execute=True):
        claim = joining.claim_entity(claimant, sweden, EVIDENCE, "I am the chapter's operations manager.")
    assert mail.outbox[0].bcc == [reviewer.email]
    assert EVIDENCE in mail.outbox[0].body
    assert "received" in mail.outbox[1].subject
    with django_capture_on_commit_callbacks(execute=True):
        joining.decide_claim(reviewer, claim, approve=True)
    sweden.refresh_from_db()
    assert sweden.home == instance_id()
    assert sweden.origin == "seed"
    assert Membership.objects.get(user=claimant, entity=sweden).role == "admin"
    assert EntityProfile.objects.filter(entity=sweden, origin=instance_id()).exists()
    assert "admin of Wikimedia Sweden" in mail.outbox[-1].subject
    assert AuditEvent.objects.get(verb="set_entity_home").changes == {"home": ["", instance_id()]}


def test_a_claim_without_evidence_is_refused_and_stores_nothing() -> None:
    with pytest.raises(joining.Refused) as refused:
        joining.claim_entity(UserFactory(), seeded_entity(), "", "  ")
    assert set(refused.value.fields) == {"evidence_url", "statement"}
    with pytest.raises(joining.Refused) as refused:
        joining.claim_entity(UserFactory(), seeded_entity(), "not a link", "I am its treasurer.")
    assert "not an http(s) URL" in refused.value.fields["evidence_url"][0]
    assert not Claim.objects.exists()


def test_a_duplicate_claim_is_refused() -> None:
    claim = ClaimFactory()
    with pytest.raises(joining.Refused, match="already claimed"):
        joining.claim_entity(claim.user, claim.entity, EVIDENCE, "Again.")
    assert Claim.objects.count() == 1


def test_a_claim_on_an_entity_with_admins_is_refused_even_at_approval() -> None:
    sweden = seeded_entity()
    first, second = ClaimFactory(entity=sweden), ClaimFactory(entity=sweden)
    reviewer = facilitator()
    joining.decide_claim(reviewer, first, approve=True)
    with pytest.raises(joining.Refused, match="already has admins"):
        joining.claim_entity(UserFactory(), sweden, EVIDENCE, "Me too.")
    with pytest.raises(joining.Refused, match="already has admins"):
        joining.decide_claim(reviewer, second, approve=True)
    second.refresh_from_db()
    assert second.status == "pending"
    assert list(Membership.objects.filter(entity=sweden).values_list("user", flat=True)) == [first.user_id]


def test_a_claim_on_an_entity_homed_elsewhere_names_its_home() -> None:
    Entity.objects.filter(origin="seed", key="wikimedia-sweden").update(home="wmse-instance")
    with pytest.raises(joining.Refused, match="homed at wmse-instance: claim it there"):
        joining.claim_entity(UserFactory(), seeded_entity(), EVIDENCE, "I act for it.")


def test_only_seeded_affiliates_can_be_claimed() -> None:
    with pytest.raises(joining.Refused, match="ask to join it"):
        joining.claim_entity(UserFactory(), EntityFactory(), EVIDENCE, "Mine.")
