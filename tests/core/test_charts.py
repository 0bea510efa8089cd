"""Server-drawn charts: a real time axis, one unit per chart, every text escaped."""

from __future__ import annotations

import datetime as dt
import re

from partnernet.core.charts import bars, nice_ticks, time_series, year_ticks


def _xs(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r'<circle cx="([0-9.]+)"', svg)]


def test_points_stand_as_far_apart_as_their_dates() -> None:
    svg = time_series(
        "Views",
        "d",
        [(dt.date(2008, 7, 1), 5), (dt.date(2023, 7, 1), 9), (dt.date(2024, 7, 1), 7)],
        format_value=str,
        format_date=lambda d: str(d.year),
    )
    first, second, third = _xs(svg)
    assert (second - first) / (third - second) > 14  # 15 years against 1, not one step each


def test_value_axis_starts_at_zero_with_round_ticks() -> None:
    assert nice_ticks(520) == [0, 200, 400, 600]
    assert nice_ticks(9) == [0, 2.5, 5.0, 7.5, 10.0]
    assert nice_ticks(0) == [0.0, 1.0]


def test_year_ticks_thin_out_over_long_spans() -> None:
    ticks = year_ticks(dt.date(1990, 1, 1), dt.date(2024, 7, 1))
    assert len(ticks) <= 8
    assert ticks[0] == dt.date(1990, 1, 1)


def test_every_text_is_escaped_and_the_chart_is_an_image_with_a_title() -> None:
    svg = bars("<b>Files</b>", "desc & more", [("A & B", 3.0), ("<i>", 1.0)], format_value=str)
    assert "<b>" not in svg
    assert "&lt;b&gt;Files&lt;/b&gt;" in svg
    assert 'role="img"' in svg
    assert svg.index("A &amp; B") < svg.index("&lt;i&gt;")  # longest bar first
