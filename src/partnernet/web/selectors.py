"""Reads for the pages: counts and lists, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from partnernet.base.versions import reuse
from partnernet.directory.models import Entity
from partnernet.framework.models import Proposal, Stewardship
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.tally import table_fingerprint
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
        public_partnerships=public_partnerships(),
        open_requests=SupportRequest.objects.filter(status__in=["open", "offered"]).count(),
    )


def public_partnerships() -> int:
    """How many partnerships are public, counted once per version of the partnership table: the count reads
    every public row (24 ms at 1,000,000 on SQLite, more on PostgreSQL), the table's fingerprint only its
    indexes, and every write moves the fingerprint."""
    public = Partnership.objects.filter(visibility=Partnership.Visibility.PUBLIC)
    return reuse("public-partnerships", table_fingerprint(), public.count)


def open_proposals(limit: int = 3) -> list[Proposal]:
    """The newest proposals still open for endorsement (the home page's latest activity)."""
    return list(Proposal.objects.filter(status=Proposal.Status.OPEN).order_by("-opens_at", "-pk")[:limit])
