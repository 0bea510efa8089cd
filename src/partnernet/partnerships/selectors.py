"""Reads of the partnership registry that are more than a filter."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from partnernet.framework.models import Region
from partnernet.framework.selectors import region_path
from partnernet.partnerships.models import Partnership


def filter_partnerships(
    queryset: QuerySet[Partnership],
    *,
    type: str | None = None,
    theme: str | None = None,
    region: str | None = None,
    status: str | None = None,
    visibility: str | None = None,
    entity: str | None = None,
    partner: str | None = None,
    search: str | None = None,
) -> QuerySet[Partnership]:
    """The registry's filters. Apply them to an already visibility-filtered queryset.

    ``region`` accepts any level and finds partnerships inside it; ``entity`` finds those an entity leads or
    supports.
    """
    rows = queryset
    if type:
        rows = rows.filter(type__key=type)
    if theme:
        rows = rows.filter(
            pk__in=Partnership.themes.through.objects.filter(theme__key=theme).values("partnership_id")
        )
    if region:
        path = region_path(region)
        if path is None:
            return rows.none()
        rows = rows.filter(region__in=Region.objects.filter(path__startswith=path))
    if status:
        rows = rows.filter(status=status)
    if visibility:
        rows = rows.filter(visibility=visibility)
    if entity:
        supported = Partnership.supporters.through.objects.filter(entity__key=entity).values("partnership_id")
        rows = rows.filter(Q(lead__key=entity) | Q(pk__in=supported))
    if partner:
        rows = rows.filter(
            pk__in=Partnership.partners.through.objects.filter(partner__key=partner).values("partnership_id")
        )
    if search:
        rows = rows.filter(title__icontains=search.strip())
    return rows
