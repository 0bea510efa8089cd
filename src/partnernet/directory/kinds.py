"""Entities and partners in exchange form (FORMATS.md kinds ``entities`` and ``partners``)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from partnernet.base import fields as f
from partnernet.base.cleaning import Clean, Cleaner, Kind, Problems, region_pk
from partnernet.base.fields import Raw
from partnernet.base.references import References
from partnernet.directory.models import Entity, Partner

STAFF_MAX = Decimal("99999.99")
"""The widest figure ``Entity.staff_fte`` holds (seven digits, two of them decimals)."""


class EntityKind(Kind):
    name = "entities"
    model = Entity
    fields = (
        "key", "name", "kind", "country", "regions", "languages", "legal_identity", "wikidata", "website",
        "founded", "staff_fte", "volunteers",
    )  # fmt: skip
    required = frozenset({"key", "name", "kind"})
    m2m = {"regions": "regions"}

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, Problems]:
        c = Cleaner(values, self.required)
        c.take("key", f.key)
        c.take("name", lambda raw: f.required_text(raw, 200))
        c.take("kind", lambda raw: f.choice(raw, Entity.Kind.values))
        c.take("country", refs.country)
        c.take("regions", lambda raw: sorted({refs.region(item) or "" for item in f.items(raw)}))
        c.take("languages", f.languages)
        c.take("legal_identity", f.yes_no)
        c.take("wikidata", f.qid)
        c.take("website", f.url)
        c.take("founded", f.year)
        c.take("staff_fte", lambda raw: f.decimal(raw, maximum=STAFF_MAX))
        c.take("volunteers", f.integer)
        return c.clean, c.errors

    def queryset(self) -> QuerySet[Entity]:
        return Entity.objects.select_related("country").prefetch_related("regions")

    def row(self, obj: Entity) -> Clean:
        return {
            "key": obj.key,
            "name": obj.name,
            "kind": obj.kind,
            "country": obj.country.code if obj.country else None,
            "regions": sorted(region.code for region in obj.regions.all()),
            "languages": sorted(obj.languages),
            "legal_identity": obj.legal_identity,
            "wikidata": obj.wikidata,
            "website": obj.website,
            "founded": obj.founded,
            "staff_fte": obj.staff_fte,
            "volunteers": obj.volunteers,
        }

    def assign(self, obj: Entity, clean: Clean, present: frozenset[str], refs: References) -> None:
        for name in ("key", "name", "kind", "languages", "legal_identity", "wikidata", "website", "founded",
                     "staff_fte", "volunteers"):  # fmt: skip
            if name in present:
                setattr(obj, name, clean[name])
        if "country" in present:
            obj.country_id = region_pk(refs, clean["country"])

    def m2m_ids(self, clean: Clean, refs: References) -> dict[str, list[int]]:
        return {"regions": [refs.regions[code].pk for code in clean["regions"]]}


class PartnerKind(Kind):
    name = "partners"
    model = Partner
    fields = ("key", "name", "kind", "country", "wikidata", "website")
    required = frozenset({"key", "name", "kind"})

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, Problems]:
        c = Cleaner(values, self.required)
        c.take("key", f.key)
        c.take("name", lambda raw: f.required_text(raw, 300))
        c.take("kind", lambda raw: f.choice(raw, Partner.Kind.values))
        c.take("country", refs.country)
        c.take("wikidata", f.qid)
        c.take("website", f.url)
        return c.clean, c.errors

    def queryset(self) -> QuerySet[Partner]:
        return Partner.objects.select_related("country")

    def row(self, obj: Partner) -> Clean:
        return {
            "key": obj.key,
            "name": obj.name,
            "kind": obj.kind,
            "country": obj.country.code if obj.country else None,
            "wikidata": obj.wikidata,
            "website": obj.website,
        }

    def assign(self, obj: Partner, clean: Clean, present: frozenset[str], refs: References) -> None:
        for name in ("key", "name", "kind", "wikidata", "website"):
            if name in present:
                setattr(obj, name, clean[name])
        if "country" in present:
            obj.country_id = region_pk(refs, clean["country"])
