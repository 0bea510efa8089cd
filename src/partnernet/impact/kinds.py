"""Outcomes as an exchange kind: the row form in which an outcome travels between instances.

Outcomes are not one of FORMATS.md's import kinds (their spreadsheet is the outcomes export of
``impact/imports.py``), but they federate, and federation reads and writes records through an exchange
``Kind``: ``row`` serialises the origin's outcome, ``clean`` + ``assign`` write the peer's copy. The fields
are those of the outcomes export that belong to the outcome itself (the partnership's title, lead and
themes travel with the partnership).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from partnernet.base import fields as f
from partnernet.base.cleaning import Clean, Cleaner, Kind, one_of
from partnernet.base.fields import Raw
from partnernet.base.references import References
from partnernet.impact.indicators import INDICATORS
from partnernet.impact.models import Connector, Outcome
from partnernet.partnerships.kinds import partnership_recipients

TEXT_LIMIT = 10_000
URL_LIMIT = 2_000


class OutcomeKind(Kind):
    name = "outcomes"
    model = Outcome
    fields = (
        "key", "partnership", "indicator", "period_start", "period_end", "value", "text", "source",
        "connector", "data_as_of", "source_url", "note",
    )  # fmt: skip
    required = frozenset({"key", "partnership", "indicator", "period_start", "period_end", "data_as_of"})

    def referenced(self, values: dict[str, Raw]) -> dict[str, list[str]]:
        return {"partnerships": one_of(values, "partnership")}

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, list[tuple[str, str]]]:
        c = Cleaner(values, self.required)
        c.take("key", f.key)
        c.take("partnership", f.key)
        c.check("partnership", refs.partnership)
        c.take("indicator", lambda raw: f.choice(raw, INDICATORS))
        c.take("period_start", f.date)
        c.take("period_end", f.date)
        c.take("value", f.decimal)
        c.take("text", lambda raw: f.optional_text(raw, TEXT_LIMIT))
        c.take("source", lambda raw: f.choice(raw, Outcome.Source, default=Outcome.Source.IMPORTED))
        c.take("connector", lambda raw: f.choice(raw, ["", *Connector.values], default=""))
        c.take("data_as_of", f.date)
        c.take("source_url", lambda raw: f.optional_text(raw, URL_LIMIT))
        c.take("note", lambda raw: f.optional_text(raw, URL_LIMIT))
        clean = c.clean
        start, end = clean.get("period_start"), clean.get("period_end")
        if start and end and end < start:
            c.errors.append(("period_end", f"{end} is before the period start {start}"))
        indicator = clean.get("indicator")
        if indicator and INDICATORS[indicator].numeric and clean.get("value") is None:
            c.errors.append(("value", "is required for this indicator"))
        if indicator and not INDICATORS[indicator].numeric:
            if not clean.get("text"):
                c.errors.append(("text", "is required for results in words"))
            clean["value"] = None
        return clean, c.errors

    def queryset(self) -> QuerySet[Outcome]:
        return Outcome.objects.select_related("partnership")

    def row(self, obj: Outcome) -> Clean:
        return {
            "key": obj.key,
            "partnership": obj.partnership.key,
            "indicator": obj.indicator,
            "period_start": obj.period_start,
            "period_end": obj.period_end,
            "value": obj.value,
            "text": obj.text,
            "source": obj.source,
            "connector": obj.connector,
            "data_as_of": obj.measured_on,
            "source_url": obj.source_url,
            "note": obj.note,
        }

    def assign(self, obj: Outcome, clean: Clean, present: frozenset[str], refs: References) -> None:
        for name in ("key", "indicator", "period_start", "period_end", "value", "source", "connector"):
            if name in present:
                setattr(obj, name, clean[name])
        for name in ("text", "source_url", "note"):
            if name in present:
                setattr(obj, name, clean[name] or "")
        if "data_as_of" in present:
            obj.measured_on = clean["data_as_of"]
        if "partnership" in present:
            obj.partnership_id = refs.partnerships[clean["partnership"]]


def outcome_recipients(obj: Any) -> str | None:
    """An outcome goes exactly where its partnership goes: figures of a private partnership stay home."""
    return partnership_recipients(obj.partnership)
