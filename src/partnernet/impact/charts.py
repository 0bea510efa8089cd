"""The impact report's charts: one small chart per indicator (one unit per axis), years on a real time axis,
drawn as SVG on the server (``core.charts``) for the page and for the PDF alike."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from partnernet.core import charts
from partnernet.i18n import formats
from partnernet.impact.selectors import ImpactReport


@dataclass(frozen=True)
class Chart:
    svg: SafeString

    @property
    def data_uri(self) -> str:
        """The chart as an ``<img>`` source, for the PDF (xhtml2pdf draws SVG images with svglib)."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _value(number: float) -> str:
    return formats.number(number)


def year_charts(report: ImpactReport) -> list[Chart]:
    """Per indicator: its yearly figures, a point on 1 July of each year (the middle of the period)."""
    found = []
    for index, indicator in enumerate(report.indicators):
        points = [
            (dt.date(int(row.key), 7, 1), float(value))
            for row in report.by_year
            if row.key.isdigit() and (value := row.figures[index]) is not None
        ]
        if not points:
            continue
        title = _("%(indicator)s by year (%(unit)s)") % {"indicator": indicator.name, "unit": indicator.unit}
        description = _("One point per year with outcomes; the table “By year” has the figures.")
        svg = charts.time_series(
            title,
            description,
            points,
            format_value=_value,
            format_date=lambda day: formats.year(day.year),
        )
        found.append(Chart(mark_safe(svg)))
    return found


def type_charts(report: ImpactReport) -> list[Chart]:
    """Per indicator: its total per partnership type, as bars."""
    found = []
    for index, indicator in enumerate(report.indicators):
        items = [(row.label, float(value)) for row in report.by_type if (value := row.figures[index])]
        if not items:
            continue
        title = _("%(indicator)s by partnership type (%(unit)s)") % {
            "indicator": indicator.name,
            "unit": indicator.unit,
        }
        description = _("One bar per partnership type; the table “By partnership type” has the figures.")
        svg = charts.bars(title, description, items, format_value=_value)
        found.append(Chart(mark_safe(svg)))
    return found
