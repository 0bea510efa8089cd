"""The batch rebalance: every open and offered request reassigned at once, optimally, under capacities.

The database is read once (stewardships, loads, requests and their candidates), the pure min-cost flow of
``partnernet.core.rebalance`` decides, and the moves are applied under row locks in one transaction, each
re-checked so a request answered meanwhile is skipped, never overwritten. Database work is timed apart.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from partnernet.audit.services import record
from partnernet.base.identity import instance_id
from partnernet.core.rebalance import Move, RebalanceRequest, rebalance
from partnernet.core.routing import (
    QUEUE_PENALTY,
    RoutingRequest,
    StewardshipIndex,
    describe_cost,
    preference_cost,
)
from partnernet.framework.models import Stewardship
from partnernet.framework.selectors import region_tree
from partnernet.support.candidates import (
    StewardshipPool,
    routing_key,
    stewardship_pool,
)
from partnernet.support.models import (
    EventKind,
    RequestStatus,
    SupportRequest,
)
from partnernet.support.services.steps import lock, offer_to, to_queue


@dataclass(frozen=True)
class RebalanceReport:
    """What a rebalance did (or, with ``dry_run``, would do), with its database work timed apart.

    ``read_seconds`` covers loading stewardships, loads and requests and building the candidate lists;
    ``solve_seconds`` the min-cost flow; ``write_seconds`` applying the moves (0 on a dry run).
    """

    requests: int
    stewardships: int
    total_cost: int
    moves: tuple[Move, ...]
    unassigned: tuple[str, ...]
    applied: int
    skipped: int
    dry_run: bool
    read_seconds: float
    solve_seconds: float
    write_seconds: float


def _rebalance_inputs() -> tuple[list[RebalanceRequest], dict[str, int], StewardshipPool, dict[str, int]]:
    """The open and offered local requests with their candidates, and every stewardship's residual capacity.

    Residual capacity is the capacity minus the cases that stay put (accepted or in progress). Candidates are
    the request's routing candidates without the stewardships it already tried, costed by the load-free
    preference cost; requests of the same cell and language share one computation.
    """
    tree = region_tree()
    pool = stewardship_pool()
    index = StewardshipIndex.build(pool.stewardships)
    id_to_key = {pk: key for key, (pk, _entity) in pool.ids.items()}
    held_by_id = (
        SupportRequest.objects.filter(
            status__in=[RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS], stewardship__isnull=False
        )
        .values_list("stewardship_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    held = {id_to_key[pk]: n for pk, n in held_by_id if pk in id_to_key}
    residual = {s.key: s.capacity - held.get(s.key, 0) for s in pool.stewardships}
    # A request another instance delivered here is routed by its sender, never moved by this rebalance.
    rows = (
        SupportRequest.objects.filter(
            origin=instance_id(),
            status__in=[RequestStatus.OPEN, RequestStatus.OFFERED],
            inbox_item__isnull=True,
        )
        .values_list(
            "pk", "key", "type__key", "theme__key", "region__code", "language", "stewardship_id", "tried"
        )
        .order_by("key")
    )
    listed = list(rows)
    id_to_key = {**id_to_key, **_routing_keys({row[6] for row in listed} - set(id_to_key) - {None})}
    requests: list[RebalanceRequest] = []
    pks: dict[str, int] = {}
    options: dict[tuple[str, str | None, str, str], tuple[tuple[str, int], ...]] = {}
    for pk, key, type_key, theme_key, region, language, current_id, tried in listed:
        pks[key] = pk
        current = id_to_key.get(current_id) if current_id is not None else None
        shape = (type_key, theme_key, region, language)
        candidates = options.get(shape)
        if candidates is None:
            query = RoutingRequest(type_key, theme_key, region, None, language or None)
            costed = (
                (stewardship.key, preference_cost(query, stewardship, tree))
                for code in tree.chain(region)
                for stewardship in index.cells.get((type_key, code), ())
            )
            candidates = options[shape] = tuple(
                sorted(
                    ((k, cost) for k, cost in costed if cost is not None), key=lambda pair: (pair[1], pair[0])
                )
            )
        if tried:
            skip = {id_to_key.get(int(i)) for i in tried}
            candidates = tuple(pair for pair in candidates if pair[0] not in skip)
        requests.append(RebalanceRequest(key, current, candidates))
    return requests, residual, pool, pks


def rebalance_requests(actor: Any, *, dry_run: bool = False) -> RebalanceReport:
    """Reassign every open and offered request optimally under capacities (min-cost flow, not greedy).

    A request that moves is offered afresh to its new stewardship (new SLA clock, explanation naming the
    rebalance's reason) or sent to the facilitators' queue; the rest keep their offers. Applying re-checks
    each moved request under its lock: one answered meanwhile is skipped and counted, never overwritten.
    """
    if actor is not None and not actor.has_perm("support.manage_queue"):
        raise PermissionDenied(_("Only facilitators may rebalance requests."))
    started = time.perf_counter()
    requests, residual, pool, _pks = _rebalance_inputs()
    read = time.perf_counter() - started
    started = time.perf_counter()
    result = rebalance(requests, residual, QUEUE_PENALTY, describe=describe_cost)
    solve = time.perf_counter() - started
    applied = skipped = 0
    write = 0.0
    if not dry_run and result.moves:
        started = time.perf_counter()
        applied, skipped = _apply_moves(actor, result.moves, pool)
        write = time.perf_counter() - started
    return RebalanceReport(
        requests=len(requests),
        stewardships=len(residual),
        total_cost=result.total_cost,
        moves=result.moves,
        unassigned=result.unassigned,
        applied=applied,
        skipped=skipped,
        dry_run=dry_run,
        read_seconds=read,
        solve_seconds=solve,
        write_seconds=write,
    )


def _routing_keys(stewardship_ids: set[int]) -> dict[int, str]:
    """Routing keys (``key``, or ``key@origin`` for a peer's) of stewardships outside the active pool, such
    as a lapsed one still holding an offer, so a move off it names it as the pool would."""
    local = instance_id()
    rows = Stewardship.objects.filter(pk__in=stewardship_ids).values_list("pk", "key", "origin")
    return {pk: routing_key(key, origin, local) for pk, key, origin in rows}


@transaction.atomic
def _apply_moves(actor: Any, moves: Iterable[Move], pool: StewardshipPool) -> tuple[int, int]:
    applied = skipped = 0
    id_to_key = {pk: key for key, (pk, _entity) in pool.ids.items()}
    for move in moves:
        request = lock(move.request)
        current = None
        if request.stewardship_id is not None:
            current = id_to_key.get(request.stewardship_id) or _routing_keys({request.stewardship_id}).get(
                request.stewardship_id
            )
        if (
            request.status not in (RequestStatus.OPEN, RequestStatus.OFFERED)
            or current != move.from_stewardship
        ):
            skipped += 1
            continue
        before = request.status
        why = _("rebalance: %(reason)s") % {"reason": move.reason}
        if move.to_stewardship is None:
            to_queue(request, actor, why)
        else:
            stewardship_id, entity_id = pool.ids[move.to_stewardship]
            offer_to(request, stewardship_id, entity_id, why, actor, EventKind.REASSIGNED)
        record(
            actor,
            "update",
            "rebalance_requests",
            request,
            {"status": [before, request.status], "stewardship": [move.from_stewardship, move.to_stewardship]},
        )
        applied += 1
    return applied, skipped
