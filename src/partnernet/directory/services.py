"""Writes to the directory: each use case is one transaction that also writes its audit event.

Entities and partners are records of FORMATS.md, so every way they are written — the pages, the API,
import, a peer's feed — goes through the writers here (``ENTITIES``, ``PARTNERS``), whose exchange cleaners
are the one validation of their fields. The pages' forms give friendlier messages first and hand over the
values in exchange form; fields the exchange format does not carry (an entity's description, say) go along
as ``extra`` and are set in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from partnernet.base.identity import instance_id
from partnernet.base.records import RecordWriter
from partnernet.directory.models import Entity, Partner

EXTRA_PROFILE_FIELDS = ("description", "jurisdiction", "budget_band")
"""Profile fields beyond the exchange format, kept by this instance only."""


class EntityWriter(RecordWriter):
    kind_name = "entities"
    noun = "entity"


class PartnerWriter(RecordWriter):
    kind_name = "partners"
    noun = "partner"


ENTITIES = EntityWriter()
PARTNERS = PartnerWriter()


def update_entity_profile(actor: Any, entity: Entity, data: dict[str, Any]) -> Entity:
    """Change the profile an entity shows in the directory (validated by ``EntityProfileForm``): the exchange
    fields checked by the entities kind's cleaner, the fields only this instance keeps set beside them, one
    audit event for the whole change."""
    stored = Entity.objects.get(pk=entity.pk)  # a bound ModelForm has already changed ``entity``
    changes = {name: _exchange_value(data[name]) for name in ENTITY_PROFILE_EXCHANGE_FIELDS if name in data}
    extra = {name: data[name] or "" for name in EXTRA_PROFILE_FIELDS if name in data}
    ENTITIES.update(actor, stored, changes, extra=extra, verb="update_entity_profile")
    entity.refresh_from_db()
    return entity


ENTITY_PROFILE_EXCHANGE_FIELDS = (
    "name", "website", "wikidata", "languages", "legal_identity", "founded", "staff_fte", "volunteers",
)  # fmt: skip


def _exchange_value(value: Any) -> Any:
    """A form value in exchange form: a related row by its code, a yes/no, the rest as is."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    code = getattr(value, "code", None)
    if code is not None:
        return code
    return value


def _free_partner_key(name: str) -> str:
    base = (slugify(name)[:90] or "partner").strip("-") or "partner"
    taken = set(
        Partner.objects.filter(origin=instance_id(), key__startswith=base).values_list("key", flat=True)
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


PARTNER_FIELDS = ("name", "kind", "country", "wikidata", "website")


def create_partner(actor: Any, data: dict[str, Any]) -> Partner:
    """Record a partner institution of this instance (validated by ``PartnerForm``)."""
    values = {name: _exchange_value(data.get(name)) for name in PARTNER_FIELDS}
    obj: Partner = PARTNERS.create(actor, {**values, "key": _free_partner_key(data["name"])})
    return obj


def update_partner(actor: Any, partner: Partner, data: dict[str, Any]) -> Partner:
    """Correct a partner institution's record (validated by ``PartnerForm``); its kind is a registry facet,
    which the tally's observer follows."""
    stored = Partner.objects.get(pk=partner.pk)
    PARTNERS.update(actor, stored, {name: _exchange_value(data.get(name)) for name in PARTNER_FIELDS})
    partner.refresh_from_db()
    return partner
