"""Formatting of report figures: a figure undefined on the data shows as a dash, never as 0."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()
UNDEFINED = "—"


@register.filter
def figure(value: float | int | None) -> str:
    """A figure with three decimals (whole numbers as they are); a dash when undefined."""
    if value is None:
        return UNDEFINED
    if isinstance(value, int):
        return number_format(value)
    return number_format(value, 3)


@register.filter
def percent(value: float | None) -> str:
    """A share in [0, 1] as a whole percentage; a dash when undefined."""
    if value is None:
        return UNDEFINED
    return f"{number_format(value * 100, 0)} %"


@register.filter
def get(mapping: Mapping[str, Any], key: str) -> Any:
    """``mapping[key]``, or the key itself when absent (entity names fall back to their keys)."""
    return mapping.get(key, key)


@register.filter
def count_of(mapping: Mapping[str, int], key: str) -> int:
    """``mapping[key]``, or 0 when absent."""
    return mapping.get(key, 0)


@register.filter
def load_chart(sustainability: Any) -> dict[str, Any]:
    """Chart.js config of an entity's load against capacity in each snapshot (``EntitySustainability``)."""
    from django.utils.translation import gettext

    points = sustainability.history
    return {
        "type": "line",
        "data": {
            "labels": [point.taken.isoformat() for point in points],
            "datasets": [
                {"label": gettext("Load"), "data": [point.load for point in points]},
                {"label": gettext("Capacity"), "data": [point.capacity for point in points]},
            ],
        },
        "options": {"scales": {"y": {"beginAtZero": True}}},
    }
