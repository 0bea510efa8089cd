"""Stewardships in exchange form (FORMATS.md kind ``stewardships``), and the vocabulary every cleaner checks
codes against (the taxonomy and the region tree, installed into ``base.references``)."""

from __future__ import annotations

from django.db.models import QuerySet

from partnernet.base import fields as f
from partnernet.base.cleaning import Clean, Cleaner, Kind, Problems, one_of
from partnernet.base.fields import Raw
from partnernet.base.references import References, Vocabulary
from partnernet.framework.models import PartnershipType, Region, Stewardship, Theme


def vocabulary() -> Vocabulary:
    return Vocabulary(
        regions=list(Region.objects.all()),
        types=list(PartnershipType.objects.all()),
        themes=list(Theme.objects.all()),
        country_level=Region.Level.COUNTRY,
    )


class StewardshipKind(Kind):
    name = "stewardships"
    model = Stewardship
    fields = (
        "key", "entity", "type", "theme", "region", "level", "capacity", "languages", "status",
        "response_days", "term_start", "term_end",
    )  # fmt: skip
    required = frozenset({"key", "entity", "type", "level", "capacity"})
    export_columns = {
        "key": "key", "entity": "entity__key", "type": "type__key", "theme": "theme__key",
        "region": "region__code", "level": "level", "capacity": "capacity", "languages": "languages",
        "status": "status", "response_days": "response_days", "term_start": "term_start",
        "term_end": "term_end",
    }  # fmt: skip

    def referenced(self, values: dict[str, Raw]) -> dict[str, list[str]]:
        return {"entities": one_of(values, "entity")}

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, Problems]:
        c = Cleaner(values, self.required)
        c.take("key", f.key)
        c.take("entity", f.key)
        c.check("entity", refs.entity)
        c.take("type", refs.type)
        c.take("theme", refs.theme)
        c.take("region", lambda raw: refs.region(raw, default="001"))
        c.take("level", lambda raw: f.choice(raw, Stewardship.Level))
        c.take("capacity", lambda raw: f.integer(raw, minimum=0, maximum=1_000_000))
        c.take("languages", f.languages)
        c.take("status", lambda raw: f.choice(raw, Stewardship.Status, default="active"))
        c.take("response_days", lambda raw: f.integer(raw, minimum=1, maximum=365, default=7))
        c.take("term_start", f.date)
        c.take("term_end", f.date)
        start, end = c.clean.get("term_start"), c.clean.get("term_end")
        if start and end and start > end:
            c.errors.append(("term_start", f"{start} is after the term's end {end}"))
        return c.clean, c.errors

    def queryset(self) -> QuerySet[Stewardship]:
        return Stewardship.objects.select_related("entity", "type", "theme", "region")

    def row(self, obj: Stewardship) -> Clean:
        return {
            "key": obj.key,
            "entity": obj.entity.key,
            "type": obj.type.key,
            "theme": obj.theme.key if obj.theme else None,
            "region": obj.region.code,
            "level": obj.level,
            "capacity": obj.capacity,
            "languages": sorted(obj.languages),
            "status": obj.status,
            "response_days": obj.response_days,
            "term_start": obj.term_start,
            "term_end": obj.term_end,
        }

    def assign(self, obj: Stewardship, clean: Clean, present: frozenset[str], refs: References) -> None:
        for name in (
            "key", "level", "capacity", "languages", "status", "response_days", "term_start", "term_end",
        ):  # fmt: skip
            if name in present:
                setattr(obj, name, clean[name])
        if "entity" in present:
            obj.entity_id = refs.entities[clean["entity"]]
        if "type" in present:
            obj.type_id = refs.types[clean["type"]].pk
        if "theme" in present:
            obj.theme_id = refs.themes[clean["theme"]].pk if clean["theme"] else None
        if "region" in present:
            obj.region_id = refs.regions[clean["region"]].pk
