"""The picker sources of Partnernet's forms (see ``partnernet.base.pickers``), registered at start-up.

Entities, partners, regions and the taxonomy are public on their own pages, so anyone may search them;
``my-entities`` is what a person may act for (their entities; every entity for a facilitator).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from partnernet.base.pickers import PickerSource, register_source
from partnernet.directory.models import Entity, Partner
from partnernet.directory.rules import entity_ids_of, is_facilitator
from partnernet.framework.models import PartnershipType, Region, RegionGrouping, Theme


def _entities(user: Any) -> QuerySet[Entity]:
    return Entity.objects.select_related("country").order_by("name", "key")


def _my_entities(user: Any) -> QuerySet[Entity]:
    if user is None:
        return _entities(user)
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    rows = _entities(user)
    return rows if is_facilitator(user) else rows.filter(pk__in=entity_ids_of(user))


def _entity_hint(entity: Entity) -> str:
    place = entity.country.label if entity.country is not None else ""
    return " · ".join(part for part in (str(entity.get_kind_display()), place) if part)


def _partner_hint(partner: Partner) -> str:
    place = partner.country.label if partner.country is not None else ""
    return " · ".join(part for part in (str(partner.get_kind_display()), place) if part)


def _region_hint(region: Region) -> str:
    return f"{region.get_level_display()} · {region.code}"


def register_sources() -> None:
    """Called from ``WebConfig.ready()``."""
    for name, rows in (("entities", _entities), ("my-entities", _my_entities)):
        register_source(
            PickerSource(
                name=name,
                rows=rows,
                label=lambda e: e.name,
                hint=_entity_hint,
                search_fields=("name", "key"),
            )
        )
    register_source(
        PickerSource(
            name="partners",
            rows=lambda user: Partner.objects.select_related("country").order_by("name", "key"),
            label=lambda p: p.name,
            hint=_partner_hint,
            search_fields=("name", "key", "wikidata"),
        )
    )
    register_source(
        PickerSource(
            name="regions",
            rows=lambda user: Region.objects.order_by("path"),
            label=lambda r: r.label,
            hint=_region_hint,
            key_field="code",
            upper_keys=True,
        )
    )
    register_source(
        PickerSource(
            name="countries",
            rows=lambda user: Region.objects.filter(level=Region.Level.COUNTRY).order_by("name"),
            label=lambda r: r.label,
            hint=lambda r: r.code,
            key_field="code",
            upper_keys=True,
        )
    )
    register_source(
        PickerSource(
            name="types",
            rows=lambda user: PartnershipType.objects.filter(active=True),
            label=lambda t: t.label,
            hint=lambda t: t.key,
        )
    )
    register_source(
        PickerSource(
            name="themes",
            rows=lambda user: Theme.objects.filter(active=True),
            label=lambda t: t.label,
            hint=lambda t: t.key,
        )
    )
    register_source(
        PickerSource(
            name="groupings",
            rows=lambda user: RegionGrouping.objects.filter(active=True),
            label=lambda t: t.label,
            hint=lambda t: t.key,
        )
    )
