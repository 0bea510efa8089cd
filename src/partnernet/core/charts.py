"""Charts as SVG text, drawn on the server: the same picture on the page (no JavaScript) and in the PDF.

Two rules make them read right:

- **Time runs on a real time axis.** A point's horizontal position is proportional to its date, so 2008 and
  2023 stand fifteen years apart, not one step.
- **One unit per axis.** Page views and participants are never drawn against one axis (a log scale that
  mixes units hides both); each indicator gets its own small chart, on a linear axis starting at zero.

Labels are formatted by the caller (``format_value``, ``format_date``), in the reader's language; this module
only places them. Colours are plain attributes, which both browsers and svglib (the PDF) understand.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

INK = "#202122"
SUBTLE = "#54595d"
GRID = "#dadde3"
SERIES = "#3366cc"
FONT = "Helvetica, Arial, sans-serif"


@dataclass(frozen=True)
class Frame:
    width: int = 480
    height: int = 220
    left: int = 64
    right: int = 36
    top: int = 34
    bottom: int = 30

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``maximum`` (0, 250, 500, … rather than 0, 237, 474, …)."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    top = math.ceil(maximum / step) * step
    return [i * step for i in range(round(top / step) + 1)]


def year_ticks(start: dt.date, end: dt.date, most: int = 8) -> list[dt.date]:
    """1 January of every year (or every 2nd, 5th, 10th …) from ``start`` to ``end``."""
    first, last = start.year + (0 if (start.month, start.day) == (1, 1) else 1), end.year
    span = max(last - first, 0)
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if span // s + 1 <= most)
    return [dt.date(year, 1, 1) for year in range(first, last + 1) if (year - first) % step == 0]


def _open(frame: Frame, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{frame.width}" height="{frame.height}" '
        f'viewBox="0 0 {frame.width} {frame.height}" role="img" class="pn-svg-chart" dir="ltr" '
        f'font-family="{FONT}" font-size="11">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
        f'<text x="{frame.left}" y="16" font-size="12" font-weight="bold" fill="{INK}">'
        f"{escape(title)}</text>",
    ]


def _value_axis(frame: Frame, ticks: list[float], format_value: Callable[[float], str]) -> list[str]:
    parts = []
    top = ticks[-1] or 1
    for tick in ticks:
        y = frame.top + frame.plot_height * (1 - tick / top)
        parts.append(
            f'<line x1="{frame.left}" y1="{y:.1f}" x2="{frame.width - frame.right}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{frame.left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{SUBTLE}">'
            f"{escape(format_value(tick))}</text>"
        )
    return parts


def time_series(
    title: str,
    description: str,
    points: Sequence[tuple[dt.date, float]],
    *,
    format_value: Callable[[float], str],
    format_date: Callable[[dt.date], str],
    frame: Frame | None = None,
) -> str:
    """A line of values over time on a real date axis, with a dot per point; ``points`` need not be sorted."""
    frame = frame or Frame()
    ordered = sorted(points)
    parts = _open(frame, title, description)
    if not ordered:
        return "".join([*parts, "</svg>"])
    start, end = ordered[0][0], ordered[-1][0]
    if start == end:
        start, end = dt.date(start.year, 1, 1), dt.date(start.year + 1, 1, 1)
    days = (end - start).days or 1
    ticks = nice_ticks(max(value for _, value in ordered))
    top = ticks[-1] or 1

    def x_of(day: dt.date) -> float:
        return frame.left + frame.plot_width * (day - start).days / days

    def y_of(value: float) -> float:
        return frame.top + frame.plot_height * (1 - value / top)

    parts += _value_axis(frame, ticks, format_value)
    baseline = frame.top + frame.plot_height
    for tick in year_ticks(start, end):
        x = x_of(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{baseline}" x2="{x:.1f}" y2="{baseline + 4}" stroke="{SUBTLE}"/>'
            f'<text x="{x:.1f}" y="{baseline + 16}" text-anchor="middle" fill="{SUBTLE}">'
            f"{escape(format_date(tick))}</text>"
        )
    line = " ".join(f"{x_of(day):.1f},{y_of(value):.1f}" for day, value in ordered)
    parts.append(f'<polyline points="{line}" fill="none" stroke="{SERIES}" stroke-width="2"/>')
    for day, value in ordered:
        parts.append(
            f'<circle cx="{x_of(day):.1f}" cy="{y_of(value):.1f}" r="3" fill="{SERIES}">'
            f"<title>{escape(format_date(day))}: {escape(format_value(value))}</title></circle>"
        )
    return "".join([*parts, "</svg>"])


def bars(
    title: str,
    description: str,
    items: Sequence[tuple[str, float]],
    *,
    format_value: Callable[[float], str],
    frame: Frame | None = None,
) -> str:
    """Horizontal bars, one per labelled value, longest first, on one linear axis from zero."""
    ordered = sorted(items, key=lambda item: (-item[1], item[0]))
    label_width = 150
    row = 20
    frame = frame or Frame(height=34 + 30 + row * max(len(ordered), 1), left=label_width)
    parts = _open(frame, title, description)
    if not ordered:
        return "".join([*parts, "</svg>"])
    ticks = nice_ticks(max(value for _, value in ordered))
    top = ticks[-1] or 1
    baseline = frame.top + frame.plot_height
    for tick in ticks:
        x = frame.left + frame.plot_width * tick / top
        parts.append(
            f'<line x1="{x:.1f}" y1="{frame.top}" x2="{x:.1f}" y2="{baseline}" stroke="{GRID}"/>'
            f'<text x="{x:.1f}" y="{baseline + 16}" text-anchor="middle" fill="{SUBTLE}">'
            f"{escape(format_value(tick))}</text>"
        )
    for index, (label, value) in enumerate(ordered):
        y = frame.top + index * row + 3
        length = frame.plot_width * value / top
        shown = label if len(label) <= 24 else label[:23] + "…"
        parts.append(
            f'<text x="{frame.left - 6}" y="{y + 11}" text-anchor="end" fill="{INK}">{escape(shown)}</text>'
            f'<rect x="{frame.left}" y="{y}" width="{length:.1f}" height="{row - 6}" fill="{SERIES}">'
            f"<title>{escape(label)}: {escape(format_value(value))}</title></rect>"
        )
    return "".join([*parts, "</svg>"])
