"""Pages. Views parse the request, read through selectors and render; they never write models themselves."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from partnernet.base.pickers import source
from partnernet.directory.rules import entity_ids_of, is_facilitator
from partnernet.framework.coverage import LEVELS, active_themes, coverage_of, matrix_cell
from partnernet.framework.models import Theme
from partnernet.partnerships.rules import visible_partnerships
from partnernet.partnerships.selectors import recent_partnerships
from partnernet.web.maps import coverage_map
from partnernet.web.selectors import key_numbers, open_proposals

LISTBOX_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,80}$")


def home(request: HttpRequest) -> HttpResponse:
    matrix = coverage_of("subregion")
    visible = visible_partnerships(request.user)
    return render(
        request,
        "partnernet/home.html",
        {
            "numbers": key_numbers(active_stewardships=matrix.stewardships),
            "coverage": matrix,
            "recent": recent_partnerships(visible, limit=6),
            "proposals": open_proposals(limit=3),
            "can_record": request.user.is_authenticated
            and (bool(entity_ids_of(request.user)) or is_facilitator(request.user)),
        },
    )


def _theme(request: HttpRequest) -> tuple[Theme | None, str | None]:
    """The ``theme`` asked for, and the message to show when its key is unknown (then no theme)."""
    key = request.GET.get("theme", "")
    if not key:
        return None, None
    theme = Theme.objects.filter(key=key).first()
    if theme is None:
        return None, _("There is no theme “%(key)s”: the matrix shows every theme.") % {"key": key}
    return theme, None


def matrix(request: HttpRequest) -> HttpResponse:
    """The framework's coverage heatmap: partnership types x regions, at the level the reader picks, of every
    theme or of one."""
    level = request.GET.get("level", "subregion")
    if level not in LEVELS:
        level = "subregion"
    theme, problem = _theme(request)
    table = coverage_of(level, theme)
    mapped = request.GET.get("map") or (table.types[0].key if table.types else "")
    return render(
        request,
        "partnernet/matrix.html",
        {
            "matrix": table,
            "level": level,
            "themes": active_themes(),
            "theme_problem": problem,
            "coverage_map": coverage_map(table, mapped),
            "mapped": mapped,
        },
    )


def matrix_cell_view(request: HttpRequest, type_key: str, region_code: str) -> HttpResponse:
    theme, problem = _theme(request)
    detail = matrix_cell(type_key, region_code, theme)
    if detail is None:
        raise Http404
    return render(request, "partnernet/matrix_cell.html", {"detail": detail, "theme_problem": problem})


@require_GET
def favicon(request: HttpRequest) -> FileResponse:
    """``/favicon.ico``: browsers and feed readers ask for it whatever a page's ``<link rel=icon>`` says."""
    path = Path(__file__).parent / "static" / "partnernet" / "favicon.ico"
    response = FileResponse(path.open("rb"), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response


@require_GET
def pick(request: HttpRequest, source_name: str) -> HttpResponse:
    """A picker's options for what was typed (``q``), as ``<li role="option">`` items for its listbox
    (``for``: the listbox id the options' ids start with). Anyone may search the public sources; a source
    of what a person may act for answers 403 to strangers."""
    try:
        picker = source(source_name)
    except KeyError:
        raise Http404 from None
    try:
        options = picker.search(request.user, request.GET.get("q", "")[:100])
    except PermissionDenied:
        return HttpResponse(status=403)
    listbox = request.GET.get("for", "")
    return render(
        request,
        "partnernet/includes/picker_options.html",
        {"options": options, "listbox": listbox if LISTBOX_ID.match(listbox) else "pn-picker"},
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token (an old tab, cookies blocked): the site's 403 page, saying what
    to do, instead of Django's bare one."""
    message = _(
        "This form has expired or your browser did not send its security cookie. Go back, reload the page "
        "and send the form again; if it keeps happening, allow cookies for this site."
    )
    return render(request, "403.html", {"exception": message}, status=403)
