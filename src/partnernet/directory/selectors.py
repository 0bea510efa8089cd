"""Reads of the directory that are more than a filter."""

from __future__ import annotations

from django.db.models import QuerySet

from partnernet.base.references import best_row, key_and_origin
from partnernet.directory.models import Entity, Membership, Partner


def entity_page(key: str, origin: str | None = None) -> Entity | None:
    rows = Entity.objects.select_related("country").prefetch_related("regions")
    key, origin = key_and_origin(key, origin)
    if origin:
        rows = rows.filter(origin=origin)
    return best_row(rows.filter(key=key)[:20])


def members_of(entity: Entity) -> QuerySet[Membership]:
    return entity.memberships.select_related("user").order_by("role", "user__username")


def partner_page(key: str, origin: str | None = None) -> Partner | None:
    rows = Partner.objects.select_related("country")
    key, origin = key_and_origin(key, origin)
    if origin:
        rows = rows.filter(origin=origin)
    return best_row(rows.filter(key=key)[:20])


def same_institution(partner: Partner) -> QuerySet[Partner]:
    """Every partner row that stands for the same institution as ``partner``: the rows of any instance
    (local, reference data, peers' copies) carrying its Wikidata QID, or just ``partner`` without one.

    This is how two entities, on one instance or on two, see that they approach the same museum.
    """
    if partner.wikidata:
        return Partner.objects.filter(wikidata=partner.wikidata)
    return Partner.objects.filter(pk=partner.pk)


def filter_partners(
    queryset: QuerySet[Partner],
    *,
    kind: str | None = None,
    country: str | None = None,
    search: str | None = None,
) -> QuerySet[Partner]:
    rows = queryset
    if kind:
        rows = rows.filter(kind=kind)
    if country:
        rows = rows.filter(country__code=country)
    if search:
        rows = rows.filter(name__icontains=search.strip())
    return rows
