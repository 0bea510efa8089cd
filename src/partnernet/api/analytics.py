"""The network report over HTTP: ``GET /api/v1/analyze`` returns the ``partnernet analyze --json`` document.

Read-only. Everyone may read the figures; the ``sustainability`` object holds the entities the caller may
see the sustainability of (``analytics.rules``): every steward for facilitators, the caller's own entities for
their members, none for anonymous callers. The shape is the same for all.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from partnernet.analytics.report import analysis_document
from partnernet.analytics.rules import sustainability_scope
from partnernet.analytics.selectors import network_data
from partnernet.api.auth import READ

router = Router(tags=["analytics"], auth=READ)


class AnalyzeFilters(Schema):
    level: Literal["subregion", "region"] = "subregion"


class CoverageCellOut(Schema):
    type: str
    region: str


class PartialCellOut(Schema):
    type: str
    region: str
    entities: list[str]
    why: Literal["region", "theme"]


class SingleStewardOut(Schema):
    type: str
    region: str
    entity: str


class CoverageOut(Schema):
    cells: int
    covered: int
    gaps: list[CoverageCellOut]
    partial: list[PartialCellOut]
    single_steward: list[SingleStewardOut]


class SustainabilityOut(Schema):
    load: int
    capacity: int
    load_ratio: float | None
    over_capacity_weeks: int | None
    median_response_days: float | None
    timed_out_offers: int
    median_resolution_days: float | None
    resolution_rate: float | None
    requests_resolved: int
    years_active: int | None
    staff_fte: float | None
    volunteers: int | None
    members: int
    partnership_types: dict[str, int]
    type_spread: int
    alerts: list[str]


class AnalyzeOut(Schema):
    entities: int
    edges: int
    degree_centralization: float | None
    betweenness_centralization: float | None
    top1_share: float | None
    top3_share: float | None
    hhi: float | None
    gini: float | None
    coverage: CoverageOut
    over_capacity: list[str]
    sustainability: dict[str, SustainabilityOut]


@router.get("/analyze", response=AnalyzeOut, summary="Decentralisation, coverage and sustainability report")
def analyze(request: HttpRequest, filters: Query[AnalyzeFilters]) -> dict[str, Any]:
    data = network_data()
    document = analysis_document(level=filters.level, data=data)
    scope = sustainability_scope(request.user)
    if scope is not None:
        allowed = {data.entities[p] for p in (data.position(pk) for pk in scope) if p is not None}
        document["sustainability"] = {
            key: value for key, value in document["sustainability"].items() if key in allowed
        }
    return document
