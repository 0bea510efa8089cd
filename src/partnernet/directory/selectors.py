"""Reads of the directory that are more than a filter."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from partnernet.directory.models import Entity, Membership, Partner
from partnernet.framework.models import Region, Stewardship
from partnernet.framework.selectors import region_path


def filter_entities(
    queryset: QuerySet[Entity],
    *,
    kind: str | None = None,
    region: str | None = None,
    stewarded_type: str | None = None,
    language: str | None = None,
    search: str | None = None,
) -> QuerySet[Entity]:
    """The directory's filters, shared by the pages and the API.

    ``region`` accepts any level of the hierarchy: an entity is inside it when its country or one of its
    regions lies inside (so Europe finds a Swedish chapter and a group that names only Northern Europe).
    """
    rows = queryset
    if kind:
        rows = rows.filter(kind=kind)
    if region:
        path = region_path(region)
        if path is None:
            return rows.none()
        inside = Region.objects.filter(path__startswith=path).values("pk")
        rows = rows.filter(Q(country__in=inside) | Q(regions__in=inside)).distinct()
    if stewarded_type:
        holders = Stewardship.objects.filter(type__key=stewarded_type, status=Stewardship.Status.ACTIVE)
        rows = rows.filter(pk__in=holders.values("entity_id"))
    if language:
        rows = rows.filter(languages__icontains=f'"{language}"')
    if search:
        rows = rows.filter(name__icontains=search.strip())
    return rows


def entity_page(key: str, origin: str | None = None) -> Entity | None:
    rows = Entity.objects.select_related("country").prefetch_related("regions")
    if origin:
        rows = rows.filter(origin=origin)
    return rows.filter(key=key).order_by("origin").first()


def members_of(entity: Entity) -> QuerySet[Membership]:
    return entity.memberships.select_related("user").order_by("role", "user__username")


def partner_page(key: str, origin: str | None = None) -> Partner | None:
    rows = Partner.objects.select_related("country")
    if origin:
        rows = rows.filter(origin=origin)
    return rows.filter(key=key).order_by("origin").first()


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
