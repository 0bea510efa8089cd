"""Who may never be offered a request, whatever their cell: routing's exclusions (issue: coverage and
routing that tell the truth).

Nobody is routed to themselves: the requester's own entity is no candidate. A co-signature or a fiscal
sponsorship asks the steward to sign or hold funds in its own name, which only an entity with a legal
identity can do; a group without one is never offered it. When these rules leave nobody, the request goes
to the facilitators' queue saying which rule did (:func:`why_no_candidate`).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import TYPE_CHECKING

from partnernet.core.regions import RegionTree

if TYPE_CHECKING:
    from partnernet.core.routing import ActiveStewardship, RoutingRequest

LEGAL_NEEDS = frozenset({"co_signing", "fiscal_sponsorship"})
"""Needs only an entity with a legal identity can meet: it signs or holds funds in its own name."""


def eligible(request: RoutingRequest, stewardship: ActiveStewardship) -> bool:
    """The rules that make a stewardship no candidate at all, whatever its cell: the requester's own entity,
    and for a need in :data:`LEGAL_NEEDS` an entity without a legal identity."""
    if request.requester is not None and stewardship.entity_ref == request.requester:
        return False
    return not (request.needs_legal_identity and stewardship.legal_identity is not True)


class NoCandidate(IntEnum):
    """Why a request has no candidate, for the facilitators' queue to say."""

    NOBODY_COVERS = 0
    ONLY_THE_REQUESTER = 1
    NO_LEGAL_IDENTITY = 2


def why_no_candidate(
    request: RoutingRequest, stewardships: Iterable[ActiveStewardship], regions: RegionTree
) -> NoCandidate:
    """Why :func:`rank_stewardships` found nobody: no stewardship covers the cell, or those that do are the
    requester's own, or none of them has the legal identity the need asks for."""
    covering = [
        s
        for s in stewardships
        if s.type == request.type
        and regions.steps_up(request.region, s.region) is not None
        and s.theme in (None, request.theme)
    ]
    others = [s for s in covering if request.requester is None or s.entity_ref != request.requester]
    if not covering:
        return NoCandidate.NOBODY_COVERS
    if not others:
        return NoCandidate.ONLY_THE_REQUESTER
    return NoCandidate.NO_LEGAL_IDENTITY
