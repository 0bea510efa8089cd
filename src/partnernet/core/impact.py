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
from collections.abc import Iterable, Mapping
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
    partnerships_led: int = 0
    partnerships_supported: int = 0

    @property
    def total(self) -> Figures:
        """Led and supported together; an entity that both leads and supports a partnership counts it once."""
        return _figures(_add_cents(_add_cents({}, _to_cents(self.led)), _to_cents(self.supported)))


Cents = dict[str, int]
"""Figures in hundredths, as integers: integer addition is exact and far cheaper than ``Decimal``. Values
are stored to two places, so nothing is lost."""


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def _to_cents(figures: Mapping[str, Decimal]) -> Cents:
    return {code: _cents(value) for code, value in figures.items()}


def _figures(cents: Mapping[str, int]) -> Figures:
    return {code: Decimal(value).scaleb(-2) for code, value in cents.items()}


def _add_cents(target: Cents, more: Mapping[str, int]) -> Cents:
    for code, value in more.items():
        target[code] = target.get(code, 0) + value
    return target


def distinct(facts: Iterable[OutcomeFact]) -> list[OutcomeFact]:
    """Each outcome once, in first-seen order: joins over supporters or themes can repeat a row."""
    seen: set[int] = set()
    unique: list[OutcomeFact] = []
    for fact in facts:
        if fact.outcome not in seen:
            seen.add(fact.outcome)
            unique.append(fact)
    return unique


@dataclass(frozen=True)
class Share:
    """One entity's side of the credit (as lead, or as supporter): its sums and how many partnerships."""

    figures: Figures
    partnerships: int


@dataclass(frozen=True)
class GroupSums:
    """Every sum a report needs, each over the distinct outcomes of one group.

    These are what one ``GROUP BY`` per dimension gives (the impact app has the database make them), so the
    counting rules live in how the groups are formed: an outcome belongs to one (type, region) cell, to each
    of its partnership's themes once (``""`` when it has none), to its year, to its lead, and to each
    supporter other than the lead. ``group_sums`` forms them from outcomes in memory; it is the definition
    the database queries are tested against.
    """

    cells: Mapping[tuple[str, str | None], Figures]
    """(partnership type, region code or ``None``) -> sums."""
    themes: Mapping[str, Figures]
    years: Mapping[int, Figures]
    led: Mapping[str, Share]
    supported: Mapping[str, Share]


def group_sums(facts: Iterable[OutcomeFact]) -> GroupSums:
    """The group sums of these outcomes, each outcome once per group (see ``GroupSums``)."""
    cells: dict[tuple[str, str | None], Cents] = defaultdict(dict)
    themes: dict[str, Cents] = defaultdict(dict)
    years: dict[int, Cents] = defaultdict(dict)
    led: dict[str, Cents] = defaultdict(dict)
    supported: dict[str, Cents] = defaultdict(dict)
    led_partnerships: dict[str, set[int]] = defaultdict(set)
    supported_partnerships: dict[str, set[int]] = defaultdict(set)
    for fact in distinct(facts):
        figure = {fact.indicator: _cents(fact.value)}
        _add_cents(cells[(fact.type, fact.region)], figure)
        for theme in set(fact.themes) or {""}:
            _add_cents(themes[theme], figure)
        _add_cents(years[fact.year], figure)
        _add_cents(led[fact.lead], figure)
        led_partnerships[fact.lead].add(fact.partnership)
        for supporter in set(fact.supporters) - {fact.lead}:
            _add_cents(supported[supporter], figure)
            supported_partnerships[supporter].add(fact.partnership)
    return GroupSums(
        cells={key: _figures(cents) for key, cents in cells.items()},
        themes={key: _figures(cents) for key, cents in themes.items()},
        years={key: _figures(cents) for key, cents in years.items()},
        led={key: Share(_figures(cents), len(led_partnerships[key])) for key, cents in led.items()},
        supported={
            key: Share(_figures(cents), len(supported_partnerships[key])) for key, cents in supported.items()
        },
    )


@dataclass(frozen=True)
class Rollup:
    """Every roll-up of one report, computed from the same distinct outcomes."""

    totals: Figures
    by_type: dict[str, Figures]
    by_theme: dict[str, Figures]
    by_year: dict[int, Figures]
    by_region: dict[str, Figures]
    credits: dict[str, Credit]


def _region_chain(tree: RegionTree, region: str | None) -> tuple[str, ...]:
    """The region and its ancestors; a partnership without a (known) region counts in the world only."""
    return tree.chain(region) if region and region in tree else (WORLD,)


def rollup_sums(sums: GroupSums, tree: RegionTree) -> Rollup:
    """The report from its group sums: totals and types from the cells, regions up the M49 hierarchy.

    A cell counts once in its region and once in each ancestor; every cell is a disjoint set of outcomes,
    so adding cells never counts an outcome twice.
    """
    total: Cents = {}
    types: dict[str, Cents] = defaultdict(dict)
    regions: dict[str, Cents] = defaultdict(dict)
    for (type_key, region), figures in sums.cells.items():
        cents = _to_cents(figures)
        _add_cents(total, cents)
        _add_cents(types[type_key], cents)
        for code in _region_chain(tree, region):
            _add_cents(regions[code], cents)
    credit: dict[str, Credit] = {}
    for entity, share in sums.led.items():
        credit[entity] = Credit(entity, led=dict(share.figures), partnerships_led=share.partnerships)
    for entity, share in sums.supported.items():
        found = credit.setdefault(entity, Credit(entity))
        found.supported, found.partnerships_supported = dict(share.figures), share.partnerships
    return Rollup(
        totals=_figures(total),
        by_type={key: _figures(cents) for key, cents in types.items()},
        by_theme={key: dict(figures) for key, figures in sums.themes.items()},
        by_year={year: dict(sums.years[year]) for year in sorted(sums.years)},
        by_region={key: _figures(cents) for key, cents in regions.items()},
        credits=credit,
    )


def rollup(facts: Iterable[OutcomeFact], tree: RegionTree) -> Rollup:
    """All roll-ups of these outcomes at once."""
    return rollup_sums(group_sums(facts), tree)


def totals(facts: Iterable[OutcomeFact]) -> Figures:
    """The movement's totals: every distinct outcome once."""
    return rollup_sums(group_sums(facts), RegionTree.from_rows([])).totals


def by_type(facts: Iterable[OutcomeFact]) -> dict[str, Figures]:
    return rollup_sums(group_sums(facts), RegionTree.from_rows([])).by_type


def by_theme(facts: Iterable[OutcomeFact]) -> dict[str, Figures]:
    """Per theme; a partnership without a theme is grouped under the empty string. Theme rows may add up to
    more than the total (a partnership with two themes is under both)."""
    return dict(group_sums(facts).themes)


def by_year(facts: Iterable[OutcomeFact]) -> dict[int, Figures]:
    """The trend: totals per year of the measured period."""
    years = group_sums(facts).years
    return {year: dict(years[year]) for year in sorted(years)}


def by_region(facts: Iterable[OutcomeFact], tree: RegionTree) -> dict[str, Figures]:
    """Roll-up along the M49 hierarchy: an outcome counts once in its region and once in each ancestor.

    A partnership without a region (or with a code the tree does not know) counts in the world only.
    """
    return rollup_sums(group_sums(facts), tree).by_region


def credits(facts: Iterable[OutcomeFact]) -> dict[str, Credit]:
    """Who contributed what: the lead and every supporter are credited with each outcome in full.

    An entity listed as both lead and supporter of the same partnership is credited once, as lead.
    """
    return rollup_sums(group_sums(facts), RegionTree.from_rows([])).credits


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
