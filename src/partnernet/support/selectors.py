"""Reads about support requests and the stewardships they count against."""

from __future__ import annotations

from django.db.models import QuerySet

from partnernet.framework.models import Region, Stewardship
from partnernet.framework.selectors import region_path, region_tree
from partnernet.support.models import SupportRequest


def covering_stewardship(
    entity_id: int, type_id: int, theme_id: int | None, region_code: str
) -> Stewardship | None:
    """The active stewardship of ``entity_id`` that a request of this cell counts against (FORMATS.md).

    Among the entity's active stewardships of the request's type whose cell covers the request, the most
    specific wins: a matching theme before "any theme", then the region nearest the request's region, then the
    key, so the choice is stable.
    """
    tree = region_tree()
    best: tuple[tuple[int, int, str], Stewardship] | None = None
    for stewardship in Stewardship.objects.filter(
        entity_id=entity_id, type_id=type_id, status=Stewardship.Status.ACTIVE
    ).select_related("region"):
        if stewardship.theme_id is not None and stewardship.theme_id != theme_id:
            continue
        steps = tree.steps_up(region_code, stewardship.region.code)
        if steps is None:
            continue
        rank = (0 if stewardship.theme_id is not None else 1, steps, stewardship.key)
        if best is None or rank < best[0]:
            best = (rank, stewardship)
    return best[1] if best else None


def filter_requests(
    queryset: QuerySet[SupportRequest],
    *,
    status: str | None = None,
    need: str | None = None,
    type: str | None = None,
    region: str | None = None,
    requester: str | None = None,
    steward: str | None = None,
) -> QuerySet[SupportRequest]:
    """The support queue's filters. Apply them to an already visibility-filtered queryset."""
    rows = queryset
    if status:
        rows = rows.filter(status=status)
    if need:
        rows = rows.filter(need=need)
    if type:
        rows = rows.filter(type__key=type)
    if region:
        path = region_path(region)
        if path is None:
            return rows.none()
        rows = rows.filter(region__in=Region.objects.filter(path__startswith=path))
    if requester:
        rows = rows.filter(requester__key=requester)
    if steward:
        rows = rows.filter(steward__key=steward)
    return rows
