"""Hosting: a steward organisation becomes the standing home of an individual or informal group.

It follows a resolved co-signing or fiscal-sponsorship request, and either side may end it. Same conventions
as the workflow: one transaction per use case, the row locked, an audit event, e-mails to both sides.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.audit.services import record
from partnernet.directory.models import Entity, Membership
from partnernet.directory.rules import entity_ids_of
from partnernet.i18n.sentences import message
from partnernet.notifications.services import notify as notify_people
from partnernet.support.models import (
    HOSTING_NEEDS,
    Hosting,
    RequestStatus,
)
from partnernet.support.services.steps import (
    WorkflowError,
    expect,
    lock,
    notify,
    require,
)


@transaction.atomic
def establish_hosting(actor: Any, key: str, term_end: dt.date | None = None) -> Hosting:
    """After a resolved co-signing or fiscal-sponsorship request, the steward hosts the requester."""
    request = lock(key)
    expect(request, [RequestStatus.RESOLVED], _("host the requester"))
    if request.status == RequestStatus.RESOLVED and request.need not in HOSTING_NEEDS:
        raise WorkflowError(_("Only co-signing and fiscal-sponsorship requests lead to a hosting."))
    require(actor, "support.establish_hosting", request, _("Only the steward's members may offer hosting."))
    if request.requester_id is None or request.steward_id is None:
        raise WorkflowError(_("A hosting needs a requesting entity and a steward."))
    today = timezone.localdate()
    if term_end is not None and term_end < today:
        raise WorkflowError(_("The term must end today or later."))
    if Hosting.objects.filter(
        host_id=request.steward_id, hosted_id=request.requester_id, status=Hosting.Status.ACTIVE
    ).exists():
        raise WorkflowError(_("This steward already hosts this entity."))
    hosting = Hosting.objects.create(
        host_id=request.steward_id,
        hosted_id=request.requester_id,
        request=request,
        term_start=today,
        term_end=term_end,
    )
    record(actor, "create", "establish_hosting", hosting)
    notify(
        request,
        message("mail.hosting.subject"),
        message("mail.hosting.body", host=hosting.host.name, hosted=hosting.hosted.name),
    )
    return hosting


@transaction.atomic
def end_hosting(actor: Any, hosting_id: int, reason: str, by: Entity | None = None) -> Hosting:
    """Either side ends a hosting; ``by`` names the side (default: the actor's side, host first)."""
    hosting = Hosting.objects.select_for_update().filter(pk=hosting_id).first()
    if hosting is None:
        raise Hosting.DoesNotExist(_("No such hosting."))
    require(
        actor, "support.end_hosting", hosting, _("Only the host's or the hosted entity's members may end it.")
    )
    if hosting.status != Hosting.Status.ACTIVE:
        raise WorkflowError(_("This hosting has already ended."))
    if not reason.strip():
        raise WorkflowError(_("Say why the hosting ends."))
    side = by or (hosting.host if hosting.host_id in entity_ids_of(actor) else hosting.hosted)
    hosting.status = Hosting.Status.ENDED
    hosting.ended_by = side
    hosting.ended_on = max(timezone.localdate(), hosting.term_start)
    hosting.end_reason = reason.strip()
    hosting.save(update_fields=["status", "ended_by", "ended_on", "end_reason", "updated_at"])
    record(actor, "update", "end_hosting", hosting, {"status": ["active", "ended"]})
    people = Membership.objects.filter(entity_id__in=[hosting.host_id, hosting.hosted_id]).values_list(
        "user_id", flat=True
    )
    notify_people(
        set(people),
        message("mail.hosting_ended.subject"),
        f"/support/entity/{hosting.hosted.key}/",
        body=[
            message(
                "mail.hosting_ended.body",
                side=side.name,
                hosted=hosting.hosted.name,
                host=hosting.host.name,
                reason=hosting.end_reason,
            )
        ],
    )
    return hosting
