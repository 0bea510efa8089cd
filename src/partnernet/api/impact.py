"""Outcomes and collective-impact totals over HTTP, with the partnership visibility rule of the UI."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from partnernet.api.auth import READ
from partnernet.api.errors import ApiError
from partnernet.api.pagination import paginate
from partnernet.api.schemas import Cursor, Key, Limit, Page, PathKey
from partnernet.impact.indicators import INDICATORS
from partnernet.impact.models import Outcome
from partnernet.impact.selectors import ReportFilters, filtered_outcomes, impact_report, visible_outcomes

router = Router(tags=["impact"], auth=READ)


class OutcomeOut(Schema):
    key: str
    partnership: str
    indicator: str
    period_start: dt.date
    period_end: dt.date
    value: Decimal | None
    text: str
    source: str
    connector: str
    data_as_of: dt.date
    source_url: str
    origin: str


class OutcomeFilters(Schema):
    type: Key | None = None
    theme: Key | None = None
    region: Key | None = None
    entity: Key | None = None
    year: int | None = Field(None, ge=1, le=9999)
    partnership: Key | None = None
    indicator: Key | None = None
    cursor: Cursor | None = None
    limit: Limit | None = None

    def report(self) -> ReportFilters:
        return ReportFilters(
            type=self.type,
            theme=self.theme,
            region=self.region.upper() if self.region else None,
            entity=self.entity,
            year=self.year,
        )


class Figure(Schema):
    indicator: str
    name: str
    unit: str
    value: Decimal | None


class Group(Schema):
    key: str
    label: str
    figures: list[Figure]


class Credit(Schema):
    entity: str
    name: str
    kind: str
    partnerships_led: int
    partnerships_supported: int
    figures: list[Figure]


class ReportOut(Schema):
    outcomes: int
    partnerships: int
    data_as_of: dt.date | None
    totals: list[Figure]
    by_type: list[Group]
    by_theme: list[Group]
    by_region: list[Group]
    by_year: list[Group]
    credits: list[Credit]


def _outcome(outcome: Outcome) -> dict[str, Any]:
    return {
        "key": outcome.key,
        "partnership": outcome.partnership.key,
        "indicator": outcome.indicator,
        "period_start": outcome.period_start,
        "period_end": outcome.period_end,
        "value": outcome.value,
        "text": outcome.text,
        "source": outcome.source,
        "connector": outcome.connector,
        "data_as_of": outcome.measured_on,
        "source_url": outcome.source_url,
        "origin": outcome.origin,
    }


@router.get("/outcomes", response=Page[OutcomeOut], summary="List outcomes")
def list_outcomes(request: HttpRequest, filters: Query[OutcomeFilters]) -> dict[str, Any]:
    if filters.indicator and filters.indicator not in INDICATORS:
        raise ApiError(
            422, "invalid", "Unknown indicator.", {"indicator": [f"one of {', '.join(INDICATORS)}"]}
        )
    rows = filtered_outcomes(request.user, filters.report()).select_related("partnership")
    if filters.partnership:
        rows = rows.filter(partnership__key=filters.partnership)
    if filters.indicator:
        rows = rows.filter(indicator=filters.indicator)
    return paginate(request, rows, _outcome, filters.cursor, filters.limit)


@router.get("/outcomes/{key}", response=OutcomeOut, summary="Read one outcome")
def read_outcome(request: HttpRequest, key: PathKey) -> dict[str, Any]:
    outcome = (
        visible_outcomes(request.user, Outcome.objects.filter(key=key)).select_related("partnership").first()
    )
    if outcome is None:
        raise ApiError(404, "not_found", f"No outcome with key '{key}'.")
    return _outcome(outcome)


@router.get(
    "/impact/report", response=ReportOut, summary="Collective-impact totals, each outcome counted once"
)
def report(request: HttpRequest, filters: Query[OutcomeFilters]) -> dict[str, Any]:
    data = impact_report(request.user, filters.report())

    def figures(values: list[Decimal | None]) -> list[dict[str, Any]]:
        return [
            {"indicator": i.code, "name": str(i.name), "unit": str(i.unit), "value": v}
            for i, v in zip(data.indicators, values, strict=True)
        ]

    def groups(rows: list[Any]) -> list[dict[str, Any]]:
        return [{"key": row.key, "label": row.label, "figures": figures(row.figures)} for row in rows]

    return {
        "outcomes": data.outcomes,
        "partnerships": data.partnerships,
        "data_as_of": data.as_of,
        "totals": figures(data.totals),
        "by_type": groups(data.by_type),
        "by_theme": groups(data.by_theme),
        "by_region": groups(data.by_region),
        "by_year": groups(data.by_year),
        "credits": [
            {
                "entity": row.entity.key,
                "name": row.entity.name,
                "kind": row.entity.kind,
                "partnerships_led": row.partnerships_led,
                "partnerships_supported": row.partnerships_supported,
                "figures": figures(row.total),
            }
            for row in data.credits
        ],
    }
