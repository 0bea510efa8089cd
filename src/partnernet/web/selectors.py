"""Reads for the pages: counts and lists, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from partnernet.directory.models import Entity
from partnernet.framework.models import Proposal, Stewardship
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


def open_proposals(limit: int = 3) -> list[Proposal]:
    """The newest proposals still open for endorsement (the home page's latest activity)."""
    return list(Proposal.objects.filter(status=Proposal.Status.OPEN).order_by("-opens_at", "-pk")[:limit])
