"""Ranking the active stewardships that could take a support request.

A weaker entity asking for support should reach the steward closest to its need, in its language, without
overloading anyone, and every decision must be explainable to the people involved. The rules (DESIGN.md,
"Routing") are applied as one lexicographic order:

1. **Capacity**: a stewardship at capacity (``load >= capacity``; capacity 0 is always at capacity) ranks
   after every stewardship that still has room, so it is only chosen when nobody else can take the request.
2. **Match class**: exact cell (theme equal, region not the world) > type + region (any theme, region not the
   world) > type + theme (theme equal, world-wide) > type alone (any theme, world-wide). A request that names
   no theme still reaches theme-specific stewardships, but inside each class they rank after every any-theme
   stewardship: the requester gave no reason to prefer a specialist, and a generalist is the safer bet.
3. **Region distance**: fewer steps up the region hierarchy from the request's region to the stewardship's.
   World-wide stewardships are the same distance from every request, so distance is left out for them; that
   keeps costs comparable across requests when the rebalance weighs one request against another.
4. **Shared language**: the request's language and one of the stewardship's share a primary subtag, compared
   case-insensitively (``pt-BR`` shares with ``pt``).
5. **Level**: lead > co_lead > supporter.
6. **Load ratio**: lower ``load / capacity`` first (capacity 0 counts as infinitely loaded). Ratios are
   compared as floats, which is exact here: two different fractions with denominators below 2**26 never round
   to the same float.
7. **Stewardship key**, so the order is total and never depends on the order rows came from the database. Keys
   are expected to be unique; that is what makes the order a function of the data alone.

Rules 2-5 do not depend on load, so they are folded into one integer, :func:`preference_cost`, which the batch
rebalance reuses while its min-cost flow handles capacity. The cost is written in decimal digits so a person
can read it: ``tier * 1000 + steps * 100 + no_shared_language * 10 + level``, where ``tier`` is twice the
match class plus one for a theme-specific stewardship offered to a request without a theme.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum

from partnernet.core.eligibility import LEGAL_NEEDS, eligible
from partnernet.core.regions import WORLD, RegionTree

LEVELS: tuple[str, ...] = ("lead", "co_lead", "supporter")
_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
_LEVEL_LABEL = {"lead": "lead", "co_lead": "co-lead", "supporter": "supporter"}

MAX_STEPS = 9
"""Region distances above this count as this (M49 has at most four steps from a country to the world)."""


class MatchClass(IntEnum):
    """How a stewardship's cell matches a request, best first."""

    EXACT = 0
    TYPE_REGION = 1
    TYPE_THEME = 2
    TYPE = 3


_MATCH_LABEL = {
    MatchClass.EXACT: "exact cell",
    MatchClass.TYPE_REGION: "type and region",
    MatchClass.TYPE_THEME: "type and theme",
    MatchClass.TYPE: "type alone",
}
_TIER_EXACT = 2 * MatchClass.EXACT.value
_TIER_TYPE_REGION = 2 * MatchClass.TYPE_REGION.value
_TIER_TYPE_THEME = 2 * MatchClass.TYPE_THEME.value
_TIER_TYPE = 2 * MatchClass.TYPE.value

MAX_COST = (len(MatchClass) * 2 - 1) * 1000 + MAX_STEPS * 100 + 10 + len(LEVELS) - 1
"""The largest value :func:`preference_cost` can return."""

QUEUE_PENALTY = 10 * (MAX_COST + 1)
"""A cost for leaving a request in the facilitators' queue, for the rebalance.

It exceeds every preference cost ten times over. Seating a queued request can mean moving others along a chain
(each into a worse match), so the rebalance leaves a request in the queue only when every way of seating it
moves at least ten other requests; and the penalty stays small enough for the flow's scaled integer costs to
be far from overflow at any realistic scale.
"""


def primary_subtag(tag: str) -> str:
    """The primary language subtag of a BCP 47 tag, lower-cased (``pt-BR`` gives ``pt``)."""
    return tag.partition("-")[0].strip().lower()


@dataclass(frozen=True, slots=True)
class Cell:
    """A framework cell: partnership type, theme (``None`` for any theme) and region code."""

    type: str
    theme: str | None
    region: str


@dataclass(frozen=True, slots=True)
class RoutingRequest:
    """What routing needs to know about a support request.

    ``requester`` is the asking entity's reference (as :attr:`ActiveStewardship.entity_ref` names
    entities): its own stewardships are never candidates, nobody is routed to themselves. A ``need`` in
    :data:`LEGAL_NEEDS` keeps only stewardships whose entity has a legal identity; other needs do not rank.
    """

    type: str
    theme: str | None
    region: str
    need: str | None = None
    language: str | None = None
    requester: str | None = None

    @property
    def needs_legal_identity(self) -> bool:
        return self.need in LEGAL_NEEDS


@dataclass(frozen=True, slots=True)
class ActiveStewardship:
    """An active stewardship as routing sees it, with its current load.

    The fields after ``languages`` are derived once here so that ranking thousands of stewardships allocates
    nothing per stewardship; ``explanations`` remembers the explanation last written for it per shared
    language tag (with the region name it used), since a value lives as long as its row is unchanged and the
    same text is asked for decision after decision. Raises ``ValueError`` for an unknown level or a negative
    capacity or load, so bad rows fail where they are built instead of ranking strangely.
    """

    key: str
    entity: str
    entity_name: str
    type: str
    type_name: str
    theme: str | None
    theme_name: str | None
    region: str
    level: str
    capacity: int
    load: int
    languages: tuple[str, ...] = ()
    legal_identity: bool | None = None
    """Whether the stewarding entity can sign in its own name (``None``: not known, treated as no)."""
    entity_ref: str = ""
    """The entity as requests name it (its key here, ``key@origin`` for another origin's; default:
    ``entity``)."""
    cell: Cell = field(init=False, repr=False, compare=False)
    language_by_subtag: dict[str, str] = field(init=False, repr=False, compare=False)
    level_rank: int = field(init=False, repr=False, compare=False)
    worldwide: bool = field(init=False, repr=False, compare=False)
    role: str = field(init=False, repr=False, compare=False)
    explanations: dict[str | None, tuple[str, str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.level not in _LEVEL_RANK:
            raise ValueError(f"stewardship {self.key}: unknown level {self.level!r}")
        if self.capacity < 0 or self.load < 0:
            raise ValueError(f"stewardship {self.key}: capacity and load must be >= 0")
        by_subtag: dict[str, str] = {}
        for tag in self.languages:
            by_subtag.setdefault(primary_subtag(tag), tag)
        if not self.entity_ref:
            object.__setattr__(self, "entity_ref", self.entity)
        object.__setattr__(self, "cell", Cell(self.type, self.theme, self.region))
        object.__setattr__(self, "language_by_subtag", by_subtag)
        object.__setattr__(self, "level_rank", _LEVEL_RANK[self.level])
        object.__setattr__(self, "worldwide", self.region == WORLD)
        subject = (
            self.type_name if self.theme is None else f"{self.type_name} ({self.theme_name or self.theme})"
        )
        object.__setattr__(self, "role", f"{subject} {_LEVEL_LABEL[self.level]}")
        object.__setattr__(self, "explanations", {})

    @property
    def at_capacity(self) -> bool:
        return self.load >= self.capacity


@dataclass(frozen=True, slots=True)
class CostParts:
    """The components of a preference cost, to explain a decision or a rebalance move."""

    match: MatchClass
    theme_not_asked: bool
    steps: int
    shares_language: bool
    level: str

    @property
    def cost(self) -> int:
        tier = 2 * self.match.value + int(self.theme_not_asked)
        steps = min(self.steps, MAX_STEPS)
        return tier * 1000 + steps * 100 + (0 if self.shares_language else 10) + _LEVEL_RANK[self.level]

    @classmethod
    def from_cost(cls, cost: int) -> CostParts:
        """Decode a value of :func:`preference_cost`; ``ValueError`` when it is not one."""
        tier, rest = divmod(cost, 1000)
        steps, rest = divmod(rest, 100)
        no_language, level = divmod(rest, 10)
        if not (0 <= tier < len(MatchClass) * 2 and no_language in (0, 1) and level < len(LEVELS)):
            raise ValueError(f"{cost} is not a routing preference cost")
        return cls(MatchClass(tier // 2), bool(tier % 2), steps, not no_language, LEVELS[level])

    def describe(self) -> str:
        """A short phrase such as ``type and region match, 1 step up, shares language, lead``."""
        words = [f"{_MATCH_LABEL[self.match]} match"]
        if self.theme_not_asked:
            words.append("theme not asked for")
        if self.steps:
            words.append(f"{self.steps} step{'s' if self.steps > 1 else ''} up")
        if self.shares_language:
            words.append("shares language")
        words.append(_LEVEL_LABEL[self.level])
        return ", ".join(words)


def describe_cost(cost: int) -> str:
    """:meth:`CostParts.describe` of a preference cost; fits the rebalance's ``describe`` hook."""
    return CostParts.from_cost(cost).describe()


@dataclass(slots=True)
class Candidate:
    """One ranked stewardship; ``explanation`` follows the caller's prefix ``routed to <entity name>: ``.

    A fresh value owned by the caller. It is not frozen because a frozen dataclass costs several times more
    to build, and a ranking may build thousands of them.
    """

    rank: int
    stewardship: str
    entity: str
    entity_name: str
    level: str
    cell: Cell
    load: int
    capacity: int
    at_capacity: bool
    cost: int
    explanation: str


def preference_cost(
    request: RoutingRequest, stewardship: ActiveStewardship, regions: RegionTree
) -> int | None:
    """The load-free preference cost of one pair (lower is better), or ``None`` when it is no candidate.

    Candidates with equal load and capacity rank in increasing cost, then by stewardship key. Raises
    ``KeyError`` when the request's region is not in ``regions``.
    """
    if stewardship.type != request.type or not eligible(request, stewardship):
        return None
    steps = regions.steps_up(request.region, stewardship.region)
    if steps is None:
        return None
    return _cost(request.theme, _request_subtag(request), stewardship, steps)


def _request_subtag(request: RoutingRequest) -> str | None:
    return primary_subtag(request.language) if request.language else None


def _cost(theme: str | None, subtag: str | None, stewardship: ActiveStewardship, steps: int) -> int | None:
    """The cost of a stewardship known to share the request's type and to cover its region ``steps`` up."""
    own_theme = stewardship.theme
    worldwide = stewardship.worldwide
    if own_theme is None:
        tier = _TIER_TYPE if worldwide else _TIER_TYPE_REGION
    elif theme is None:
        tier = (_TIER_TYPE if worldwide else _TIER_TYPE_REGION) + 1
    elif own_theme == theme:
        tier = _TIER_TYPE_THEME if worldwide else _TIER_EXACT
    else:
        return None
    distance = 0 if worldwide else min(steps, MAX_STEPS)
    no_language = 0 if subtag in stewardship.language_by_subtag else 10
    return tier * 1000 + distance * 100 + no_language + stewardship.level_rank


def rank_stewardships(
    request: RoutingRequest,
    stewardships: Iterable[ActiveStewardship],
    regions: RegionTree,
    *,
    limit: int | None = None,
) -> list[Candidate]:
    """Rank the candidates for ``request`` among ``stewardships``, best first (ranks start at 1).

    Only stewardships of the request's type whose region covers the request's region (the same region or an
    ancestor) and whose theme is ``None`` or the request's theme are candidates; see the module docstring for
    the order. ``limit`` keeps only the best candidates and spares building the rest. An empty list means
    nobody matches: the request goes to the facilitators' queue. Raises ``KeyError`` for a request region that
    is not in ``regions``.
    """
    steps_by_region = {code: steps for steps, code in enumerate(regions.chain(request.region))}
    wanted = request.type
    pairs = (
        (stewardship, steps)
        for stewardship in stewardships
        if stewardship.type == wanted and (steps := steps_by_region.get(stewardship.region)) is not None
    )
    return _rank(request, pairs, regions, limit)


@dataclass(frozen=True)
class StewardshipIndex:
    """Active stewardships grouped by (type, region), for ranking many requests against the same set.

    Ranking through the index visits only the stewardships on the request's region chain (at most five cells
    in M49) instead of every stewardship, which is what makes building the rebalance's candidate lists for
    100,000 requests affordable. Build it once per batch with :meth:`build`.
    """

    cells: dict[tuple[str, str], tuple[ActiveStewardship, ...]]

    @classmethod
    def build(cls, stewardships: Iterable[ActiveStewardship]) -> StewardshipIndex:
        grouped: dict[tuple[str, str], list[ActiveStewardship]] = {}
        for stewardship in stewardships:
            grouped.setdefault((stewardship.type, stewardship.region), []).append(stewardship)
        return cls({cell: tuple(group) for cell, group in grouped.items()})

    def rank(
        self, request: RoutingRequest, regions: RegionTree, *, limit: int | None = None
    ) -> list[Candidate]:
        """The same ranking as :func:`rank_stewardships` over the indexed stewardships."""
        cells = self.cells
        pairs = (
            (stewardship, steps)
            for steps, code in enumerate(regions.chain(request.region))
            for stewardship in cells.get((request.type, code), ())
        )
        return _rank(request, pairs, regions, limit)


_AT_CAPACITY = MAX_COST + 1
"""Added to the cost in the sort key of a stewardship at capacity, so one integer orders rules 1-5."""


def _rank(
    request: RoutingRequest,
    pairs: Iterable[tuple[ActiveStewardship, int]],
    regions: RegionTree,
    limit: int | None,
) -> list[Candidate]:
    """Sort plain tuples (no per-candidate objects) and build candidates only for what is returned.

    ``pairs`` (a stewardship and its steps up from the request's region) is consumed once; only the candidates
    and one sort tuple each stay alive until the end, which keeps a ranking of thousands from filling the
    garbage collector's young generations. The sort key is ``(capacity and cost as one integer, load ratio,
    key, position)``: folding rules 1-5 into the first element lets most comparisons end at one integer
    comparison.
    """
    theme = request.theme
    subtag = _request_subtag(request)
    chosen: list[ActiveStewardship] = []
    keep = chosen.append
    rows: list[tuple[int, float, str, int]] = []
    append = rows.append
    inf = math.inf
    requester = request.requester
    legal = request.needs_legal_identity
    for stewardship, steps in pairs:
        if (requester is not None and stewardship.entity_ref == requester) or (
            legal and stewardship.legal_identity is not True
        ):
            continue
        cost = _cost(theme, subtag, stewardship, steps)
        if cost is not None:
            load, capacity = stewardship.load, stewardship.capacity
            if load >= capacity:
                cost += _AT_CAPACITY
            append((cost, load / capacity if capacity else inf, stewardship.key, len(chosen)))
            keep(stewardship)
    if limit is not None and limit < len(rows) // 8:
        rows = heapq.nsmallest(max(limit, 0), rows)
    else:
        rows.sort()
        del rows[len(rows) if limit is None else max(limit, 0) :]
    names = regions.names
    candidates: list[Candidate] = []
    for rank, (cost, _ratio, _key, position) in enumerate(rows, start=1):
        stewardship = chosen[position]
        at_capacity = cost >= _AT_CAPACITY
        region = stewardship.region
        candidates.append(
            Candidate(
                rank,
                stewardship.key,
                stewardship.entity,
                stewardship.entity_name,
                stewardship.level,
                stewardship.cell,
                stewardship.load,
                stewardship.capacity,
                at_capacity,
                cost - _AT_CAPACITY if at_capacity else cost,
                _explanation(stewardship, subtag, names.get(region, region)),
            )
        )
    return candidates


def explain(stewardship: ActiveStewardship, request: RoutingRequest, regions: RegionTree) -> str:
    """Why a stewardship is a candidate, e.g. ``GLAM lead for Northern Europe, load 3/10, shares sv``.

    The load shown is the stewardship's current one; ``, at capacity`` is added when it has no room left.
    """
    return _explanation(stewardship, _request_subtag(request), regions.name(stewardship.region))


def _explanation(stewardship: ActiveStewardship, subtag: str | None, region_name: str) -> str:
    shared = stewardship.language_by_subtag.get(subtag) if subtag is not None else None
    known = stewardship.explanations.get(shared)
    if known is not None and known[0] == region_name:
        return known[1]
    where = "worldwide" if stewardship.worldwide else f"for {region_name}"
    text = f"{stewardship.role} {where}, load {stewardship.load}/{stewardship.capacity}"
    if shared is not None:
        text = f"{text}, shares {shared}"
    if stewardship.load >= stewardship.capacity:
        text = f"{text}, at capacity"
    stewardship.explanations[shared] = (region_name, text)
    return text
