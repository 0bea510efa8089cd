"""Writes of the agreement process: open a proposal, endorse it, discuss it, close it, edit the rules.

Every use case is one function that owns its transaction and writes its audit events. Bad input raises
``ValidationError`` with messages per field (forms, the API and the CLI show them); acting for an entity one
does not administer raises ``PermissionDenied``. Nothing is written in either case.

Closing is idempotent: the proposal row is locked, a closed proposal returns its decision, and the decision
is unique per proposal. Applying an accepted proposal runs in a savepoint: when it cannot be applied (a term
was retired meanwhile, say) every partial change is rolled back and the decision says why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.audit.services import diff, record, snapshot
from partnernet.base.identity import instance_id
from partnernet.base.locking import lock_of_self
from partnernet.base.records import RecordWriter
from partnernet.core.quorum import QuorumResult, evaluate
from partnernet.directory.models import Entity
from partnernet.directory.rules import is_entity_admin, is_facilitator, is_movement_member
from partnernet.framework import applying
from partnernet.framework.models import (
    Decision,
    Endorsement,
    EndorsementChange,
    Proposal,
    ProposalComment,
    ProposalKind,
    QuorumRule,
    Stewardship,
)
from partnernet.framework.proposals import pure_rule, voices_of
from partnernet.framework.proposing import validate_proposal
from partnernet.framework.rules import changes_needing_agreement
from partnernet.framework.selectors import region_tree
from partnernet.framework.signals import stewardships_lapsed

RULE_FIELDS = (
    "min_participants",
    "share_numerator",
    "share_denominator",
    "require_affected_region",
    "duration_days",
)


def open_proposal(
    user: Any,
    *,
    proposer: Entity,
    kind: str,
    title: str,
    rationale: str,
    data: dict[str, Any],
    now: dt.datetime | None = None,
) -> Proposal:
    """Open a proposal for ``proposer`` (the person must be one of its admins) under its kind's rule.

    ``data`` holds the cell (``type``, ``theme``, ``region`` keys), ``stewardship`` (a key) and the proposed
    values of the kind. A take-up also records the stewardship with status ``proposed``.
    """
    if not is_entity_admin(user, proposer):
        raise PermissionDenied(
            _("Only an admin of %(proposer)s may make a proposal for it.") % {"proposer": proposer}
        )
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if kind not in ProposalKind.values:
        raise ValidationError({"kind": [_("Unknown kind of proposal '%(kind)s'.") % {"kind": kind}]})
    if not title.strip():
        errors["title"] = [_("A proposal needs a title.")]
    if not rationale.strip():
        errors["rationale"] = [_("Say why: a proposal needs a rationale.")]
    with transaction.atomic():
        plan = validate_proposal(ProposalKind(kind), proposer, data, errors)
        if errors:
            raise ValidationError(errors)
        rule = QuorumRule.objects.get(kind=kind)
        proposal = Proposal(
            key=f"{now:%Y%m%d-%H%M%S}-{kind.replace('_', '-')}",
            kind=kind,
            title=title.strip(),
            rationale=rationale.strip(),
            proposer=proposer,
            proposed_by=user,
            opens_at=now,
            closes_at=now + dt.timedelta(days=rule.duration_days),
            type=plan.type,
            theme=plan.theme,
            region=plan.region,
            stewardship=plan.stewardship,
            changes=plan.changes,
            min_participants=rule.min_participants,
            share_numerator=rule.share_numerator,
            share_denominator=rule.share_denominator,
            require_affected_region=rule.require_affected_region,
        )
        proposal.key = _unique_key(proposal.key)
        if kind == ProposalKind.TAKE_UP:
            proposal.stewardship = applying.propose_stewardship(user, proposer, plan)
        proposal.save()
        record(user, "create", "open_proposal", proposal)
        transaction.on_commit(lambda: _after_opening(proposal))
    return proposal


def _unique_key(key: str) -> str:
    candidate, n = key, 1
    while Proposal.objects.filter(key=candidate).exists():
        n += 1
        candidate = f"{key}-{n}"
    return candidate


def _after_opening(proposal: Proposal) -> None:
    from partnernet.framework.tasks import close_proposal_task, schedule_closing, send_proposal_mail

    schedule_closing(close_proposal_task, proposal)
    send_proposal_mail.enqueue(proposal.pk, "opened")


def endorse(
    user: Any,
    proposal: Proposal,
    *,
    entity: Entity,
    stance: str,
    comment: str = "",
    now: dt.datetime | None = None,
) -> Endorsement:
    """Cast or change ``entity``'s voice. Every change of stance is kept; the current one counts."""
    if not is_entity_admin(user, entity):
        raise PermissionDenied(_("Only an admin of %(entity)s may endorse for it.") % {"entity": entity})
    if stance not in Endorsement.Stance.values:
        raise ValidationError({"stance": [_("Choose support, oppose or abstain.")]})
    now = now or timezone.now()
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != Proposal.Status.OPEN or now >= locked.closes_at:
            message = _("This proposal closed on %(when)s UTC.") % {
                "when": f"{locked.closes_at:%Y-%m-%d %H:%M}"
            }
            raise ValidationError({"stance": ValidationError(message, code="closed")})
        endorsement = Endorsement.objects.filter(proposal=locked, entity=entity).first()
        before = endorsement.stance if endorsement else None
        if endorsement is None:
            endorsement = Endorsement(proposal=locked, entity=entity)
        endorsement.person = user
        endorsement.stance = stance
        endorsement.comment = comment.strip()
        endorsement.save()
        EndorsementChange.objects.create(
            endorsement=endorsement, person=user, stance=stance, comment=endorsement.comment
        )
        record(user, "update", "endorse", locked, {f"voice of {entity.key}": [before, stance]})
    return endorsement


def comment_on(user: Any, proposal: Proposal, body: str) -> ProposalComment:
    """Add to the discussion thread; anyone in the movement may."""
    if not is_movement_member(user):
        raise PermissionDenied(_("Only people of a movement entity may join the discussion."))
    if not body.strip():
        raise ValidationError({"body": [_("Write something first.")]})
    with transaction.atomic():
        return ProposalComment.objects.create(proposal=proposal, author=user, body=body.strip())


def evaluate_proposal(proposal: Proposal, *, now: dt.datetime, provisional: bool = False) -> QuorumResult:
    """The quorum reading of ``proposal``'s current voices under its own rule (pure core underneath)."""
    tree = region_tree()
    affected = [proposal.region.code] if proposal.region_id and proposal.region else []
    return evaluate(
        pure_rule(proposal),
        voices_of(proposal),
        now=now,
        affected_regions=affected,
        provisional=provisional,
        covers=tree.covers,
    )


def close_proposal(proposal_id: int, *, now: dt.datetime | None = None) -> Decision | None:
    """Decide a proposal whose closing time has come, and apply it when accepted. Safe to call twice.

    ``None`` while the proposal is not yet due. A proposal already closed returns its decision unchanged.
    """
    now = now or timezone.now()
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update(of=lock_of_self())
            .select_related("region", "stewardship")
            .get(pk=proposal_id)
        )
        existing = Decision.objects.filter(proposal=proposal).first()
        if existing is not None:
            return existing
        if now < proposal.closes_at:
            return None
        result = evaluate_proposal(proposal, now=now)
        reasons = list(result.reasons)
        outcome = Decision.Outcome.ACCEPTED if result.passed else Decision.Outcome.REJECTED
        decision = Decision.objects.create(
            proposal=proposal,
            outcome=outcome,
            support=result.tally.support,
            oppose=result.tally.oppose,
            abstain=result.tally.abstain,
            rule={
                "min_participants": proposal.min_participants,
                "min_support_share": f"{proposal.share_numerator}/{proposal.share_denominator}",
                "require_affected_region": proposal.require_affected_region,
                "closes_at": proposal.closes_at.isoformat(),
            },
            reasons=reasons,
        )
        if result.passed:
            try:
                with transaction.atomic():
                    applying.apply_decision(decision)
            except ValidationError as problem:
                decision.outcome = Decision.Outcome.NOT_APPLIED
                decision.reasons = [*reasons, *problem.messages]
                decision.save(update_fields=["outcome", "reasons"])
        if decision.outcome != Decision.Outcome.ACCEPTED and proposal.kind == ProposalKind.TAKE_UP:
            applying.lapse_proposed_stewardship(proposal)
        proposal.status = Proposal.Status.CLOSED
        proposal.save(update_fields=["status", "updated_at"])
        changes: dict[str, list[Any]] = {"status": ["open", "closed"], "outcome": [None, decision.outcome]}
        record(None, "update", "close_proposal", proposal, changes)
        transaction.on_commit(lambda: _after_closing(proposal.pk))
    return decision


def _after_closing(proposal_id: int) -> None:
    from partnernet.framework.tasks import send_proposal_mail

    send_proposal_mail.enqueue(proposal_id, "closed")


def close_due_proposals(*, now: dt.datetime | None = None) -> list[Decision]:
    """Close every open proposal whose closing time has passed (the safety net behind the scheduled task)."""
    now = now or timezone.now()
    due = Proposal.objects.filter(status=Proposal.Status.OPEN, closes_at__lte=now)
    decisions = [close_proposal(pk, now=now) for pk in list(due.values_list("pk", flat=True))]
    return [decision for decision in decisions if decision is not None]


def update_quorum_rule(user: Any, rule: QuorumRule, values: dict[str, Any]) -> QuorumRule:
    """A facilitator changes the rule of a kind; proposals already open keep the rule they opened with."""
    if not is_facilitator(user):
        raise PermissionDenied(_("Only facilitators may change quorum rules."))
    errors: dict[str, list[str]] = {}
    numerator = int(values.get("share_numerator", rule.share_numerator))
    denominator = int(values.get("share_denominator", rule.share_denominator))
    if int(values.get("min_participants", rule.min_participants)) < 1:
        errors["min_participants"] = [_("At least one entity must take part.")]
    if not 1 <= numerator <= denominator:
        errors["share_numerator"] = [_("The share lies above 0 and at most 1: numerator ≤ denominator.")]
    if int(values.get("duration_days", rule.duration_days)) < 1:
        errors["duration_days"] = [_("A proposal stays open for at least one day.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = QuorumRule.objects.select_for_update().get(pk=rule.pk)
        before = snapshot(locked, RULE_FIELDS)
        for name in RULE_FIELDS:
            if name in values:
                setattr(locked, name, values[name])
        locked.save()
        record(user, "update", "update_quorum_rule", locked, diff(before, snapshot(locked, RULE_FIELDS)))
    return locked


class AgreementRequired(PermissionDenied):
    """A stewardship change that only an accepted proposal may make (``rules.changes_needing_agreement``)."""

    def __init__(self, fields: list[str]):
        self.fields = fields
        super().__init__(
            _(
                "Stewardships are taken up, activated, widened and given more capacity only through the "
                "agreement process: open a proposal (/api/v1/proposals, or the proposal form)."
            )
        )


class StewardshipWriter(RecordWriter):
    """Writes stewardship rows. Import (the operator bootstrapping an instance) and peers' copies use it
    directly, audited; people change stewardships through ``change_stewardship`` and proposals."""

    kind_name = "stewardships"
    noun = "stewardship"
    audit_imports = True


STEWARDSHIPS = StewardshipWriter()


def create_stewardship(actor: Any, values: dict[str, Any]) -> Stewardship:
    """No person records a stewardship directly: it is proposed (``open_proposal``) and agreed."""
    raise AgreementRequired(["key"])


def change_stewardship(actor: Any, stewardship: Stewardship, changes: dict[str, Any]) -> Stewardship:
    """Change a stewardship's practical details, narrow it or lapse it; anything the agreement process
    decides raises ``AgreementRequired`` and writes nothing."""
    kind = STEWARDSHIPS.exchange
    before = kind.row(stewardship)
    after = {**before, **changes}
    needing = changes_needing_agreement(before, after, region_tree())
    if needing:
        raise AgreementRequired(needing)
    obj: Stewardship = STEWARDSHIPS.update(actor, stewardship, changes)
    return obj


def delete_stewardship(actor: Any, stewardship: Stewardship) -> None:
    """An active stewardship is retired by a proposal; a proposed or lapsed one may be deleted."""
    if stewardship.status == Stewardship.Status.ACTIVE:
        raise AgreementRequired(["status"])
    STEWARDSHIPS.delete(actor, stewardship)


def lapse_ended_terms(today: dt.date | None = None) -> list[Stewardship]:
    """Lapse every active stewardship whose term ended before ``today`` (the term's last day still serves).

    Each lapse is audited and reaches peers like any change; the support app then moves the requests still
    offered to them on (``signals.stewardships_lapsed``). Idempotent: a lapsed stewardship is left alone.
    """
    day = today or timezone.localdate()
    lapsed: list[Stewardship] = []
    with transaction.atomic():
        due = Stewardship.objects.select_for_update().filter(
            status=Stewardship.Status.ACTIVE, term_end__lt=day, origin=instance_id()
        )
        for stewardship in due:
            stewardship.status = Stewardship.Status.LAPSED
            stewardship.save(update_fields=["status", "updated_at"])
            record(
                None,
                "update",
                "lapse_stewardship",
                stewardship,
                {"status": ["active", "lapsed"], "term_end": [str(stewardship.term_end), None]},
            )
            lapsed.append(stewardship)
        if lapsed:
            stewardships_lapsed.send(sender=Stewardship, ids=[s.pk for s in lapsed])
    return lapsed


def set_term_labels(user: Any, term: Any, labels: dict[str, str]) -> Any:
    """A facilitator sets a type's, theme's or region grouping's name in other languages.

    Labels are translations of the name the agreement process decided, so they need no proposal; an empty
    label removes that language (the stored name shows instead). Language tags are kept as given (``pt-br``).
    """
    if not is_facilitator(user):
        raise PermissionDenied(_("Only facilitators may translate the taxonomy."))
    with transaction.atomic():
        locked = type(term).objects.select_for_update().get(pk=term.pk)
        before = dict(locked.labels or {})
        after = {**before, **{tag: text.strip() for tag, text in labels.items()}}
        after = {tag: text for tag, text in sorted(after.items()) if text}
        if after != before:
            locked.labels = after
            locked.save(update_fields=["labels", "updated_at"])
            record(user, "update", "set_term_labels", locked, {"labels": [before, after]})
    from partnernet.framework.labels import forget_term_labels

    forget_term_labels()
    return locked
