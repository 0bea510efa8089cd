"""Reads for impact pages, exports and the API: always through the partnership visibility rule.

``impact_report`` has the database sum the visible outcomes per group (a fixed number of ``GROUP BY``
statements, whatever the data size) and leaves the rest to ``partnernet.core.impact``: the totals, the
roll-up along the M49 hierarchy and the credits, where every outcome counts once in every total and is
credited in full to every party.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils.translation import gettext

from partnernet.core import impact as core
from partnernet.directory.models import Entity
from partnernet.framework.models import PartnershipType, Region, Theme
from partnernet.framework.selectors import region_tree
from partnernet.i18n.names import label_for, region_name
from partnernet.impact.indicators import INDICATORS, NUMERIC
from partnernet.impact.models import Evaluation, FetchRun, Outcome
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.rules import visible_partnerships


@dataclass(frozen=True)
class ReportFilters:
    type: str | None = None
    theme: str | None = None
    region: str | None = None
    entity: str | None = None
    year: int | None = None

    def as_query(self) -> dict[str, str]:
        return {name: str(value) for name, value in self.__dict__.items() if value not in (None, "")}


def _of_partnerships(rows: QuerySet[Outcome], partnerships: QuerySet[Partnership]) -> QuerySet[Outcome]:
    """``rows`` of these partnerships; when nothing restricts them (an operator's whole view), all of
    ``rows``, without a subquery over every partnership in each statement."""
    if not partnerships.query.where:
        return rows
    return rows.filter(partnership__in=partnerships.values("pk"))


def visible_outcomes(user: Any, queryset: QuerySet[Outcome] | None = None) -> QuerySet[Outcome]:
    """Outcomes the person may see: exactly those of the partnerships they may see."""
    rows = Outcome.objects.all() if queryset is None else queryset
    return _of_partnerships(rows, visible_partnerships(user))


def filtered_outcomes(user: Any, filters: ReportFilters) -> QuerySet[Outcome]:
    partnerships = visible_partnerships(user)
    if filters.type:
        partnerships = partnerships.filter(type__key=filters.type)
    if filters.theme:
        partnerships = partnerships.filter(themes__key=filters.theme)
    if filters.region:
        path = Region.objects.filter(code=filters.region).values_list("path", flat=True).first()
        partnerships = partnerships.filter(region__path__startswith=path) if path else partnerships.none()
    if filters.entity:
        partnerships = partnerships.filter(Q(lead__key=filters.entity) | Q(supporters__key=filters.entity))
    rows = _of_partnerships(Outcome.objects.all(), partnerships)
    if filters.year:
        rows = rows.filter(period_end__year=filters.year)
    return rows


def _by_group(rows: Iterable[Mapping[str, Any]], group: str) -> dict[Any, core.Figures]:
    """``{group value: {indicator: sum}}`` from ``values(group, "indicator").annotate(sum=…)`` rows."""
    result: dict[Any, core.Figures] = defaultdict(dict)
    for row in rows:
        result[row[group]][row["indicator"]] = row["sum"]
    return result


def _shares(rows: QuerySet[Outcome], entity: str, codes: list[str]) -> dict[str, core.Share]:
    """Credit on one side (lead or supporter), one row per entity: its sums per indicator (one conditional
    sum each, so the distinct partnerships are counted across indicators) and its partnerships."""
    sums = {f"sum_{n}": Sum("value", filter=Q(indicator=code)) for n, code in enumerate(codes)}
    grouped = rows.values(entity).annotate(partnerships=Count("partnership_id", distinct=True), **sums)
    return {
        str(row[entity]): core.Share(
            {code: row[f"sum_{n}"] for n, code in enumerate(codes) if row[f"sum_{n}"] is not None},
            row["partnerships"],
        )
        for row in grouped.order_by()
    }


def outcome_sums(outcomes: QuerySet[Outcome]) -> tuple[core.GroupSums, int]:
    """The group sums of the numeric outcomes (``core.GroupSums``), and how many outcomes there are.

    One ``GROUP BY`` per dimension, so the database adds and only a few hundred rows come back, whatever the
    data size. Each statement keeps an outcome once per group: the theme and supporter joins repeat an
    outcome only across different themes or supporters, never within one. Entities are named by id (as a
    string): keys are unique only per origin.
    """
    numeric = outcomes.filter(indicator__in=NUMERIC, value__isnull=False).order_by()
    cells: dict[tuple[str, str | None], core.Figures] = defaultdict(dict)
    count = 0
    for row in numeric.values("partnership__type__key", "partnership__region__code", "indicator").annotate(
        sum=Sum("value"), outcomes=Count("pk")
    ):
        cell = (row["partnership__type__key"], row["partnership__region__code"])
        cells[cell][row["indicator"]] = row["sum"]
        count += row["outcomes"]
    codes = sorted({code for figures in cells.values() for code in figures})
    themes = _by_group(
        numeric.annotate(theme=F("partnership__themes__key"))
        .values("theme", "indicator")
        .annotate(sum=Sum("value")),
        "theme",
    )
    if None in themes:
        themes[""] = themes.pop(None)
    years: dict[int, core.Figures] = defaultdict(dict)
    # By day, then by year here: a year extracted in SQL is a Python call per row on SQLite.
    for day in numeric.values("period_end", "indicator").annotate(sum=Sum("value")):
        figures = years[day["period_end"].year]
        figures[day["indicator"]] = figures.get(day["indicator"], Decimal(0)) + day["sum"]
    supported = (
        numeric.annotate(supporter=F("partnership__supporters"))
        .filter(supporter__isnull=False)
        .exclude(supporter=F("partnership__lead_id"))
    )
    sums = core.GroupSums(
        cells=cells,
        themes=themes,
        years=years,
        led=_shares(numeric.annotate(lead=F("partnership__lead_id")), "lead", codes),
        supported=_shares(supported, "supporter", codes),
    )
    return sums, count


@dataclass(frozen=True)
class Row:
    """One line of a report table: a group's label, link target and its figures in dictionary order."""

    key: str
    label: str
    figures: list[Decimal | None]


@dataclass
class CreditRow:
    entity: Entity
    led: list[Decimal | None]
    supported: list[Decimal | None]
    total: list[Decimal | None]
    partnerships_led: int
    partnerships_supported: int


@dataclass
class ImpactReport:
    indicators: list[Any]
    totals: list[Decimal | None]
    by_type: list[Row]
    by_theme: list[Row]
    by_region: list[Row]
    by_year: list[Row]
    credits: list[CreditRow]
    as_of: dt.date | None
    outcomes: int
    partnerships: int
    results: list[Outcome] = field(default_factory=list)
    partnership_rows: Sequence[Partnership] = field(default_factory=list)

    @property
    def total_pairs(self) -> list[tuple[Any, Decimal | None]]:
        return list(zip(self.indicators, self.totals, strict=True))


def _line(figures: dict[str, Decimal], codes: list[str]) -> list[Decimal | None]:
    return [figures.get(code) for code in codes]


def impact_report(user: Any, filters: ReportFilters | None = None) -> ImpactReport:
    filters = filters or ReportFilters()
    outcomes = filtered_outcomes(user, filters)
    sums, count = outcome_sums(outcomes)
    present = {code for figures in sums.cells.values() for code in figures}
    codes = [code for code in NUMERIC if code in present]
    tree = region_tree()
    rolled = core.rollup_sums(sums, tree)

    types = {k: label_for(v, n) for k, n, v in PartnershipType.objects.values_list("key", "name", "labels")}
    themes = {k: label_for(v, n) for k, n, v in Theme.objects.values_list("key", "name", "labels")}
    by_region = rolled.by_region
    # Show the world's areas and sub-regions (and the filtered region's children), not every country.
    shown = sorted(
        (
            code
            for code in by_region
            if tree.depth(code) in (1, 2)
            or code == filters.region
            or (filters.region and tree.parents.get(code) == filters.region)
        ),
        key=lambda code: (tree.chain(code)[::-1], code),
    )
    credit = rolled.credits
    # Entities are named by id in the facts: keys repeat across origins.
    entities = {str(pk): e for pk, e in Entity.objects.in_bulk([int(k) for k in credit]).items()}
    credit_rows = [
        CreditRow(
            entity=entities[key],
            led=_line(c.led, codes),
            supported=_line(c.supported, codes),
            total=_line(c.total, codes),
            partnerships_led=c.partnerships_led,
            partnerships_supported=c.partnerships_supported,
        )
        for key, c in credit.items()
        if key in entities
    ]
    credit_rows.sort(key=lambda row: (-(row.partnerships_led + row.partnerships_supported), row.entity.name))
    results = list(
        outcomes.filter(indicator="results").select_related("partnership").order_by("-period_end")[:50]
    )
    latest = list(
        outcomes.order_by()
        .values("partnership_id")
        .annotate(figures=Count("pk"), as_of=Max("measured_on"))
        .order_by("-as_of", "partnership_id")[:100]
    )
    found = Partnership.objects.select_related("lead").in_bulk([row["partnership_id"] for row in latest])
    partnership_rows = []
    for row in latest:
        partnership = found[row["partnership_id"]]
        partnership.figures, partnership.as_of = row["figures"], row["as_of"]  # type: ignore[attr-defined]
        partnership_rows.append(partnership)
    return ImpactReport(
        partnership_rows=partnership_rows,
        indicators=[INDICATORS[code] for code in codes],
        totals=_line(rolled.totals, codes),
        by_type=[Row(k, str(types.get(k, k)), _line(v, codes)) for k, v in sorted(rolled.by_type.items())],
        by_theme=[
            Row(k, str(themes.get(k, k)) if k else gettext("No theme"), _line(v, codes))
            for k, v in sorted(rolled.by_theme.items())
        ],
        by_region=[
            Row(code, region_name(code, tree.name(code)), _line(by_region[code], codes)) for code in shown
        ],
        by_year=[Row(str(y), str(y), _line(v, codes)) for y, v in rolled.by_year.items()],
        credits=credit_rows,
        as_of=latest[0]["as_of"] if latest else None,  # the newest date of all: latest is ordered by it
        outcomes=count,
        partnerships=sum(share.partnerships for share in sums.led.values()),  # one lead per partnership
        results=results,
    )


def partnership_outcomes(user: Any, partnership: Partnership) -> QuerySet[Outcome]:
    return visible_outcomes(user, Outcome.objects.filter(partnership=partnership)).order_by(
        "-period_end", "indicator"
    )


def recent_fetch_runs(limit: int = 10) -> QuerySet[FetchRun]:
    return FetchRun.objects.select_related("partnership").order_by("-created_at", "-pk")[:limit]


def evaluations_side_by_side(keys: list[str] | None = None) -> tuple[list[Evaluation], list[Any]]:
    """Evaluations (all, or those named) with their rubric's criteria, scores prefetched."""
    rows = Evaluation.objects.select_related("rubric", "steward").prefetch_related(
        "scores__criterion", "facts", "rubric__criteria", "partnerships"
    )
    if keys:
        rows = rows.filter(key__in=keys)
    evaluations = list(rows.order_by("title"))
    criteria: list[Any] = []
    seen: set[int] = set()
    for evaluation in evaluations:
        for criterion in evaluation.rubric.criteria.all():
            if criterion.pk not in seen:
                seen.add(criterion.pk)
                criteria.append(criterion)
    return evaluations, criteria


def overall_score(evaluation: Evaluation) -> Decimal | None:
    scores = {s.criterion.key: s.score for s in evaluation.scores.all()}
    weights = {c.key: c.weight for c in evaluation.rubric.criteria.all()}
    return core.weighted_score(scores, weights)
