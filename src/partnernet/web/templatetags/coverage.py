"""Template helpers for the coverage matrix, shared by the matrix page, the cell pages and the analytics.

A cell's state is told three ways, so colour is never the only one: a class (colour and border), a glyph
(● covered, ◐ partly covered, ○ gap) and words for screen readers (``includes/matrix_state.html``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import template

from partnernet.core.coverage import COVERED, GAP, MatrixCell

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
