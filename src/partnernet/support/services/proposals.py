"""Public proposals: an external institution proposes a partnership without an account.

The institution becomes a partner row and its proposal a request (need ``other``) routed like any other. Its
contact person agrees to their name and address being shared with the steward (and the facilitators) and
follows the proposal through a private link (``SupportRequest.follow_path``). When the partner row duplicates
an institution already recorded (same Wikidata item, or a close name), the steward links the proposal to
that record instead, and the new row goes.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.audit.selectors import history_of
from partnernet.audit.services import record
from partnernet.base.records import RecordInUse
from partnernet.directory.models import Partner
from partnernet.directory.services import PARTNERS, create_partner
from partnernet.framework.models import PartnershipType, Region, Theme
from partnernet.i18n.sentences import message
from partnernet.support.models import EventKind, Need, SupportRequest
from partnernet.support.services.steps import WorkflowError, add_event, lock, new_key, require, route_to_next


@transaction.atomic
def submit_public_proposal(
    *,
    institution: str,
    kind: str,
    country: Region | None,
    website: str,
    contact_name: str,
    contact_email: str,
    type: PartnershipType,
    region: Region,
    consent: bool,
    wikidata: str = "",
    theme: Theme | None = None,
    language: str = "",
    description: str = "",
) -> SupportRequest:
    """Record the institution and its proposal, and route it; the contact gets the same e-mails as a
    requester's members, with the private link. Without ``consent`` to share the contact nothing is stored
    (``WorkflowError``): the steward could not write back."""
    if not consent:
        raise WorkflowError(
            _("Agree to share your name and e-mail with the steward, or the steward cannot write back.")
        )
    partner = create_partner(
        None,
        {"name": institution, "kind": kind, "country": country, "wikidata": wikidata, "website": website},
    )
    request = SupportRequest.objects.create(
        key=new_key(),
        partner=partner,
        contact_name=contact_name,
        contact_email=contact_email,
        type=type,
        theme=theme,
        region=region,
        need=Need.OTHER,
        language=language,
        description=description,
        created=timezone.localdate(),
    )
    add_event(request, EventKind.CREATED, None, message("support.proposed_by", name=contact_name))
    record(None, "create", "submit_public_proposal", request, {"contact_consent": [None, True]})
    route_to_next(request, None)
    return request


@transaction.atomic
def link_partner(actor: Any, key: str, partner: Partner) -> SupportRequest:
    """The steward (or a facilitator) links a public proposal to an institution already recorded, once; the
    partner row the proposal made goes unless something recorded meanwhile names it."""
    request = lock(key)
    require(
        actor, "support.link_partner", request, _("Only the steward or a facilitator may link the proposal.")
    )
    made = request.partner
    if made is None or request.requester_id is not None:
        raise WorkflowError(_("Only a proposal from an institution is linked to a partner record."))
    if made.pk == partner.pk or history_of(request).filter(verb="link_partner").exists():
        raise WorkflowError(_("The proposal is already linked to %(partner)s.") % {"partner": made.name})
    request.partner = partner
    request.save(update_fields=["partner", "updated_at"])
    record(actor, "update", "link_partner", request, {"partner": [made.key, partner.key]})
    with contextlib.suppress(RecordInUse):  # a partnership recorded meanwhile names it: then it stays
        PARTNERS.delete(actor, made)  # the row the proposal made (a proposal is linked only once)
    return request
