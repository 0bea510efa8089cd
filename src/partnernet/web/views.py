"""Pages. Views parse the request, read through selectors and render; they never write models themselves."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from partnernet.directory.rules import entity_ids_of, is_facilitator
from partnernet.framework.selectors import MATRIX_LEVELS, coverage_matrix, matrix_cell
from partnernet.partnerships.rules import visible_partnerships
from partnernet.partnerships.selectors import recent_partnerships
from partnernet.web.selectors import entities_for_home, key_numbers


def home(request: HttpRequest) -> HttpResponse:
    matrix = coverage_matrix("region")
    visible = visible_partnerships(request.user)
    return render(
        request,
        "partnernet/home.html",
        {
            "numbers": key_numbers(active_stewardships=matrix.stewardships),
            "coverage": (matrix.covered, matrix.cells),
            "recent": recent_partnerships(visible),
            "entities": entities_for_home(),
            "can_record": request.user.is_authenticated
            and (bool(entity_ids_of(request.user)) or is_facilitator(request.user)),
        },
    )


def matrix(request: HttpRequest) -> HttpResponse:
    """The framework's coverage heatmap: partnership types x regions, at the level the reader picks."""
    level = request.GET.get("level", "region")
    if level not in MATRIX_LEVELS:
        level = "region"
    return render(request, "partnernet/matrix.html", {"matrix": coverage_matrix(level), "level": level})


def matrix_cell_view(request: HttpRequest, type_key: str, region_code: str) -> HttpResponse:
    detail = matrix_cell(type_key, region_code)
    if detail is None:
        raise Http404
    return render(request, "partnernet/matrix_cell.html", {"detail": detail})
