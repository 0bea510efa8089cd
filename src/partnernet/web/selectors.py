"""Reads for the pages: counts and lists, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from partnernet.directory.models import Entity
from partnernet.framework.models import Stewardship
from partnernet.partnerships.models import Partnership
from partnernet.support.models import SupportRequest


@dataclass(frozen=True)
class KeyNumbers:
    entities: int
    active_stewardships: int
    public_partnerships: int
    open_requests: int


def key_numbers(active_stewardships: int | None = None) -> KeyNumbers:
    """The home page's figures; pass ``active_stewardships`` when already counted (the matrix has them)."""
    if active_stewardships is None:
        active_stewardships = Stewardship.objects.filter(status=Stewardship.Status.ACTIVE).count()
    return KeyNumbers(
        entities=Entity.objects.count(),
        active_stewardships=active_stewardships,
        public_partnerships=Partnership.objects.filter(visibility=Partnership.Visibility.PUBLIC).count(),
        open_requests=SupportRequest.objects.filter(status__in=["open", "offered"]).count(),
    )


def entities_for_home(limit: int = 300) -> QuerySet[Entity]:
    """Real movement entities first (reference data), then this instance's, by kind and name."""
    return Entity.objects.select_related("country").order_by("is_demo", "kind", "name")[:limit]
