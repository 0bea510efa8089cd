"""Getting into an entity: asking to join it (its admins decide) or claiming a seeded affiliate (facilitators
decide, on evidence). Each use case is one transaction with its audit event; both sides are told
(``telling.tell``) once it commits.

A refusal (``Refused``) says why in words a person can act on and changes nothing: a second request, a claim
without evidence, a claim on an entity that already has admins here or is homed on another instance.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partnernet.audit.services import record
from partnernet.base import fields as f
from partnernet.base.identity import instance_id
from partnernet.base.models import SEED_ORIGIN
from partnernet.directory.models import Claim, DecidedRecord, Decision, Entity, JoinRequest, Membership
from partnernet.directory.profiles import home_address, make_home_here, start_profile
from partnernet.directory.rules import FACILITATORS
from partnernet.directory.telling import tell
from partnernet.i18n.sentences import message

PENDING = JoinRequest.Status.PENDING


class Refused(Exception):
    """The step cannot be taken (nothing changed): ``message`` says why, ``fields`` names bad input."""

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.code = "invalid" if fields else code
        """Stable reason for scripts: invalid, not_home, duplicate, member, no_admins, has_admins,
        not_claimable, decided."""


def admin_ids(entity: Entity) -> list[int]:
    return list(entity.memberships.filter(role=Membership.Role.ADMIN).values_list("user_id", flat=True))


def facilitator_ids() -> list[int]:
    people = get_user_model().objects.filter(Q(groups__name=FACILITATORS) | Q(is_superuser=True))
    return sorted(set(people.filter(is_active=True).values_list("pk", flat=True)))


def _link(name: str, **kwargs: Any) -> str:
    return f"{settings.BASE_URL}{reverse(name, kwargs=kwargs)}"


def _homed_elsewhere(entity: Entity, what: str) -> None:
    home = entity.home_instance
    if home and home != instance_id():
        raise Refused(f"{entity.name} is homed at {home_address(home)}: {what} there.", code="not_home")


# -- join requests --------------------------------------------------------------------------------------


def ask_to_join(user: Any, entity: Entity, text: str = "") -> JoinRequest:
    """Ask the entity's admins to make ``user`` a member."""
    _homed_elsewhere(entity, "ask to join it")
    if entity.memberships.filter(user=user).exists():
        raise Refused(f"You are already a member of {entity.name}.", code="member")
    if JoinRequest.objects.filter(user=user, entity=entity, status=PENDING).exists():
        raise Refused(
            f"You already asked to join {entity.name}; its admins have not decided yet.", code="duplicate"
        )
    admins = admin_ids(entity)
    if not admins:
        hint = " If you represent it, claim it instead." if entity.origin == SEED_ORIGIN else ""
        raise Refused(
            f"Nobody administers {entity.name} here yet, so nobody could decide.{hint}", code="no_admins"
        )
    try:
        text = f.optional_text(text, 2000)
    except f.FieldError as error:
        raise Refused("The message cannot be sent.", {"message": [str(error)]}) from None
    with transaction.atomic():
        join = JoinRequest.objects.create(user=user, entity=entity, message=text)
        record(user, "create", "ask_to_join", join, {"entity": [None, entity.key]})
        person, name = user.get_username(), entity.name
        link = _link("directory:entity", key=entity.key)
        tell(
            admins,
            message("mail.join_asked.subject", person=person, entity=name),
            [message("mail.join_asked.body", person=person, entity=name, message=text, link=link)],
            url=link,
        )
        tell(
            [user.pk],
            message("mail.join_sent.subject", entity=name),
            [message("mail.join_sent.body", entity=name)],
            url=link,
        )
    return join


def _record_decision(actor: Any, decided: DecidedRecord, approve: bool, reason: str, what: str) -> None:
    """Store who decided a pending join request or claim, when and why, and audit it as approve_/refuse_
    ``what``: one place, so both kinds of decision keep the same fields and the same audit trail."""
    decided.status = Decision.APPROVED if approve else Decision.REFUSED
    decided.decided_by, decided.decided_at, decided.reason = actor, timezone.now(), reason.strip()[:2000]
    decided.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    verb = "approve" if approve else "refuse"
    record(actor, "update", f"{verb}_{what}", decided, {"status": [PENDING, decided.status]})


def decide_join(actor: Any, join: JoinRequest, approve: bool, reason: str = "") -> JoinRequest:
    """An admin of the entity approves (the person becomes a member) or refuses a pending request."""
    with transaction.atomic():
        join = JoinRequest.objects.select_for_update().select_related("entity", "user").get(pk=join.pk)
        if join.status != PENDING:
            raise Refused(f"This request was already {join.get_status_display().lower()}.", code="decided")
        _record_decision(actor, join, approve, reason, "join")
        entity, decider = join.entity, actor.get_username()
        if approve:
            _add_member(actor, join.user, entity, Membership.Role.MEMBER)
            subject = message("mail.join_approved.subject", entity=entity.name)
            body = message(
                "mail.join_approved.body", decider=decider, link=_link("directory:entity", key=entity.key)
            )
        else:
            subject = message("mail.join_refused.subject", entity=entity.name)
            body = message("mail.join_refused.body", decider=decider, reason=join.reason)
        tell([join.user_id], subject, [body], url=_link("directory:entity", key=entity.key))
    return join


def _add_member(actor: Any, user: Any, entity: Entity, role: str) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, entity=entity, defaults={"role": role})
    if not created and membership.role != role and role == Membership.Role.ADMIN:
        before = membership.role
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
        record(actor, "update", "change_membership", membership, {"role": [before, role]})
    elif created:
        record(
            actor,
            "create",
            "add_membership",
            membership,
            {"entity": [None, entity.key], "role": [None, role]},
        )
    return membership


# -- claims ---------------------------------------------------------------------------------------------


def _claimable(entity: Entity) -> None:
    if entity.origin != SEED_ORIGIN:
        raise Refused(
            f"{entity.name} is not one of the affiliates loaded as reference data; ask to join it.",
            code="not_claimable",
        )
    _homed_elsewhere(entity, "claim it")
    if admin_ids(entity):
        raise Refused(f"{entity.name} already has admins here: ask to join it instead.", code="has_admins")


def _evidence(evidence_url: str, statement: str) -> tuple[str, str]:
    problems: dict[str, list[str]] = {}
    url = statement_text = ""
    try:
        url = f.url(evidence_url)
        if not url:
            problems["evidence_url"] = [
                "give a link to a page that shows your role (the affiliate's site or Meta-Wiki)"
            ]
    except f.FieldError as error:
        problems["evidence_url"] = [str(error)]
    try:
        statement_text = f.optional_text(statement, 5000)
        if not statement_text:
            problems["statement"] = ["say who you are and what your role in the affiliate is"]
    except f.FieldError as error:
        problems["statement"] = [str(error)]
    if problems:
        raise Refused("A claim needs evidence: a link and a statement.", problems)
    return url, statement_text


def claim_entity(user: Any, entity: Entity, evidence_url: str, statement: str) -> Claim:
    """Claim a seeded affiliate with evidence; facilitators will review it."""
    _claimable(entity)
    if Claim.objects.filter(user=user, entity=entity, status=PENDING).exists():
        raise Refused(
            f"You already claimed {entity.name}; facilitators have not decided yet.", code="duplicate"
        )
    url, text = _evidence(evidence_url, statement)
    with transaction.atomic():
        claim = Claim.objects.create(user=user, entity=entity, evidence_url=url, statement=text)
        record(
            user, "create", "claim_entity", claim, {"entity": [None, entity.key], "evidence_url": [None, url]}
        )
        person, name = user.get_username(), entity.name
        tell(
            facilitator_ids(),
            message("mail.claim_made.subject", person=person, entity=name),
            [
                message(
                    "mail.claim_made.body",
                    person=person,
                    entity=name,
                    evidence=url,
                    statement=text,
                    link=_link("directory:claims"),
                )
            ],
            url=_link("directory:claims"),
        )
        tell(
            [user.pk],
            message("mail.claim_sent.subject", entity=name),
            [message("mail.claim_sent.body")],
            url=_link("directory:entity", key=entity.key),
        )
    return claim


def decide_claim(actor: Any, claim: Claim, approve: bool, reason: str = "") -> Claim:
    """A facilitator approves (the claimant becomes the entity's admin, this instance its home if it has
    none) or refuses a pending claim."""
    with transaction.atomic():
        claim = Claim.objects.select_for_update().select_related("entity", "user").get(pk=claim.pk)
        if claim.status != PENDING:
            raise Refused(f"This claim was already {claim.get_status_display().lower()}.", code="decided")
        entity = claim.entity
        if approve:
            _claimable(entity)
        _record_decision(actor, claim, approve, reason, "claim")
        decider = actor.get_username()
        if approve:
            make_home_here(actor, entity)
            start_profile(actor, entity)
            _add_member(actor, claim.user, entity, Membership.Role.ADMIN)
            subject = message("mail.claim_approved.subject", entity=entity.name)
            body = message(
                "mail.claim_approved.body",
                decider=decider,
                link=_link("directory:entity_edit", key=entity.key),
            )
        else:
            subject = message("mail.claim_refused.subject", entity=entity.name)
            body = message("mail.claim_refused.body", decider=decider, reason=claim.reason)
        page = "directory:entity_edit" if approve else "directory:entity"
        tell([claim.user_id], subject, [body], url=_link(page, key=entity.key))
    return claim
