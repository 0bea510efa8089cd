"""Collective-impact arithmetic: totals, roll-ups and credit without double counting.

The model asks for *collective* impact: a partnership led by one entity and supported by three is one piece
of work. Its outcomes therefore count **once** in any total (the movement's, a region's, a type's, a year's),
while **every** party to it sees the outcome credited in full — credit is attribution, not a share, so credits
of different entities are never added up. These functions take plain rows and return plain data; the impact
app loads the rows (already restricted to what the reader may see) and renders the result.

Rules that keep figures honest:
- an outcome is identified by its id; a row repeated by a join still counts once;
- a group (region, theme, type, year, entity) counts each outcome once, however many ways it belongs there;
- a region counts every outcome of a partnership whose region lies inside it (M49 hierarchy), once;
- a partnership with several themes appears under each theme, so theme rows may add up to more than the
  total: the total is computed over outcomes, never by adding groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from partnernet.core.regions import WORLD, RegionTree

Figures = dict[str, Decimal]
"""Indicator code -> summed value."""


@dataclass(frozen=True)
class OutcomeFact:
    """One numeric outcome with what the roll-ups need to know about its partnership."""

    outcome: int
    partnership: int
    indicator: str
    value: Decimal
    year: int
    type: str
    region: str | None
    lead: str
    supporters: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()


@dataclass
class Credit:
    """What one entity is credited with: every outcome of the partnerships it led or supported, in full."""

    entity: str
    led: Figures = field(default_factory=dict)
    supported: Figures = field(default_factory=dict)
    partnerships_led: set[int] = field(default_factory=set)
    partnerships_supported: set[int] = field(default_factory=set)

    @property
    def total(self) -> Figures:
        """Led and supported together; an entity that both leads and supports a partnership counts it once."""
        return _add({}, self.led, self.supported)


def _add(target: Figures, *more: Mapping[str, Decimal]) -> Figures:
    for figures in more:
        for code, value in figures.items():
            target[code] = target.get(code, Decimal(0)) + value
    return target


Cents = dict[str, int]
"""Figures in hundredths, as integers: the roll-ups add hundreds of thousands of values, and integer
addition is exact and far cheaper than ``Decimal``. Values are stored to two places, so nothing is lost."""


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def _figures(cents: Mapping[str, int]) -> Figures:
    return {code: Decimal(value).scaleb(-2) for code, value in cents.items()}


def _add_cents(target: Cents, more: Mapping[str, int]) -> None:
    for code, value in more.items():
        target[code] = target.get(code, 0) + value


def distinct(facts: Iterable[OutcomeFact]) -> list[OutcomeFact]:
    """Each outcome once, in first-seen order: joins over supporters or themes can repeat a row."""
    seen: set[int] = set()
    unique: list[OutcomeFact] = []
    for fact in facts:
        if fact.outcome not in seen:
            seen.add(fact.outcome)
            unique.append(fact)
    return unique


Buckets = list[tuple[OutcomeFact, Cents]]


def _collapse(unique: list[OutcomeFact], by_year: bool) -> Buckets:
    """Sum distinct outcomes per partnership (and year): every group depends only on those, so rolling up
    these buckets gives the same figures as rolling up outcomes, with far fewer additions."""
    buckets: dict[tuple[int, int], tuple[OutcomeFact, Cents]] = {}
    for fact in unique:
        slot = (fact.partnership, fact.year if by_year else 0)
        bucket = buckets.get(slot)
        if bucket is None:
            bucket = buckets[slot] = (fact, {})
        cents = bucket[1]
        cents[fact.indicator] = cents.get(fact.indicator, 0) + _cents(fact.value)
    return list(buckets.values())


def _group(buckets: Buckets, groups: Callable[[OutcomeFact], Iterable[str]]) -> dict[str, Figures]:
    result: dict[str, Cents] = defaultdict(dict)
    for fact, cents in buckets:
        for group in set(groups(fact)):
            _add_cents(result[group], cents)
    return {group: _figures(cents) for group, cents in result.items()}


def totals(facts: Iterable[OutcomeFact]) -> Figures:
    """The movement's totals: every distinct outcome once."""
    return _group(_collapse(distinct(facts), by_year=False), lambda fact: ("",)).get("", {})


def totals_by(
    facts: Iterable[OutcomeFact], groups: Callable[[OutcomeFact], Iterable[str]], *, by_year: bool = False
) -> dict[str, Figures]:
    """Totals per group; ``groups`` names the groups a fact belongs to, and each counts it at most once.

    ``groups`` may look only at the fact's partnership (and at its year when ``by_year``): facts are summed
    per partnership first.
    """
    return _group(_collapse(distinct(facts), by_year), groups)


def by_type(facts: Iterable[OutcomeFact]) -> dict[str, Figures]:
    return totals_by(facts, lambda fact: (fact.type,))


def by_theme(facts: Iterable[OutcomeFact]) -> dict[str, Figures]:
    """Per theme; a partnership without a theme is grouped under the empty string."""
    return totals_by(facts, lambda fact: fact.themes or ("",))


def by_year(facts: Iterable[OutcomeFact]) -> dict[int, Figures]:
    """The trend: totals per year of the measured period."""
    grouped = totals_by(facts, lambda fact: (str(fact.year),), by_year=True)
    return {int(year): figures for year, figures in sorted(grouped.items())}


def _region_chain(tree: RegionTree) -> Callable[[OutcomeFact], tuple[str, ...]]:
    def chain(fact: OutcomeFact) -> tuple[str, ...]:
        if fact.region and fact.region in tree:
            return tree.chain(fact.region)
        return (WORLD,)

    return chain


def by_region(facts: Iterable[OutcomeFact], tree: RegionTree) -> dict[str, Figures]:
    """Roll-up along the M49 hierarchy: an outcome counts once in its region and once in each ancestor.

    A partnership without a region (or with a code the tree does not know) counts in the world only.
    """
    return totals_by(facts, _region_chain(tree))


def credits(facts: Iterable[OutcomeFact]) -> dict[str, Credit]:
    """Who contributed what: the lead and every supporter are credited with each outcome in full.

    An entity listed as both lead and supporter of the same partnership is credited once, as lead.
    """
    return _credits(_collapse(distinct(facts), by_year=False))


def _credits(buckets: Buckets) -> dict[str, Credit]:
    led: dict[str, Cents] = defaultdict(dict)
    supported: dict[str, Cents] = defaultdict(dict)
    result: dict[str, Credit] = {}
    for fact, cents in buckets:
        result.setdefault(fact.lead, Credit(fact.lead)).partnerships_led.add(fact.partnership)
        _add_cents(led[fact.lead], cents)
        for supporter in set(fact.supporters) - {fact.lead}:
            result.setdefault(supporter, Credit(supporter)).partnerships_supported.add(fact.partnership)
            _add_cents(supported[supporter], cents)
    for entity, credit in result.items():
        credit.led = _figures(led.get(entity, {}))
        credit.supported = _figures(supported.get(entity, {}))
    return result


@dataclass(frozen=True)
class Rollup:
    """Every roll-up of one report, computed from the same distinct outcomes."""

    totals: Figures
    by_type: dict[str, Figures]
    by_theme: dict[str, Figures]
    by_year: dict[int, Figures]
    by_region: dict[str, Figures]
    credits: dict[str, Credit]


def _merge(buckets: Buckets, key: Callable[[OutcomeFact], object]) -> Buckets:
    """Merge buckets whose facts agree on ``key``; groups that read only those fields see the same sums."""
    merged: dict[object, tuple[OutcomeFact, Cents]] = {}
    for fact, cents in buckets:
        slot = key(fact)
        bucket = merged.get(slot)
        if bucket is None:
            merged[slot] = (fact, dict(cents))
        else:
            _add_cents(bucket[1], cents)
    return list(merged.values())


def rollup(facts: Iterable[OutcomeFact], tree: RegionTree) -> Rollup:
    """All roll-ups at once: outcomes are de-duplicated and summed per partnership a single time.

    Partnerships that share type, themes and region are then merged, so the totals, type, theme and region
    roll-ups touch each such combination once instead of each partnership.
    """
    unique = distinct(facts)
    per_partnership = _collapse(unique, by_year=False)
    cells = _merge(per_partnership, lambda fact: (fact.type, fact.themes, fact.region))
    years: dict[str, Cents] = defaultdict(dict)
    for fact in unique:
        year = years[str(fact.year)]
        year[fact.indicator] = year.get(fact.indicator, 0) + _cents(fact.value)
    return Rollup(
        totals=_group(cells, lambda fact: ("",)).get("", {}),
        by_type=_group(cells, lambda fact: (fact.type,)),
        by_theme=_group(cells, lambda fact: fact.themes or ("",)),
        by_year={int(year): _figures(cents) for year, cents in sorted(years.items())},
        by_region=_group(cells, _region_chain(tree)),
        credits=_credits(per_partnership),
    )


def weighted_score(scores: Mapping[str, int | None], weights: Mapping[str, Decimal]) -> Decimal | None:
    """An evaluation's overall score: the weighted mean of the criteria that were scored.

    Criteria left unscored do not pull the mean down; they leave the weight out. ``None`` when nothing with
    a positive weight was scored.
    """
    numerator = Decimal(0)
    denominator = Decimal(0)
    for criterion, weight in weights.items():
        score = scores.get(criterion)
        if score is None or weight <= 0:
            continue
        numerator += weight * score
        denominator += weight
    if denominator == 0:
        return None
    return (numerator / denominator).quantize(Decimal("0.01"))
