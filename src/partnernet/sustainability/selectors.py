"""Reads of needs and pledges that are more than a filter: one need with its figures, the needs a person may
see with filters, and open needs per entity (the facilitators' view, the ranking)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from partnernet.base.identity import instance_id
from partnernet.base.references import origin_rank
from partnernet.core.needs import Coverage, PledgeFigure, coverage
from partnernet.sustainability.models import Need, NeedStatus, Pledge
from partnernet.sustainability.rules import visible_needs, visible_pledges

OPEN_STATUSES = (NeedStatus.OPEN, NeedStatus.PARTLY_MET)


def need_named(user: Any, key: str, origin: str | None = None) -> Need | None:
    """The visible need with this key: this instance's first, then a peer's copy (or the given origin's)."""
    rows = visible_needs(user, Need.objects.select_related("entity").filter(key=key))
    if origin:
        rows = rows.filter(origin=origin)
    found = list(rows)
    if not found:
        return None
    local = instance_id()
    return min(found, key=lambda need: origin_rank(need.origin, local))


def pledge_named(user: Any, key: str) -> Pledge | None:
    rows = visible_pledges(user, Pledge.objects.select_related("need__entity", "entity", "partner"))
    return rows.filter(key=key, origin=instance_id()).first()


def pledges_of(need: Need) -> QuerySet[Pledge]:
    return need.pledges.select_related("entity", "partner").order_by("created_at", "pk")


def need_coverage(need: Need) -> Coverage:
    figures = [PledgeFigure(s, a) for s, a in need.pledges.values_list("status", "amount")]
    return coverage(need.amount, figures, withdrawn=need.status == NeedStatus.WITHDRAWN)


@dataclass(frozen=True)
class NeedFilters:
    status: str = ""
    kind: str = ""
    entity: str = ""
    visibility: str = ""


def needs_matching(rows: QuerySet[Need], filters: NeedFilters) -> QuerySet[Need]:
    if filters.status == "unmet":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        rows = rows.filter(status=filters.status)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.entity:
        rows = rows.filter(entity__key=filters.entity)
    if filters.visibility:
        rows = rows.filter(visibility=filters.visibility)
    return rows


def open_needs(user: Any) -> QuerySet[Need]:
    """Needs not met and not withdrawn that ``user`` may see, with their entity and stewardships."""
    return (
        visible_needs(user, Need.objects.filter(status__in=OPEN_STATUSES))
        .select_related("entity")
        .prefetch_related("stewardships__type", "stewardships__region")
    )


def delivered_amount(need: Need) -> Decimal:
    return need_coverage(need).delivered


def needs_of(entity: Any, user: Any) -> list[Need]:
    """The needs of ``entity`` that ``user`` may see: open ones first, then the newest (the entity page)."""
    rows = visible_needs(user, Need.objects.filter(entity=entity))
    return sorted(rows, key=lambda need: (need.status not in OPEN_STATUSES, -need.created_at.timestamp()))[
        :50
    ]
