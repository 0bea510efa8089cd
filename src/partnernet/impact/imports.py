"""Importing outcome figures from a spreadsheet (CSV or JSON Lines), all or nothing.

The columns are those of the outcomes export (``/impact/outcomes.csv``, ``partnernet impact export``), so an
export read back changes nothing; descriptive columns of the export (title, lead, supporters, type, themes,
region, origin) are accepted and ignored, since they belong to the partnership. A row replaces the figure of
the same partnership, indicator and period, so importing twice never double counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from partnernet.base import fields as f
from partnernet.base.formats import Problem, SourceRow, format_of, read_rows
from partnernet.base.identity import instance_id
from partnernet.impact.exports import CSV_FIELDS
from partnernet.impact.indicators import INDICATORS
from partnernet.impact.models import Outcome
from partnernet.impact.services import record_outcome
from partnernet.partnerships.models import Partnership

REQUIRED = ("partnership", "indicator", "period_start", "period_end")


@dataclass(frozen=True)
class CleanRow:
    line: int
    partnership: Partnership
    values: dict[str, Any]


def _clean(row: SourceRow, partnerships: dict[str, Partnership]) -> tuple[CleanRow | None, list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def take(name: str, parse: Any) -> Any:
        try:
            return parse(row.values.get(name))
        except f.FieldError as error:
            problems.append(Problem(row.line, name, str(error)))
            return None

    key = take("partnership", f.key)
    partnership = partnerships.get(key) if key else None
    if key and partnership is None:
        problems.append(
            Problem(row.line, "partnership", f"no partnership of this instance has the key '{key}'")
        )
    indicator = take("indicator", lambda raw: f.choice(raw, INDICATORS))
    start = take("period_start", f.date)
    end = take("period_end", f.date)
    for name, value in (("period_start", start), ("period_end", end)):
        if value is None and not any(p.field == name for p in problems):
            problems.append(Problem(row.line, name, "is required"))
    if start and end and end < start:
        problems.append(Problem(row.line, "period_end", "is before period_start"))
    value = take("value", f.decimal)
    text = take("text", lambda raw: f.optional_text(raw, 10_000))
    if (
        indicator
        and INDICATORS[indicator].numeric
        and value is None
        and not any(p.field == "value" for p in problems)
    ):
        problems.append(Problem(row.line, "value", "is required for this indicator"))
    if indicator and not INDICATORS[indicator].numeric and not text:
        problems.append(Problem(row.line, "text", "is required for results in words"))
    values["source"] = take("source", lambda raw: f.choice(raw, Outcome.Source.values, default="imported"))
    values["connector"] = take("connector", lambda raw: f.optional_text(raw, 12))
    values["measured_on"] = take("data_as_of", f.date) or dt.date.today()
    values["source_url"] = take("source_url", lambda raw: f.optional_text(raw, 2000))
    values["note"] = take("note", lambda raw: f.optional_text(raw, 2000))
    if problems or partnership is None:
        return None, problems
    values.update(
        indicator=indicator,
        period_start=start,
        period_end=end,
        value=value if INDICATORS[indicator].numeric else None,
        text=text if not INDICATORS[indicator].numeric else "",
    )
    return CleanRow(row.line, partnership, values), []


def import_outcomes(path: Path, actor: Any = None) -> tuple[int, int, list[Problem]]:
    """(created, updated, problems). With any problem nothing is written."""
    fmt = format_of(path)
    known = (*CSV_FIELDS, "note")
    header, rows, problems = read_rows(path, fmt, known)
    if fmt == "csv":
        problems.extend(
            Problem(1, name, "required column is missing") for name in REQUIRED if name not in header
        )
    wanted = {str(row.values.get("partnership") or "").strip() for row in rows}
    partnerships = {p.key: p for p in Partnership.objects.filter(origin=instance_id(), key__in=wanted)}
    clean: list[CleanRow] = []
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        result, row_problems = _clean(row, partnerships)
        problems.extend(row_problems)
        if result is None:
            continue
        cell = (
            result.partnership.pk,
            result.values["indicator"],
            result.values["period_start"],
            result.values["period_end"],
        )
        if cell in seen:
            problems.append(
                Problem(row.line, "indicator", f"the same figure and period is already on line {seen[cell]}")
            )
            continue
        seen[cell] = row.line
        clean.append(result)
    if problems:
        return 0, 0, sorted(problems, key=lambda p: (p.line, p.field))
    created = updated = 0
    with transaction.atomic():
        for item in clean:
            values: dict[str, Any] = item.values
            exists = (
                Outcome.objects.filter(
                    partnership=item.partnership,
                    indicator=values["indicator"],
                    period_start=values["period_start"],
                    period_end=values["period_end"],
                )
                .values_list("updated_at", flat=True)
                .first()
            )
            outcome = record_outcome(actor, item.partnership, **values)
            if exists is None:
                created += 1
            elif outcome.updated_at != exists:
                updated += 1
    return created, updated, []
