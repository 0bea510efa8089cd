"""The Programs & Events Dashboard: participants, events and articles of a campaign or a course.

The Dashboard's JSON gives some counts exactly (participants, courses) and others only "humanised"
(``1.2K``); those are parsed and marked as rounded by the Dashboard in the outcome's note.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

import httpx
from django.conf import settings
from django.utils.translation import gettext

from partnernet.impact.connectors.http import ConnectorError, Measurement, get_json

SCALES = {
    "": 1,
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "b": 1_000_000_000,
    "billion": 1_000_000_000,
}
HUMAN = re.compile(r"^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*$")


def human_number(value: Any) -> tuple[Decimal, bool]:
    """``"1.2K"`` -> (1200, True); ``"12"`` or 12 -> (12, False). True means the figure was rounded."""
    if isinstance(value, int | float):
        return Decimal(str(value)), False
    match = HUMAN.match(str(value or ""))
    scale = SCALES.get(match.group(2).lower()) if match else None
    if not match or scale is None:
        raise ConnectorError(f"the Dashboard sent a count Partnernet cannot read: {value!r}")
    try:
        number = Decimal(match.group(1).replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ConnectorError(f"unreadable count {value!r}") from exc
    return (number * scale).quantize(Decimal(1)), scale != 1


def parse_target(target: str) -> tuple[str, str]:
    kind, _, rest = target.strip().strip("/").partition("/")
    if kind not in ("campaigns", "courses") or not rest or (kind == "courses" and "/" not in rest):
        raise ConnectorError(
            gettext("a Dashboard source reads 'campaigns/SLUG' or 'courses/SCHOOL/TITLE', not %(target)r")
            % {"target": target}
        )
    return kind, rest


def fetch(client: httpx.Client, target: str, start: dt.date, end: dt.date) -> list[Measurement]:
    kind, path = parse_target(target)
    base = settings.IMPACT_DASHBOARD_URL.rstrip("/")
    quoted = "/".join(quote(part, safe="") for part in path.split("/"))
    if kind == "campaigns":
        page = f"{base}/campaigns/{quoted}"
        data = get_json(client, f"{page}.json")
        record = (data or {}).get("campaign")
        fields = {
            "events": "courses_count",
            "participants": "user_count",
            "articles_created": "new_article_count_human",
            "articles_improved": "article_count_human",
        }
    else:
        page = f"{base}/courses/{quoted}"
        data = get_json(client, f"{page}/course.json")
        record = (data or {}).get("course")
        fields = {
            "participants": "student_count",
            "articles_created": "created_count",
            "articles_improved": "edited_count",
        }
    if not isinstance(record, dict):
        raise ConnectorError(f"the Dashboard has no {kind[:-1]} at {page}")
    measurements = []
    for indicator, field in fields.items():
        if record.get(field) is None:
            continue
        value, rounded = human_number(record[field])
        note = "rounded by the Dashboard" if rounded else ""
        measurements.append(Measurement(indicator, value, start, end, page, note))
    if kind == "courses":
        measurements.append(Measurement("events", Decimal(1), start, end, page, ""))
    return measurements
