"""Partnerships in exchange form (FORMATS.md kind ``partnerships``), and where a partnership may travel."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from partnernet.base import fields as f
from partnernet.base.cleaning import Clean, Cleaner, Kind, Problems, items_of, one_of, region_pk
from partnernet.base.fields import Raw
from partnernet.base.references import References
from partnernet.base.registry import Recipients, visibility_recipients
from partnernet.directory.models import Entity, Partner
from partnernet.framework.models import Theme
from partnernet.partnerships.models import Partnership


class PartnershipKind(Kind):
    name = "partnerships"
    model = Partnership
    fields = (
        "key", "title", "lead", "supporters", "partners", "type", "themes", "region", "status", "start",
        "end", "visibility",
    )  # fmt: skip
    required = frozenset({"key", "title", "lead", "type", "status"})
    m2m = {"supporters": "supporters", "partners": "partners", "themes": "themes"}
    export_columns = {
        "key": "key", "title": "title", "lead": "lead__key", "type": "type__key", "region": "region__code",
        "status": "status", "start": "start", "end": "end", "visibility": "visibility",
    }  # fmt: skip
    export_lists = {"supporters": "supporters__key", "partners": "partners__key", "themes": "themes__key"}
    clean_is_row = True

    def referenced(self, values: dict[str, Raw]) -> dict[str, list[str]]:
        return {
            "entities": [*one_of(values, "lead"), *items_of(values, "supporters")],
            "partners": items_of(values, "partners"),
        }

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, Problems]:
        c = Cleaner(values, self.required)
        c.take("key", f.key)
        c.take("title", lambda raw: f.required_text(raw, 300))
        c.take("lead", f.key)
        c.check("lead", refs.entity)
        c.take("supporters", f.keys)
        c.each("supporters", refs.entity)
        c.take("partners", f.keys)
        c.each("partners", refs.partner)
        c.take("type", refs.type)
        c.take("themes", lambda raw: sorted({refs.theme(item) or "" for item in f.items(raw)}))
        c.take("region", refs.region)
        c.take("status", lambda raw: f.choice(raw, Partnership.Status))
        c.take("start", f.date)
        c.take("end", f.date)
        c.take("visibility", lambda raw: f.choice(raw, Partnership.Visibility, default="public"))
        clean = c.clean
        if clean.get("start") and clean.get("end") and clean["end"] < clean["start"]:
            c.errors.append(("end", f"{clean['end']} is before the start {clean['start']}"))
        if clean.get("lead") and clean["lead"] in clean.get("supporters", []):
            c.errors.append(("supporters", f"the lead '{clean['lead']}' cannot also be a supporter"))
        return clean, c.errors

    def queryset(self) -> QuerySet[Partnership]:
        return Partnership.objects.select_related("lead", "type", "region").prefetch_related(
            Prefetch("supporters", queryset=Entity.objects.only("key")),
            Prefetch("partners", queryset=Partner.objects.only("key")),
            Prefetch("themes", queryset=Theme.objects.only("key")),
        )

    def row(self, obj: Partnership) -> Clean:
        return {
            "key": obj.key,
            "title": obj.title,
            "lead": obj.lead.key,
            "supporters": sorted(e.key for e in obj.supporters.all()),
            "partners": sorted(p.key for p in obj.partners.all()),
            "type": obj.type.key,
            "themes": sorted(t.key for t in obj.themes.all()),
            "region": obj.region.code if obj.region else None,
            "status": obj.status,
            "start": obj.start,
            "end": obj.end,
            "visibility": obj.visibility,
        }

    def assign(self, obj: Partnership, clean: Clean, present: frozenset[str], refs: References) -> None:
        for name in ("key", "title", "status", "start", "end", "visibility"):
            if name in present:
                setattr(obj, name, clean[name])
        if "lead" in present:
            obj.lead_id = refs.entities[clean["lead"]]
        if "type" in present:
            obj.type_id = refs.types[clean["type"]].pk
        if "region" in present:
            obj.region_id = region_pk(refs, clean["region"])

    def m2m_ids(self, clean: Clean, refs: References) -> dict[str, list[int]]:
        return {
            "supporters": [refs.entities[k] for k in clean["supporters"]],
            "partners": [refs.partners[k] for k in clean["partners"]],
            "themes": [refs.themes[k].pk for k in clean["themes"]],
        }


def partnership_recipients(obj: Partnership) -> Recipients:
    """Public partnerships go to every peer, ``movement`` ones to movement peers, private ones nowhere."""
    return visibility_recipients(obj.visibility)


def partnership_followers(obj: Partnership) -> QuerySet[Any]:
    """A partnership's outcomes: they follow it into (and out of) every channel."""
    return obj.outcomes.all()
