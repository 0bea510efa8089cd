"""Optimal batch reassignment of open and offered support requests under stewardship capacities.

When a steward lapses or capacities change, routing each request again one by one is greedy: the first request
takes the last free place that a later one needed more. The rebalance instead solves the whole assignment at
once as a min-cost flow (OR-Tools ``SimpleMinCostFlow``), which is optimal:

* every request node supplies one unit;
* a request sends it to one of its candidate stewardships (the routing preference cost) or straight to the
  facilitators' queue (the queue penalty);
* a stewardship passes at most its residual capacity on to the sink (its capacity minus the cases that are not
  being moved, i.e. accepted or in progress; a negative residual counts as 0).

**Fewest moves on ties.** Among assignments of equal total cost the rebalance changes as few requests as it
can, so people are not bounced between stewards for nothing; a move is any change of where a request is, the
queue included. It does so without a second solve: every cost is multiplied by ``m`` (one more than the number
of requests), and 1 is added to every option other than the request's current place. The added ones sum to
less than ``m``, so they can never outweigh a single unit of real cost: the main optimum is unchanged, and
among main optima the flow picks one with the fewest moves.

**Interchangeable requests share a node.** Requests with the same candidates (same costs) and the same current
place are interchangeable, so they become one node that supplies as many units as it has members, with arcs of
that capacity. Requests for one cell in one language get the same candidates from routing, so the more
requests share a cell, the smaller the graph (on the benchmark's random data it has half the nodes and arcs);
the optimum is unchanged, and the flows are handed back to the members in input order.

Arc insertion is vectorised (numpy arrays into ``add_arcs_with_capacity_and_unit_cost``) and so is handing the
flows back, so the Python around the solver stays small at 100,000 requests.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import attrgetter, itemgetter
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

_INT64_HEADROOM = 2**62
_QUEUE = -1
"""A place code: the facilitators' queue (no stewardship). Stewardships are 0 .. s-1."""
_GONE = -2
"""A place code: a current stewardship that is not in ``residual_capacity`` any more."""
_NO_COST = np.iinfo(np.int64).max
_KEY = itemgetter(0)
_COST = itemgetter(1)
_REQUEST_KEY = attrgetter("key")
_CURRENT = attrgetter("current")


@dataclass(frozen=True, slots=True)
class RebalanceRequest:
    """An open or offered request: its current stewardship (``None`` when unrouted) and its options.

    ``candidates`` are ``(stewardship key, cost)`` pairs with integer costs >= 0, typically
    :func:`partnernet.core.routing.preference_cost`. A current stewardship that is no longer among the
    candidates (it lapsed, or the request no longer matches it) simply cannot be kept.
    """

    key: str
    current: str | None
    candidates: tuple[tuple[str, int], ...]


class Move(NamedTuple):
    """One request changing hands; ``None`` as ``to_stewardship`` means the facilitators' queue.

    ``from_cost`` is ``None`` when the request had no stewardship or its old one is no longer a candidate;
    ``to_cost`` is ``None`` when it goes to the queue. A named tuple rather than a frozen dataclass: tens of
    thousands are made per rebalance, and a frozen dataclass's ``__init__`` cost three times as much.
    """

    request: str
    from_stewardship: str | None
    to_stewardship: str | None
    from_cost: int | None
    to_cost: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class RebalanceResult:
    """The optimal assignment of every request (``None``: the facilitators' queue) and how to get there.

    ``total_cost`` is the sum of the chosen candidates' costs plus the queue penalty once per unassigned
    request, in the callers' units (the tie-break scaling is removed). ``moves`` follow the input order.
    """

    assignment: Mapping[str, str | None]
    total_cost: int
    moves: tuple[Move, ...]
    unassigned: tuple[str, ...]


def rebalance(
    requests: Sequence[RebalanceRequest],
    residual_capacity: Mapping[str, int],
    queue_penalty: int,
    *,
    describe: Callable[[int], str] | None = None,
) -> RebalanceResult:
    """Assign ``requests`` to stewardships at minimum total cost within ``residual_capacity``.

    ``queue_penalty`` is the cost of leaving a request in the facilitators' queue; it must exceed every
    candidate cost, so a request whose candidate has room is never left unassigned. ``describe`` turns a cost
    into words for the moves' reasons (e.g. :func:`partnernet.core.routing.describe_cost`; it must be a pure
    function, as it is called once per distinct cost); without it the reasons quote the bare costs.

    Raises ``ValueError`` for a duplicate request key, a candidate stewardship missing from
    ``residual_capacity``, a negative cost, a penalty not above every cost, or costs too large for exact
    64-bit arithmetic.
    """
    n = len(requests)
    if n == 0:
        return RebalanceResult({}, 0, (), ())
    with _cycles_collected_after():
        return _rebalance(requests, residual_capacity, queue_penalty, describe)


@contextmanager
def _cycles_collected_after() -> Iterator[None]:
    """Hold the cyclic garbage collector off while a rebalance runs.

    A rebalance allocates tuples by the hundred thousand (groups, moves, reasons) and frees none of them until
    it returns, and none of them forms a cycle; meanwhile the collector, triggered by the allocations, walked
    every live object again and again, a full collection landing in some runs (about a tenth of a 30,000
    request rebalance). Reference counting still frees everything as usual. The collector is switched back on
    as it was found: a caller that had turned it off keeps it off.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _rebalance(
    requests: Sequence[RebalanceRequest],
    residual_capacity: Mapping[str, int],
    queue_penalty: int,
    describe: Callable[[int], str] | None,
) -> RebalanceResult:
    n = len(requests)
    keys = [request.key for request in requests]
    if len(set(keys)) != n:
        raise ValueError("request keys must be unique")
    stewardships = list(residual_capacity)
    groups = _Groups.build(requests, {key: index for index, key in enumerate(stewardships)})
    _check(groups, queue_penalty, n, len(stewardships))
    residual = np.fromiter((max(residual_capacity[key], 0) for key in stewardships), dtype=np.int64)
    new_place, new_cost = groups.hand_back(_solve(groups, residual, queue_penalty, n))

    current = groups.current[groups.member_group]
    old_cost = groups.current_cost()[groups.member_group]
    assigned = new_place >= 0
    total_cost = int(new_cost[assigned].sum()) + queue_penalty * int(n - assigned.sum())

    # Place codes index an object array whose last entry is None, so _QUEUE (-1) reads as the queue.
    names = np.array([*stewardships, None], dtype=object)
    new_keys = names[new_place].tolist()
    held = np.bincount(current[current >= 0], minlength=len(stewardships)).tolist()
    reasons = _Reasons(residual_capacity, dict(zip(stewardships, held, strict=True)), describe)
    moved = np.flatnonzero(new_place != current)
    movers = [requests[i] for i in moved.tolist()]
    moves = _moves(
        movers, groups.member_group[moved], new_place[moved], names, old_cost[moved], new_cost[moved], reasons
    )
    return RebalanceResult(
        dict(zip(keys, new_keys, strict=True)),
        total_cost,
        moves,
        tuple(keys[i] for i in np.flatnonzero(~assigned).tolist()),
    )


def _moves(
    movers: list[RebalanceRequest],
    group: npt.NDArray[np.int64],
    to: npt.NDArray[np.int64],
    names: npt.NDArray[np.object_],
    from_cost: npt.NDArray[np.int64],
    to_cost: npt.NDArray[np.int64],
    reasons: _Reasons,
) -> tuple[Move, ...]:
    """The moves of the requests that change place, in input order, each with its reason.

    Members of one group going to one place make the same move but for the request's key, so a reason is
    worded once per (group, destination), and the moves are put together by ``map`` and ``zip`` without a
    Python call per move: at 30,000 requests some 20,000 of them move.
    """
    _, first, inverse = np.unique(group * len(names) + (to + 1), return_index=True, return_inverse=True)
    rows = first.tolist()
    to_keys = names[to].tolist()
    from_costs, to_costs = _known(from_cost), _known(to_cost)

    said = list(
        map(
            reasons.reason,
            [movers[row] for row in rows],
            [to_keys[row] for row in rows],
            [from_costs[row] for row in rows],
            [to_costs[row] for row in rows],
        )
    )
    columns = zip(
        map(_REQUEST_KEY, movers),
        map(_CURRENT, movers),
        to_keys,
        from_costs,
        to_costs,
        map(said.__getitem__, inverse.tolist()),
        strict=True,
    )
    return tuple(map(tuple.__new__, repeat(Move), columns))


def _known(costs: npt.NDArray[np.int64]) -> list[int | None]:
    """Costs as Python ints, with the sentinels (no current candidate, the queue) as ``None``."""
    known: npt.NDArray[np.object_] = costs.astype(object)
    known[(costs == _NO_COST) | (costs == _QUEUE)] = None
    result: list[int | None] = known.tolist()
    return result


@dataclass(frozen=True, slots=True)
class _Groups:
    """Requests grouped by (candidates, current place), and the groups' candidate arcs as flat arrays.

    ``member_group`` gives each request's group; ``tails`` (group), ``heads`` (stewardship index) and
    ``costs`` are the candidate arcs in group order; ``current`` is each group's current place code.
    """

    member_group: npt.NDArray[np.int64]
    sizes: npt.NDArray[np.int64]
    current: npt.NDArray[np.int64]
    tails: npt.NDArray[np.int32]
    heads: npt.NDArray[np.int32]
    costs: npt.NDArray[np.int64]

    @classmethod
    def build(cls, requests: Sequence[RebalanceRequest], index_of: Mapping[str, int]) -> _Groups:
        # The loops below run once per request or candidate, so they stay in C where they can: one
        # ``setdefault`` numbers the groups in first-seen order, ``np.unique`` finds each group's first
        # member, and ``map`` with ``itemgetter`` splits the candidate pairs.
        group_of: dict[tuple[tuple[tuple[str, int], ...], str | None], int] = {}
        member_group = np.fromiter(
            (group_of.setdefault((r.candidates, r.current), len(group_of)) for r in requests),
            dtype=np.int64,
            count=len(requests),
        )
        first = [requests[i] for i in np.unique(member_group, return_index=True)[1].tolist()]
        pairs = list(chain.from_iterable(r.candidates for r in first))
        try:
            heads = np.fromiter(map(index_of.__getitem__, map(_KEY, pairs)), dtype=np.int32, count=len(pairs))
        except KeyError as missing:
            owner = next(r.key for r in first if any(key == missing.args[0] for key, _ in r.candidates))
            raise ValueError(
                f"request {owner}: candidate {missing.args[0]} has no residual capacity"
            ) from None
        counts = np.fromiter(map(len, (r.candidates for r in first)), dtype=np.int64, count=len(first))
        current = np.fromiter(
            (_QUEUE if r.current is None else index_of.get(r.current, _GONE) for r in first),
            dtype=np.int64,
            count=len(first),
        )
        return cls(
            member_group=member_group,
            sizes=np.bincount(member_group, minlength=len(first)),
            current=current,
            tails=np.repeat(np.arange(len(first), dtype=np.int32), counts),
            heads=heads,
            costs=np.fromiter(map(_COST, pairs), dtype=np.int64, count=len(pairs)),
        )

    def is_current(self) -> npt.NDArray[np.bool_]:
        """Which candidate arcs lead to their group's current stewardship."""
        result: npt.NDArray[np.bool_] = self.heads == self.current[self.tails]
        return result

    def current_cost(self) -> npt.NDArray[np.int64]:
        """Each group's cost of staying where it is (``_NO_COST`` when its place is no candidate)."""
        cost = np.full(len(self.sizes), _NO_COST, dtype=np.int64)
        keep = self.is_current()
        np.minimum.at(cost, self.tails[keep], self.costs[keep])
        return cost

    def hand_back(self, flows: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Each request's new place code and cost (``_QUEUE`` for the queue), from the flow on every arc.

        ``flows`` covers the candidate arcs, then one queue arc per group. A group's members (in input order)
        take its arcs' units in arc order; every group sends exactly its size, so the blocks line up.
        """
        groups = len(self.sizes)
        arc_group = np.concatenate([self.tails, np.arange(groups, dtype=np.int32)])
        order = np.argsort(arc_group, kind="stable")
        units = flows[order]
        places = np.concatenate([self.heads, np.full(groups, _QUEUE, dtype=np.int32)])[order]
        costs = np.concatenate([self.costs, np.full(groups, _QUEUE, dtype=np.int64)])[order]
        members = np.argsort(self.member_group, kind="stable")
        new_place = np.empty(len(members), dtype=np.int64)
        new_cost = np.empty(len(members), dtype=np.int64)
        new_place[members] = np.repeat(places, units)
        new_cost[members] = np.repeat(costs, units)
        return new_place, new_cost


def _check(groups: _Groups, queue_penalty: int, requests: int, stewardships: int) -> None:
    """Reject costs the flow would misread, and costs whose scaled form could overflow inside OR-Tools.

    OR-Tools' cost scaling multiplies arc costs by about the node count, and the total cost adds up to one
    scaled penalty per request; the bound leaves a factor of two spare over both.
    """
    if len(groups.costs):
        lowest, highest = int(groups.costs.min()), int(groups.costs.max())
        if lowest < 0:
            raise ValueError("candidate costs must be >= 0")
        if queue_penalty <= highest:
            raise ValueError(
                f"the queue penalty ({queue_penalty}) must exceed every candidate cost ({highest})"
            )
    elif queue_penalty <= 0:
        raise ValueError("the queue penalty must be > 0")
    nodes = len(groups.sizes) + stewardships + 1
    if (queue_penalty * (requests + 1) + 1) * (max(nodes, requests) + 1) * 2 >= _INT64_HEADROOM:
        raise ValueError("costs too large for exact 64-bit min-cost flow; lower the queue penalty")


def _solve(
    groups: _Groups, residual: npt.NDArray[np.int64], queue_penalty: int, requests: int
) -> npt.NDArray[np.int64]:
    """Solve the flow with the fewest-moves tie-break; return the flow on each candidate arc, then queue arc.

    Nodes are the groups (``0 .. g-1``), the stewardships (``g .. g+s-1``) and the sink (``g+s``).
    """
    g, s = len(groups.sizes), len(residual)
    sink = g + s
    scale = requests + 1
    moves_away = groups.current != _QUEUE
    tails = np.concatenate([groups.tails, np.arange(sink, dtype=np.int32)])
    heads = np.concatenate([groups.heads + np.int32(g), np.full(sink, sink, dtype=np.int32)])
    capacities = np.concatenate([groups.sizes[groups.tails], groups.sizes, residual])
    costs = np.concatenate(
        [
            groups.costs * scale + ~groups.is_current(),
            queue_penalty * scale + moves_away,
            np.zeros(s, dtype=np.int64),
        ]
    )
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    supplies = np.concatenate([groups.sizes, np.zeros(s, dtype=np.int64), [-requests]])
    solver.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not reach an optimum (status {status})")
    flows: npt.NDArray[np.int64] = np.asarray(solver.flows(arcs[: len(groups.heads) + g]), dtype=np.int64)
    return flows


@dataclass(frozen=True, slots=True)
class _Reasons:
    """Words for a move, from the old and new costs and whether the old stewardship was over capacity.

    ``held`` counts, per stewardship, the requests that were on it before the rebalance. ``describe`` is
    called once per distinct cost (``words`` remembers it), and a reason is worded once per distinct move
    (``said``: from where at what cost, to where at what cost): in the benchmark's 30,000 requests, 4,227
    distinct moves cover the 20,804 that move, and wording each of those was a fifth of the rebalance's time
    outside the solver.
    """

    residual_capacity: Mapping[str, int]
    held: Mapping[str, int]
    describe: Callable[[int], str] | None
    words: dict[int, str] = field(default_factory=dict)
    said: dict[tuple[str | None, int | None, str | None, int | None, bool], str] = field(default_factory=dict)

    def _option(self, key: str, cost: int) -> str:
        words = self.words.get(cost)
        if words is None:
            words = f"{self.describe(cost)}, cost {cost}" if self.describe else f"cost {cost}"
            self.words[cost] = words
        return f"{key} ({words})"

    def reason(
        self, request: RebalanceRequest, to: str | None, from_cost: int | None, to_cost: int | None
    ) -> str:
        said = (request.current, from_cost, to, to_cost, not request.candidates)
        reason = self.said.get(said)
        if reason is None:
            reason = self.said[said] = self._reason(request, to, from_cost, to_cost)
        return reason

    def _reason(
        self, request: RebalanceRequest, to: str | None, from_cost: int | None, to_cost: int | None
    ) -> str:
        source = request.current
        destination = None if to is None or to_cost is None else self._option(to, to_cost)
        if source is None:
            reason = f"assigned to {destination}"
        else:
            why = self._why_leave(source, from_cost, to_cost)
            if destination is not None:
                reason = f"{why}; now {destination}"
            else:
                left = "no other candidate has room" if request.candidates else "it has no candidate left"
                reason = f"{why}; {left}, so it goes to the facilitators' queue"
        return reason

    def _why_leave(self, source: str, from_cost: int | None, to_cost: int | None) -> str:
        if source not in self.residual_capacity:
            return f"{source} is no longer available"
        if from_cost is None:
            return f"{source} is no longer a candidate for it"
        if to_cost is not None and to_cost < from_cost:
            return f"better match than {self._option(source, from_cost)}"
        places = max(self.residual_capacity[source], 0)
        held = self.held[source]
        if held > places:
            room = f"{places} place{'' if places == 1 else 's'}"
            return f"{self._option(source, from_cost)} is over capacity ({held} requests for {room})"
        return f"{self._option(source, from_cost)} is needed by a better-matched request"
