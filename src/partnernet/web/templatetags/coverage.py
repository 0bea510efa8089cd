"""Template helpers for the coverage matrix, shared by the matrix page, the cell pages and the analytics.

A cell's state is told three ways, so colour is never the only one: a class (colour and border), a glyph
(● covered, ◐ partly covered, ○ gap) and words for screen readers (``matrix_state``).

The matrix is a table of a few hundred cells, and a template ``include`` with its tags per cell cost most of
the page's time; each cell's markup is therefore made here, in one function, with ``format_html``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from partnernet.base.links import keyed_url
from partnernet.core.coverage import COVERED, GAP, PARTIAL, WHY_THEME, MatrixCell
from partnernet.framework.coverage import Matrix
from partnernet.framework.selectors import StewardView
from partnernet.web.maps import CoverageMap

register = template.Library()


@register.filter
def names_of(keys: Iterable[str], names: Mapping[str, str]) -> list[str]:
    """The names of the entities ``keys`` (a cell's stewards), sorted; an unnamed key stands for itself."""
    return sorted(names.get(key, key) for key in keys)


@register.filter
def shown_stewards(cell: MatrixCell, names: Mapping[str, str]) -> list[str]:
    """The names a cell shows: those covering it, or those serving part of it when nobody covers it."""
    keys = cell.stewards if cell.state == COVERED else cell.partial_stewards
    return names_of(keys, names)


@register.filter
def matrix_class(cell: MatrixCell) -> str:
    """The cell's classes: its state (one or several stewards when covered) and whether one is full."""
    if cell.state == GAP:
        state = "pn-matrix-none"
    elif cell.state != COVERED:
        state = "pn-matrix-partial"
    else:
        state = "pn-matrix-one" if cell.count == 1 else "pn-matrix-several"
    return f"{state} pn-matrix-over" if cell.over_capacity else state


@register.simple_tag
def matrix_state(cell: MatrixCell) -> SafeString:
    """The cell's glyph and count, with its state in words for screen readers."""
    if cell.state == COVERED:
        words = ngettext("steward covers it", "stewards cover it", cell.count)
        state = format_html(
            '<span aria-hidden="true">●</span> {}<span class="pn-visually-hidden"> {}</span>',
            cell.count,
            words,
        )
    elif cell.state == PARTIAL:
        if cell.why == WHY_THEME:
            words = gettext("partly covered: only some themes")
        else:
            words = gettext("partly covered: only part of the area")
        state = format_html(
            '<span aria-hidden="true">◐</span><span class="pn-visually-hidden">{}</span>', words
        )
    else:
        words = gettext("stewards: a gap")
        state = format_html(
            '<span aria-hidden="true">○</span> 0<span class="pn-visually-hidden"> {}</span>', words
        )
    if cell.over_capacity:
        state += format_html('<span class="pn-visually-hidden">, {}</span>', gettext("over capacity"))
    return state


@register.simple_tag
def matrix_rows(matrix: Matrix) -> SafeString:
    """The matrix page's table body: a row per partnership type, a cell per region column."""
    theme_key = matrix.theme.key if matrix.theme is not None else ""
    return SafeString(
        "\n".join(
            format_html(
                '<tr><th scope="row">{}</th>\n{}\n</tr>',
                ptype.label,
                SafeString("".join(matrix_page_cell(cell, matrix.names, theme_key) for cell in cells)),
            )
            for ptype, cells in matrix.rows
        )
    )


def matrix_page_cell(cell: MatrixCell, names: Mapping[str, str], theme_key: str) -> SafeString:
    """One cell of the matrix page: the link to the cell's page, its state, and the first two stewards
    shown (all of them in the title)."""
    shown = shown_stewards(cell, names)
    url = keyed_url("matrix_cell", cell.type, cell.region)
    if theme_key:
        url += f"?theme={theme_key}"
    title = format_html(' title="{}"', ", ".join(shown)) if shown else ""
    names_shown = ""
    if shown:
        more = f" +{len(shown) - 2}" if len(shown) > 2 else ""
        names_shown = format_html(
            '<span class="pn-matrix-names" dir="auto">{}{}</span>', ", ".join(shown[:2]), more
        )
    return format_html(
        '<td class="{}"{}><a href="{}" data-cell="{}-{}" data-state="{}">{}{}</a></td>',
        matrix_class(cell),
        title,
        url,
        cell.type,
        cell.region,
        cell.state,
        matrix_state(cell),
        names_shown,
    )


@register.simple_tag
def board_cell(cell: MatrixCell, names: Mapping[str, str], type_key: str, can_suggest: bool) -> SafeString:
    """One cell of the analytics board: its state, the first eight stewards in the title, and for those who
    may suggest stewards a link to the suggestions where fewer than two cover it."""
    shown = shown_stewards(cell, names)
    title = ", ".join(shown[:8])
    if len(shown) > 8:
        n = len(shown) - 8
        title += " " + ngettext("and %(n)s more", "and %(n)s more", n) % {"n": n}
    state = matrix_state(cell)
    if can_suggest and cell.count < 2:
        state = format_html(
            '<a href="{}">{}<span class="pn-visually-hidden"> — {}</span></a>',
            keyed_url("analytics:suggestions", type_key, cell.region),
            state,
            gettext("suggest stewards"),
        )
    return format_html('<td class="{}" title="{}">{}</td>', matrix_class(cell), title, state)


@register.simple_tag
def map_shapes(coverage_map: CoverageMap) -> SafeString:
    """The map's country shapes: those outside every column, then one group per column with its state and,
    as its title, the column's name and number of stewards."""
    parts = [format_html('<path class="pn-map-land" d="{}"/>', path) for path in coverage_map.unplaced]
    for area in coverage_map.areas:
        words = ngettext(
            "%(region)s: %(stewards)s steward", "%(region)s: %(stewards)s stewards", area.stewards
        )
        # Both the words and the name are escaped before they meet; the result is marked safe once.
        title = SafeString(escape(words) % {"region": escape(area.name), "stewards": area.stewards})
        paths = "".join(format_html('<path d="{}"/>', path) for path in area.paths)
        parts.append(
            format_html('<g class="pn-map-{}"><title>{}</title>{}</g>', area.state, title, SafeString(paths))
        )
    return SafeString("".join(parts))


STEWARD_ROW = (
    '<tr><td><a href="{}"><bdi dir="auto">{}</bdi></a></td><td>{}</td><td>{}</td>'
    '<td class="pn-num">{} / {}{}</td></tr>'
)


@register.simple_tag
def steward_rows(stewards: Iterable[StewardView]) -> SafeString:
    """The rows of a table of stewards (entity, level, cell, load against capacity), made here for the
    reason the matrix's cells are: a hub's page lists every stewardship it holds, a hundred or more in a
    generated registry, and the template language's lookups per row were most of that page's time."""
    at_capacity = format_html(' <span class="pn-badge pn-badge-private">{}</span>', gettext("at capacity"))
    rows = []
    for s in stewards:
        cell = " · ".join(part for part in (s.type_name, s.region_name, s.theme_name) if part)
        rows.append(
            format_html(
                STEWARD_ROW,
                keyed_url("directory:entity", s.entity_key),
                s.entity_name,
                s.level_label,
                cell,
                s.load,
                s.capacity,
                at_capacity if s.at_capacity else "",
            )
        )
    return SafeString("".join(rows))
