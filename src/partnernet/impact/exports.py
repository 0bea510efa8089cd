"""Report exports: outcome rows as CSV, and the printable report as PDF (xhtml2pdf, pure Python)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string

from partnernet.base.formats import csv_text
from partnernet.impact.models import Outcome

CSV_FIELDS = (
    "key",
    "partnership",
    "partnership_title",
    "lead",
    "supporters",
    "type",
    "themes",
    "region",
    "indicator",
    "period_start",
    "period_end",
    "value",
    "text",
    "source",
    "connector",
    "data_as_of",
    "source_url",
    "origin",
)


def outcome_rows(outcomes: QuerySet[Outcome]) -> Iterator[dict[str, Any]]:
    """One dict per outcome; list cells joined by ';' and sorted (FORMATS.md)."""
    rows = (
        outcomes.select_related("partnership__lead", "partnership__type", "partnership__region")
        .prefetch_related("partnership__supporters", "partnership__themes")
        .order_by("partnership__key", "indicator", "period_start")
    )
    for outcome in rows:
        partnership = outcome.partnership
        yield {
            "key": outcome.key,
            "partnership": partnership.key,
            "partnership_title": partnership.title,
            "lead": partnership.lead.key,
            "supporters": ";".join(sorted(e.key for e in partnership.supporters.all())),
            "type": partnership.type.key,
            "themes": ";".join(sorted(t.key for t in partnership.themes.all())),
            "region": partnership.region.code if partnership.region else "",
            "indicator": outcome.indicator,
            "period_start": outcome.period_start.isoformat(),
            "period_end": outcome.period_end.isoformat(),
            "value": ""
            if outcome.value is None
            else str(outcome.value.normalize())
            if outcome.value % 1
            else str(int(outcome.value)),
            "text": outcome.text,
            "source": outcome.source,
            "connector": outcome.connector,
            "data_as_of": outcome.measured_on.isoformat(),
            "source_url": outcome.source_url,
            "origin": outcome.origin,
        }


def outcomes_csv(outcomes: QuerySet[Outcome]) -> str:
    return csv_text(CSV_FIELDS, outcome_rows(outcomes))


def report_pdf(context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """The printable report as PDF. Its template is made for xhtml2pdf (tables, a small stylesheet)."""
    from xhtml2pdf import pisa

    html = render_to_string("impact/report_pdf.html", context, request=request)
    output = io.BytesIO()
    result = pisa.CreatePDF(html, dest=output, encoding="utf-8")
    if result.err:
        raise RuntimeError("the PDF report could not be rendered")
    return output.getvalue()
