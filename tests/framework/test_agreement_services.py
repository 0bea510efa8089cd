"""The agreement process through its services: proposals, endorsements, decisions applied atomically."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partnernet.audit.models import AuditEvent
from partnernet.audit.selectors import history_of
from partnernet.framework.models import (
    Decision,
    Endorsement,
    EndorsementChange,
    FrameworkVersion,
    Proposal,
    QuorumRule,
    Stewardship,
    Theme,
)
from partnernet.framework.services import (
    close_due_proposals,
    close_proposal,
    endorse,
    open_proposal,
    update_quorum_rule,
)
from tests.factories import (
    EntityFactory,
    PartnershipFactory,
    StewardshipFactory,
    SupportRequestFactory,
    UserFactory,
    region,
    theme,
)
from tests.framework.agreement import after_closing, entity_with_admin, take_up, vote

pytestmark = [pytest.mark.django_db, pytest.mark.mariadb]


def test_accepted_take_up_activates_the_stewardship_and_makes_a_version() -> None:
    user, entity = entity_with_admin(key="wm-test-se")
    proposal = take_up(user, entity, commitments="Answer within a week.")
    stewardship = proposal.stewardship
    assert stewardship is not None
    assert stewardship.status == "proposed"
    assert (proposal.min_participants, proposal.require_affected_region) == (3, True)
    vote(proposal, "support", "support", "oppose")

    decision = close_proposal(proposal.pk, now=after_closing(proposal))

    assert decision is not None
    assert decision.outcome == Decision.Outcome.ACCEPTED
    assert (decision.support, decision.oppose, decision.abstain) == (2, 1, 0)
    assert decision.rule["min_support_share"] == "2/3"
    stewardship.refresh_from_db()
    assert stewardship.status == "active"
    assert stewardship.commitments == "Answer within a week."
    versions = list(FrameworkVersion.objects.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert stewardship.key not in versions[0].snapshot["stewardships"]
    assert versions[1].snapshot["stewardships"][stewardship.key]["entity"] == "wm-test-se"
    assert versions[1].decision == decision
    assert "takes up stewardship" in versions[1].changelog
    assert [e.verb for e in history_of(stewardship)] == ["activate_stewardship", "propose_stewardship"]
    proposal.refresh_from_db()
    assert proposal.status == "closed"


def test_closing_twice_decides_and_applies_once() -> None:
    user, entity = entity_with_admin()
    proposal = take_up(user, entity)
    vote(proposal, "support", "support", "support")
    first = close_proposal(proposal.pk, now=after_closing(proposal))
    events = AuditEvent.objects.count()
    second = close_proposal(proposal.pk, now=after_closing(proposal))
    assert close_due_proposals(now=after_closing(proposal)) == []
    assert first == second
    assert Decision.objects.filter(proposal=proposal).count() == 1
    assert FrameworkVersion.objects.count() == 2
    assert AuditEvent.objects.count() == events


def test_not_due_proposal_stays_open() -> None:
    user, entity = entity_with_admin()
    proposal = take_up(user, entity)
    assert (
        close_proposal(proposal.pk, now=proposal.closes_at - (proposal.closes_at - proposal.opens_at) / 2)
        is None
    )
    assert Proposal.objects.get(pk=proposal.pk).status == "open"


def test_rejected_take_up_lapses_the_proposed_stewardship_and_says_why() -> None:
    user, entity = entity_with_admin()
    proposal = take_up(user, entity)
    vote(proposal, "support", "support")
    decision = close_proposal(proposal.pk, now=after_closing(proposal))
    assert decision is not None
    assert decision.outcome == "rejected"
    assert decision.reasons == ["only 2 of the 3 entities required took part"]
    assert Stewardship.objects.get(pk=proposal.stewardship_id).status == "lapsed"
    assert not FrameworkVersion.objects.exists()


def test_every_change_of_stance_is_kept_and_only_the_latest_counts() -> None:
    user, entity = entity_with_admin()
    proposal = take_up(user, entity)
    voter, voting = entity_with_admin()
    second_admin = UserFactory()
    voting.memberships.create(user=second_admin, role="admin")
    endorse(voter, proposal, entity=voting, stance="support", comment="Yes")
    endorse(second_admin, proposal, entity=voting, stance="oppose", comment="On reflection, no")
    endorsement = Endorsement.objects.get(proposal=proposal, entity=voting)
    assert (endorsement.stance, endorsement.person) == ("oppose", second_admin)
    changes = list(EndorsementChange.objects.filter(endorsement=endorsement))
    assert [(c.stance, c.person, c.comment) for c in changes] == [
        ("support", voter, "Yes"),
        ("oppose", second_admin, "On reflection, no"),
    ]
    assert Endorsement.objects.filter(proposal=proposal).count() == 1


def test_vote_from_someone_not_admin_of_the_entity_is_refused_and_changes_nothing() -> None:
    user, entity = entity_with_admin()
    proposal = take_up(user, entity)
    outsider, _ = entity_with_admin()
    member_only = EntityFactory()
    member_only.memberships.create(user=outsider, role="member")
    for target in (member_only, EntityFactory()):
        with pytest.raises(PermissionDenied, match="Only an admin of"):
            endorse(outsider, proposal, entity=target, stance="support")
    assert not Endorsement.objects.exists()
    assert not EndorsementChange.objects.exists()


def test_vote_after_closing_is_refused_and_changes_nothing() -> None:
    user, entity = entity_with_admin()
    proposal = take_up(user, entity)
    (voter, voting), *_ = vote(proposal, "support")
    with pytest.raises(ValidationError, match="closed on"):
        endorse(voter, proposal, entity=voting, stance="oppose", now=after_closing(proposal))
    close_proposal(proposal.pk, now=after_closing(proposal))
    with pytest.raises(ValidationError, match="closed on"):
        endorse(voter, proposal, entity=voting, stance="oppose")
    assert Endorsement.objects.get(entity=voting).stance == "support"
    assert EndorsementChange.objects.count() == 1


def test_proposal_for_a_cell_that_does_not_exist_is_refused_and_writes_nothing() -> None:
    user, entity = entity_with_admin()
    with pytest.raises(ValidationError) as raised:
        take_up(user, entity, type="knitting", theme="nothing", region="999")
    assert set(raised.value.message_dict) == {"type", "theme", "region"}
    assert "no partnership type 'knitting'" in raised.value.message_dict["type"][0]
    assert not Proposal.objects.exists()
    assert not Stewardship.objects.filter(entity=entity).exists()


def test_duplicate_stewardship_is_refused() -> None:
    user, entity = entity_with_admin()
    StewardshipFactory(entity=entity, key="held", region=region("154"))
    with pytest.raises(ValidationError) as raised:
        take_up(user, entity)
    assert "already holds a stewardship for this cell (held)" in raised.value.message_dict["region"][0]
    take_up(user, entity, theme="science")
    with pytest.raises(ValidationError, match="has already proposed"):
        take_up(user, entity, theme="science")
    assert Proposal.objects.count() == 1


def test_only_an_admin_may_propose_for_an_entity() -> None:
    user, _ = entity_with_admin()
    with pytest.raises(PermissionDenied):
        take_up(user, EntityFactory())
    assert not Proposal.objects.exists()


def test_change_and_retire_a_stewardship() -> None:
    user, entity = entity_with_admin()
    stewardship = StewardshipFactory(entity=entity, capacity=5)
    change = open_proposal(
        user,
        proposer=entity,
        kind="change",
        title="More capacity",
        rationale="New staff.",
        data={"stewardship": stewardship.key, "capacity": "9", "level": "lead"},
    )
    assert change.changes == {"capacity": 9}
    vote(change, "support", "support", "abstain")
    assert close_proposal(change.pk, now=after_closing(change)).outcome == "accepted"  # type: ignore[union-attr]
    stewardship.refresh_from_db()
    assert stewardship.capacity == 9
    assert history_of(stewardship).first().changes == {"capacity": [5, 9]}  # type: ignore[union-attr]

    other, other_entity = entity_with_admin()
    retire = open_proposal(
        other,
        proposer=other_entity,
        kind="retire",
        title="Retire",
        rationale="Inactive.",
        data={"stewardship": stewardship.key},
    )
    vote(retire, "support", "support", "support")
    close_proposal(retire.pk, now=after_closing(retire))
    stewardship.refresh_from_db()
    assert stewardship.status == "lapsed"


def test_change_proposal_that_changes_nothing_is_refused() -> None:
    user, entity = entity_with_admin()
    stewardship = StewardshipFactory(entity=entity, capacity=5)
    with pytest.raises(ValidationError, match="changes nothing"):
        open_proposal(
            user,
            proposer=entity,
            kind="change",
            title="Same",
            rationale="x",
            data={"stewardship": stewardship.key, "capacity": "5"},
        )


def _taxonomy(user: object, entity: object, kind: str, **data: str) -> Proposal:
    return open_proposal(user, proposer=entity, kind=kind, title=kind, rationale="Tidy.", data=data)  # type: ignore[arg-type]


def test_merging_two_themes_moves_every_reference_and_retires_the_merged_one() -> None:
    user, entity = entity_with_admin()
    both = PartnershipFactory()
    both.themes.add(theme("local_history"), theme("cultural_heritage"))
    only = PartnershipFactory()
    only.themes.add(theme("local_history"))
    stewardship = StewardshipFactory(theme=theme("local_history"))
    request = SupportRequestFactory(theme=theme("local_history"))
    proposal = _taxonomy(
        user, entity, "merge_terms", subject="theme", term="local_history", into="cultural_heritage"
    )
    vote(proposal, *["support"] * 5)
    decision = close_proposal(proposal.pk, now=after_closing(proposal))
    assert decision is not None
    assert decision.outcome == "accepted"
    heritage = theme("cultural_heritage")
    assert list(both.themes.all()) == [heritage]
    assert list(only.themes.all()) == [heritage]
    stewardship.refresh_from_db()
    request.refresh_from_db()
    assert stewardship.theme == heritage
    assert request.theme == heritage
    assert not Theme.objects.get(key="local_history").active
    assert "merged into 'cultural_heritage' (2 partnerships, 1 stewardships, 1 requests moved)" in (
        decision.version.changelog
    )


def test_a_failure_while_applying_leaves_nothing_half_done(monkeypatch: pytest.MonkeyPatch) -> None:
    user, entity = entity_with_admin()
    partnership = PartnershipFactory()
    partnership.themes.add(theme("local_history"))
    stewardship = StewardshipFactory(theme=theme("local_history"))
    proposal = _taxonomy(
        user, entity, "merge_terms", subject="theme", term="local_history", into="cultural_heritage"
    )
    vote(proposal, *["support"] * 5)
    from partnernet.framework import applying

    real_record = applying.record

    def failing_record(actor: object, action: str, verb: str, obj: object, changes: object = None) -> object:
        if verb == "merge_term":
            raise ValidationError("the disk is full")
        return real_record(actor, action, verb, obj, changes)  # type: ignore[arg-type]

    monkeypatch.setattr(applying, "record", failing_record)
    decision = close_proposal(proposal.pk, now=after_closing(proposal))
    assert decision is not None
    assert decision.outcome == "not_applied"
    assert decision.reasons == ["the disk is full"]
    assert list(partnership.themes.values_list("key", flat=True)) == ["local_history"]
    stewardship.refresh_from_db()
    assert stewardship.theme == theme("local_history")
    assert Theme.objects.get(key="local_history").active
    assert not FrameworkVersion.objects.exists()
    assert Proposal.objects.get(pk=proposal.pk).status == "closed"


def test_add_rename_and_retire_a_type_and_diff_versions() -> None:
    from partnernet.core.framework_versions import diff_snapshots

    user, entity = entity_with_admin()
    for kind, data in (
        ("add_term", {"subject": "type", "new_key": "games", "name": "Games"}),
        ("rename_term", {"subject": "type", "term": "media", "name": "Media and broadcasting"}),
        ("retire_term", {"subject": "type", "term": "funding"}),
    ):
        proposal = _taxonomy(user, entity, kind, **data)
        vote(proposal, *["support"] * 5)
        assert close_proposal(proposal.pk, now=after_closing(proposal)).outcome == "accepted"  # type: ignore[union-attr]
    first, last = FrameworkVersion.objects.get(number=1), FrameworkVersion.objects.get(number=4)
    changes = {(c.section, c.key, c.kind): c.fields for c in diff_snapshots(first.snapshot, last.snapshot)}
    assert changes == {
        ("types", "games", "added"): (),
        ("types", "funding", "changed"): (("active", True, False),),
        ("types", "media", "changed"): (("name", "Media", "Media and broadcasting"),),
    }


def test_taxonomy_input_errors_name_their_field() -> None:
    user, entity = entity_with_admin()
    cases = [
        ({"subject": "type", "new_key": "glam", "name": "GLAM"}, "new_key", "already exists"),
        ({"subject": "colour", "term": "glam"}, "subject", "a theme or a region grouping"),
        ({"subject": "theme", "term": "nope", "into": "science"}, "term", "no theme 'nope'"),
        ({"subject": "theme", "term": "science", "into": "science"}, "into", "into itself"),
    ]
    for data, field, message in cases:
        kind = "add_term" if "new_key" in data else "merge_terms"
        with pytest.raises(ValidationError) as raised:
            _taxonomy(user, entity, kind, **data)
        assert message in raised.value.message_dict[field][0]
    assert not Proposal.objects.exists()


def test_facilitators_edit_rules_and_open_proposals_keep_theirs() -> None:
    from django.contrib.auth.models import Group

    user, entity = entity_with_admin()
    proposal = take_up(user, entity)
    facilitator = UserFactory()
    facilitator.groups.add(Group.objects.get(name="facilitators"))
    rule = QuorumRule.objects.get(kind="take_up")
    with pytest.raises(PermissionDenied):
        update_quorum_rule(user, rule, {"min_participants": 1})
    with pytest.raises(ValidationError) as raised:
        update_quorum_rule(facilitator, rule, {"share_numerator": 4, "share_denominator": 3})
    assert "share_numerator" in raised.value.message_dict
    update_quorum_rule(facilitator, rule, {"min_participants": 7})
    assert QuorumRule.objects.get(kind="take_up").min_participants == 7
    assert history_of(rule).first().changes == {"min_participants": [3, 7]}  # type: ignore[union-attr]
    assert Proposal.objects.get(pk=proposal.pk).min_participants == 3


def test_region_rule_needs_a_non_opposing_entity_of_the_region() -> None:
    user, entity = entity_with_admin()
    proposal = take_up(user, entity, region="GH")
    for stance in ("support", "support", "support"):
        voter, voting = entity_with_admin(country=region("SE"))
        endorse(voter, proposal, entity=voting, stance=stance)
    ghana_admin, ghana = entity_with_admin(country=region("GH"))
    endorse(ghana_admin, proposal, entity=ghana, stance="oppose")
    decision = close_proposal(proposal.pk, now=after_closing(proposal))
    assert decision is not None
    assert decision.outcome == "rejected"
    assert decision.reasons == ["no entity of the affected region (GH) supported or abstained"]


def test_region_groupings_are_added_and_merged_through_proposals() -> None:
    from partnernet.framework.models import RegionGrouping

    user, entity = entity_with_admin()
    for key, members in (("cee", "151 pl, CZ"), ("baltics", "EE;LV LT")):
        proposal = _taxonomy(
            user, entity, "add_term", subject="grouping", new_key=key, name=key.upper(), members=members
        )
        vote(proposal, *["support"] * 5)
        assert close_proposal(proposal.pk, now=after_closing(proposal)).outcome == "accepted"  # type: ignore[union-attr]
    cee = RegionGrouping.objects.get(key="cee")
    assert sorted(cee.regions.values_list("code", flat=True)) == ["151", "CZ", "PL"]
    merge = _taxonomy(user, entity, "merge_terms", subject="grouping", term="baltics", into="cee")
    vote(merge, *["support"] * 5)
    decision = close_proposal(merge.pk, now=after_closing(merge))
    assert decision is not None
    assert "3 regions moved" in decision.version.changelog
    assert sorted(cee.regions.values_list("code", flat=True)) == ["151", "CZ", "EE", "LT", "LV", "PL"]
    assert not RegionGrouping.objects.get(key="baltics").active
    snapshot = FrameworkVersion.objects.order_by("-number").first().snapshot  # type: ignore[union-attr]
    assert snapshot["groupings"]["cee"]["regions"] == ["151", "CZ", "EE", "LT", "LV", "PL"]


def test_a_grouping_with_unknown_regions_is_refused() -> None:
    user, entity = entity_with_admin()
    with pytest.raises(ValidationError) as raised:
        _taxonomy(user, entity, "add_term", subject="grouping", new_key="x", name="X", members="PL XX 999")
    assert raised.value.message_dict["members"] == ["Unknown region codes: 999, XX."]
    assert not Proposal.objects.exists()


def test_a_re_seed_keeps_what_the_agreement_process_decided() -> None:
    from partnernet.exchange.seed import seed_reference
    from partnernet.framework.models import PartnershipType

    user, entity = entity_with_admin()
    proposal = _taxonomy(
        user, entity, "rename_term", subject="type", term="media", name="Media and broadcasting"
    )
    vote(proposal, *["support"] * 5)
    close_proposal(proposal.pk, now=after_closing(proposal))
    seed_reference()
    assert PartnershipType.objects.get(key="media").name == "Media and broadcasting"
