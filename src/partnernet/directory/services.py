"""Writes to the directory: each use case is one transaction that also writes its audit event."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from partnernet.audit.services import diff, record, snapshot
from partnernet.directory.models import Entity, Partner
from partnernet.federation.selectors import instance_id
from partnernet.partnerships.services import IDLE_TALLY, registry_tally_kept, tallied_partnerships

PROFILE_FIELDS = (
    "name", "description", "website", "wikidata", "languages", "legal_identity", "jurisdiction",
    "budget_band", "founded", "staff_fte", "volunteers",
)  # fmt: skip
PARTNER_FIELDS = ("name", "kind", "country", "wikidata", "website")


@transaction.atomic
def update_entity_profile(actor: Any, entity: Entity, data: dict[str, Any]) -> Entity:
    """Change the profile an entity shows in the directory (validated by ``EntityProfileForm``)."""
    # The stored state: a bound ModelForm has already written the new values onto ``entity``.
    before = snapshot(Entity.objects.get(pk=entity.pk), PROFILE_FIELDS)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(entity, name, data[name])
    entity.save()
    changes = diff(before, snapshot(entity, PROFILE_FIELDS))
    if changes:
        record(actor, "update", "update_entity_profile", entity, changes)
    return entity


def _free_partner_key(name: str) -> str:
    base = (slugify(name)[:90] or "partner").strip("-") or "partner"
    taken = set(
        Partner.objects.filter(origin=instance_id(), key__startswith=base).values_list("key", flat=True)
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


@transaction.atomic
def create_partner(actor: Any, data: dict[str, Any]) -> Partner:
    """Record a partner institution of this instance (validated by ``PartnerForm``)."""
    partner = Partner(key=_free_partner_key(data["name"]))
    for name in PARTNER_FIELDS:
        setattr(partner, name, data.get(name) if data.get(name) is not None else "")
    partner.country = data.get("country")
    partner.save()
    record(actor, "create", "create_partner", partner, {"name": [None, partner.name]})
    return partner


@transaction.atomic
def update_partner(actor: Any, partner: Partner, data: dict[str, Any]) -> Partner:
    """Correct a partner institution's record (validated by ``PartnerForm``)."""
    before = snapshot(Partner.objects.get(pk=partner.pk), PARTNER_FIELDS)
    recounted = data.get("kind") != before["kind"]  # a partner's kind is a facet of its partnerships
    with registry_tally_kept() if recounted else nullcontext(IDLE_TALLY) as tally:
        touched = tallied_partnerships("partners", [partner.pk]) if recounted else []
        tally.remove(touched)
        for name in PARTNER_FIELDS:
            value = data.get(name)
            setattr(partner, name, value if value is not None or name == "country" else "")
        partner.save()
        tally.add(touched)
    changes = diff(before, snapshot(partner, PARTNER_FIELDS))
    if changes:
        record(actor, "update", "update_partner", partner, changes)
    return partner
