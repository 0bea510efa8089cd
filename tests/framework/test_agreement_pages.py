"""Pages of the agreement process: propose, endorse, follow, rules, history — and their refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from partnernet.framework.models import Endorsement, Proposal, QuorumRule
from partnernet.framework.services import close_proposal
from tests.factories import StewardshipFactory, UserFactory, region
from tests.framework.agreement import after_closing, entity_with_admin, take_up, vote

pytestmark = pytest.mark.django_db


def test_propose_through_the_form_and_see_it_listed(client: Client) -> None:
    user, entity = entity_with_admin(name="Wikimedia Testland")
    client.force_login(user)
    assert "Take up a stewardship" in client.get("/framework/proposals/new/").content.decode()
    blank = client.get("/framework/proposals/new/?kind=take_up").content.decode()
    assert "it passes when at least 3 entities take part and support reaches 2/3" in blank
    assert '<option value="glam">GLAM</option>' in blank
    form = {
        "proposer": entity.pk,
        "title": "GLAM lead",
        "rationale": "Staff and volunteers ready.",
        "type": "glam",
        "region": "154",
        "level": "lead",
        "capacity": "3",
    }
    response = client.post("/framework/proposals/new/?kind=take_up", form)
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/framework/proposals/{proposal.key}"
    page = client.get(response["Location"]).content.decode()
    assert "The proposal is open for endorsement." in page
    assert "only 0 of the 3 entities required took part" in page
    listing = client.get("/framework/proposals/").content.decode()
    assert "Open proposals that affect your entities" in listing
    assert listing.count("GLAM lead") == 2


def test_form_shows_service_errors_next_to_fields_and_writes_nothing(client: Client) -> None:
    user, entity = entity_with_admin()
    StewardshipFactory(entity=entity, key="held", region=region("154"))
    client.force_login(user)
    base = {"proposer": entity.pk, "title": "T", "rationale": "R", "level": "lead", "capacity": "3"}
    missing = client.post(
        "/framework/proposals/new/?kind=take_up", {**base, "type": "knitting", "region": "999"}
    )
    body = missing.content.decode()
    assert missing.status_code == 200
    assert "Nothing called “knitting” can be picked here." in body
    assert "Nothing called “999” can be picked here." in body
    duplicate = client.post(
        "/framework/proposals/new/?kind=take_up", {**base, "type": "glam", "region": "154"}
    )
    assert "already holds a stewardship for this cell (held)" in duplicate.content.decode()
    assert not Proposal.objects.exists()


def test_endorse_on_the_page_and_refusals(client: Client) -> None:
    user, entity = entity_with_admin()
    proposal = take_up(user, entity)
    voter, voting = entity_with_admin()
    url = f"/framework/proposals/{proposal.key}"
    client.force_login(voter)
    assert client.post(url, {"entity": voting.pk, "stance": "support", "comment": "Yes"}).status_code == 302
    not_theirs = client.post(url, {"entity": entity.pk, "stance": "oppose"})
    assert "Select a valid choice" in not_theirs.content.decode()
    page = client.get(url).content.decode()
    assert "Every change of stance" in page
    past = timezone.now() - dt.timedelta(days=30)
    Proposal.objects.filter(pk=proposal.pk).update(opens_at=past, closes_at=past + dt.timedelta(days=14))
    late = client.post(url, {"entity": voting.pk, "stance": "oppose"})
    assert "This proposal closed on" in late.content.decode()
    assert Endorsement.objects.get(entity=voting).stance == "support"


def test_anonymous_may_follow_but_not_act(client: Client) -> None:
    user, entity = entity_with_admin()
    proposal = take_up(user, entity)
    assert client.get(f"/framework/proposals/{proposal.key}").status_code == 200
    assert client.post(f"/framework/proposals/{proposal.key}", {"stance": "support"}).status_code == 302
    assert client.get("/framework/proposals/new/").status_code == 302
    assert not Endorsement.objects.exists()


def test_discussion_thread(client: Client) -> None:
    user, entity = entity_with_admin()
    proposal = take_up(user, entity)
    client.force_login(user)
    client.post(f"/framework/proposals/{proposal.key}", {"body": "Happy to <b>discuss</b>."})
    assert (
        "Happy to &lt;b&gt;discuss&lt;/b&gt;."
        in client.get(f"/framework/proposals/{proposal.key}").content.decode()
    )


def test_rules_page_is_for_facilitators_only(client: Client) -> None:
    someone = UserFactory()
    client.force_login(someone)
    assert client.get("/framework/rules/").status_code == 403
    facilitator = UserFactory()
    facilitator.groups.add(Group.objects.get(name="facilitators"))
    client.force_login(facilitator)
    rule = QuorumRule.objects.get(kind="retire")
    prefix = f"rule-{rule.pk}"
    fields = {
        "rule": rule.pk,
        f"{prefix}-min_participants": "4",
        f"{prefix}-share_numerator": "3",
        f"{prefix}-share_denominator": "4",
        f"{prefix}-duration_days": "10",
    }
    assert client.post("/framework/rules/", fields).status_code == 302
    rule.refresh_from_db()
    assert (rule.min_participants, rule.share_numerator, rule.share_denominator) == (4, 3, 4)
    assert not rule.require_affected_region
    bad = client.post("/framework/rules/", {**fields, f"{prefix}-share_numerator": "5"})
    assert "numerator ≤ denominator" in bad.content.decode()
    assert "update_quorum_rule" in client.get("/framework/rules/").content.decode()


def test_history_lists_versions_and_compares_any_two(client: Client) -> None:
    user, entity = entity_with_admin()
    proposal = take_up(user, entity)
    vote(proposal, "support", "support", "support")
    close_proposal(proposal.pk, now=after_closing(proposal))
    page = client.get("/framework/history/").content.decode()
    assert "takes up stewardship" in page
    compared = client.get("/framework/history/", {"a": 1, "b": 2}).content.decode()
    assert proposal.stewardship.key in compared  # type: ignore[union-attr]
    assert "added" in compared
    assert "There is no such version." in client.get("/framework/history/", {"a": 1, "b": 9}).content.decode()
    assert client.get("/framework/history/2").status_code == 200


def test_facilitators_read_the_audit_history_on_the_proposal(client: Client) -> None:
    user, entity = entity_with_admin()
    proposal = take_up(user, entity)
    vote(proposal, "support")
    facilitator = UserFactory()
    facilitator.groups.add(Group.objects.get(name="facilitators"))
    client.force_login(facilitator)
    assert "Audit history" in client.get(f"/framework/proposals/{proposal.key}").content.decode()
    assert "open_proposal" in client.get("/framework/history/").content.decode()
    client.force_login(user)
    assert "Audit history" not in client.get("/framework/history/").content.decode()
    assert "Audit history" not in client.get(f"/framework/proposals/{proposal.key}").content.decode()
