"""The analytics pages: the dashboard, steward suggestions per cell, and CSV/JSON downloads of every figure.

Views parse, check the ``analytics.*`` permissions (``rules.py``), read through selectors and render.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partnernet.analytics.dashboard import dashboard as dashboard_of
from partnernet.analytics.graph import edge_rows, node_rows
from partnernet.analytics.report import build_report, coverage_rows, page_report
from partnernet.analytics.rules import sustainability_scope
from partnernet.analytics.selectors import network_data
from partnernet.analytics.services import request_snapshot
from partnernet.analytics.suggestions import suggestions_for
from partnernet.analytics.sustainability import sustainability
from partnernet.analytics.trends import TREND_FIGURES, trend_rows
from partnernet.base.formats import csv_text
from partnernet.framework.coverage import LEVELS
from partnernet.framework.models import PartnershipType, Region
from partnernet.sustainability.rules import declarable_keys

FORMATS = ("csv", "json")
PUBLIC_FIGURES = ("summary", "coverage", "nodes", "edges", "trends")
COVERAGE_COLUMNS = ("type", "region", "state", "why", "stewards", "entities", "partial_entities")
NODE_COLUMNS = ("entity", "name", "country", "degree", "support_handled", "load", "capacity", "over_capacity")
SUSTAINABILITY_COLUMNS = (
    "entity",
    "load",
    "capacity",
    "load_ratio",
    "over_capacity_weeks",
    "median_response_days",
    "timed_out_offers",
    "median_resolution_days",
    "resolution_rate",
    "requests_resolved",
    "years_active",
    "staff_fte",
    "volunteers",
    "members",
    "partnership_types",
    "type_spread",
    "alerts",
)
SUGGESTION_COLUMNS = (
    "rank",
    "entity",
    "distance",
    "experience",
    "shared_languages",
    "capacity_left",
    "reasons",
)


def _level(request: HttpRequest) -> str:
    level = request.GET.get("level", "subregion")
    return level if level in LEVELS else "subregion"


def _chart(
    kind: str, labels: list[str], series: Sequence[tuple[str, list[Any]]], unit_max: float | None
) -> dict[str, Any]:
    options: dict[str, Any] = {"scales": {"y": {"beginAtZero": True}}}
    if unit_max is not None:
        options["scales"]["y"]["max"] = unit_max
    return {
        "type": kind,
        "data": {"labels": labels, "datasets": [{"label": label, "data": data} for label, data in series]},
        "options": options,
    }


def _trend_charts(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    months = [row["month"] for row in rows]

    def column(name: str) -> list[Any]:
        return [row[name] for row in rows]

    return {
        "centralization": _chart(
            "line",
            months,
            [
                (_("Degree centralization"), column("degree_centralization")),
                (_("Betweenness centralization"), column("betweenness_centralization")),
            ],
            1.0,
        ),
        "concentration": _chart(
            "line",
            months,
            [
                (_("Top 1 share of support"), column("top1_share")),
                (_("Top 3 share of support"), column("top3_share")),
                (_("HHI of load"), column("hhi")),
                (_("Gini of load"), column("gini")),
            ],
            1.0,
        ),
        "coverage": _chart(
            "line",
            months,
            [
                (_("Covered cells"), column("covered")),
                (_("Partly covered cells"), column("partial")),
                (_("Gaps"), column("gaps")),
                (_("Single-steward cells"), column("single_steward")),
            ],
            None,
        ),
    }


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("analytics.view_dashboard"):
        raise PermissionDenied
    facilitator = request.user.has_perm("analytics.view_suggestions")
    data = dashboard_of(
        _level(request), sustainability_scope(request.user), needs_for=request.user if facilitator else None
    )
    return render(
        request,
        "analytics/dashboard.html",
        {
            "board": data,
            "figures": data.report.document,
            "charts": _trend_charts(data.trends),
            "can_suggest": request.user.has_perm("analytics.view_suggestions"),
            "can_snapshot": request.user.has_perm("analytics.take_snapshot"),
            "levels": LEVELS,
            "declarable": declarable_keys(request.user),
        },
    )


def _cell(type_key: str, region: str) -> tuple[str, str]:
    ptype = PartnershipType.objects.filter(key=type_key).first()
    place = Region.objects.filter(code=region).first()
    if ptype is None or place is None:
        raise Http404(_("No such cell of the matrix."))
    return ptype.label, place.label


@require_GET
def suggestions(request: HttpRequest, type_key: str, region: str) -> HttpResponse:
    if not request.user.has_perm("analytics.view_suggestions"):
        raise PermissionDenied
    type_name, region_name = _cell(type_key, region)
    data = network_data()
    ranked = suggestions_for(data, type_key, region, limit=10)
    names = {row.key: row.name for row in data.rows}
    return render(
        request,
        "analytics/suggestions.html",
        {
            "type_key": type_key,
            "type_name": type_name,
            "region": region,
            "region_name": region_name,
            "suggestions": [(s, names.get(s.entity, s.entity)) for s in ranked],
        },
    )


def _download(
    rows: Iterable[dict[str, Any]], document: Any, name: str, fmt: str, header: Sequence[str]
) -> HttpResponse:
    """``document`` as JSON, or ``rows`` as CSV (UTF-8, ``header`` row, lists joined with ``;``)."""
    if fmt == "json":
        response: HttpResponse = JsonResponse(document, safe=False, json_dumps_params={"ensure_ascii": False})
    else:
        text = csv_text(header, ({key: _cell_text(value) for key, value in row.items()} for row in rows))
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="partnernet-{name}.{fmt}"'
    return response


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ";".join(_cell_text(item) for item in value)
    if isinstance(value, dict):
        return ";".join(f"{key}:{_cell_text(item)}" for key, item in value.items())
    return str(value)


@require_GET
def export(request: HttpRequest, figure: str, fmt: str) -> HttpResponse:
    """Download one figure of the dashboard. Everyone may download the aggregates; sustainability follows
    the same scope as on the page (facilitators all entities, members their own)."""
    if fmt not in FORMATS or figure not in (*PUBLIC_FIGURES, "sustainability"):
        raise Http404(_("No such download."))
    level = _level(request)
    if figure == "trends":
        rows = trend_rows()
        return _download(rows, rows, figure, fmt, ("month", *TREND_FIGURES))
    data = network_data()
    if figure == "summary":
        document = page_report(data, level=level).document
        flat = {key: value for key, value in document.items() if key not in ("coverage", "over_capacity")}
        flat["covered"] = document["coverage"]["covered"]
        flat["partial"] = len(document["coverage"]["partial"])
        flat["gaps"] = len(document["coverage"]["gaps"])
        flat["cells"] = document["coverage"]["cells"]
        flat["over_capacity"] = document["over_capacity"]
        pairs = [{"figure": k, "value": v} for k, v in flat.items()]
        return _download(pairs, document, figure, fmt, ("figure", "value"))
    if figure == "coverage":
        rows = coverage_rows(data, level)
        return _download(rows, rows, figure, fmt, COVERAGE_COLUMNS)
    if figure == "nodes":
        over = build_report(data, with_betweenness=False).network.over_capacity
        rows = node_rows(data, over)
        return _download(rows, rows, figure, fmt, NODE_COLUMNS)
    if figure == "edges":
        rows = edge_rows(data)
        return _download(rows, rows, figure, fmt, ("source", "target", "weight"))
    scope = sustainability_scope(request.user)
    if scope is not None and not scope:
        raise PermissionDenied
    everyone = sustainability(data)
    allowed = (
        None
        if scope is None
        else {data.entities[p] for p in (data.position(pk) for pk in scope) if p is not None}
    )
    chosen = {key: value.to_json() for key, value in everyone.items() if allowed is None or key in allowed}
    rows = [{"entity": key, **value} for key, value in chosen.items()]
    return _download(rows, chosen, figure, fmt, SUSTAINABILITY_COLUMNS)


@require_GET
def suggestions_export(request: HttpRequest, type_key: str, region: str, fmt: str) -> HttpResponse:
    if not request.user.has_perm("analytics.view_suggestions"):
        raise PermissionDenied
    if fmt not in FORMATS:
        raise Http404(_("No such download."))
    _cell(type_key, region)
    ranked = [s.to_json() for s in suggestions_for(network_data(), type_key, region, limit=10)]
    rows = [
        {**{k: v for k, v in row.items() if k != "reasons"}, "reasons": [r["code"] for r in row["reasons"]]}
        for row in ranked
    ]
    document = {"type": type_key, "region": region, "candidates": ranked}
    name = f"suggestions-{type_key}-{region}"
    return _download(rows, document, name, fmt, SUGGESTION_COLUMNS)


@require_POST
def snapshot(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("analytics.take_snapshot"):
        raise PermissionDenied
    request_snapshot()
    messages.success(request, _("The snapshot is queued; the worker stores it in a moment."))
    return redirect("analytics:dashboard")
