"""Entities and partners in exchange form (FORMATS.md kinds ``entities`` and ``partners``)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet

from partnernet.base import fields as f
from partnernet.base.cleaning import Clean, Cleaner, Kind, Problems, region_pk
from partnernet.base.fields import Raw
from partnernet.base.identity import instance_id
from partnernet.base.models import SEED_ORIGIN
from partnernet.base.references import References
from partnernet.directory.models import Entity, EntityProfile, Partner

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
    export_columns = {
        "key": "key", "name": "name", "kind": "kind", "country": "country__code", "languages": "languages",
        "legal_identity": "legal_identity", "wikidata": "wikidata", "website": "website",
        "founded": "founded", "staff_fte": "staff_fte", "volunteers": "volunteers",
    }  # fmt: skip
    export_lists = {"regions": "regions__code"}

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, Problems]:
        c = Cleaner(values, self.required)
        c.take("key", f.key)
        c.take("name", lambda raw: f.required_text(raw, 200))
        c.take("kind", lambda raw: f.choice(raw, Entity.Kind))
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
    export_columns = {
        "key": "key", "name": "name", "kind": "kind", "country": "country__code", "wikidata": "wikidata",
        "website": "website",
    }  # fmt: skip

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, Problems]:
        c = Cleaner(values, self.required)
        c.take("key", f.key)
        c.take("name", lambda raw: f.required_text(raw, 300))
        c.take("kind", lambda raw: f.choice(raw, Partner.Kind))
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


PROFILE_FIELDS = (
    "key", "languages", "website", "contact", "description", "wikidata", "legal_identity", "jurisdiction",
    "founded", "staff_fte", "volunteers",
)  # fmt: skip


def contact(raw: Raw) -> str:
    """A public contact: an e-mail address or an http(s) page."""
    value = f.optional_text(raw, 200)
    if not value or value.startswith(("http://", "https://")):
        return f.url(value)
    try:
        validate_email(value)
    except ValidationError:
        raise f.FieldError(f"'{value}' is neither an e-mail address nor an http(s) URL") from None
    return value


class ProfileKind(Kind):
    """FORMATS.md kind ``profiles``: this instance's profile of a seeded entity homed here.

    A profile is written only where its entity is homed: an import or an edit for an entity homed elsewhere
    (or not yet claimed anywhere) is refused; a peer's profile arrives through its feed (``References`` then
    prefers the peer), where the home it names is the peer itself.
    """

    name = "profiles"
    model = EntityProfile
    fields = PROFILE_FIELDS
    required = frozenset({"key"})

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, Problems]:
        c = Cleaner(values, self.required)
        c.take("key", f.key)
        c.take("languages", f.languages)
        c.take("website", f.url)
        c.take("contact", contact)
        c.take("description", lambda raw: f.optional_text(raw, 5000))
        c.take("wikidata", f.qid)
        c.take("legal_identity", f.yes_no)
        c.take("jurisdiction", lambda raw: f.optional_text(raw, 200))
        c.take("founded", f.year)
        c.take("staff_fte", f.decimal)
        c.take("volunteers", f.integer)
        c.check("key", lambda key: _profiled_entity(key, refs.preferred))
        return c.clean, c.errors

    def queryset(self) -> QuerySet[EntityProfile]:
        return EntityProfile.objects.select_related("entity")

    def row(self, obj: EntityProfile) -> Clean:
        return {
            "key": obj.key,
            "languages": sorted(obj.languages),
            "website": obj.website,
            "contact": obj.contact,
            "description": obj.description,
            "wikidata": obj.wikidata,
            "legal_identity": obj.legal_identity,
            "jurisdiction": obj.jurisdiction,
            "founded": obj.founded,
            "staff_fte": obj.staff_fte,
            "volunteers": obj.volunteers,
        }

    def assign(self, obj: EntityProfile, clean: Clean, present: frozenset[str], refs: References) -> None:
        for name in PROFILE_FIELDS:
            if name in present:
                setattr(obj, name, clean[name])
        if "key" in present:
            obj.entity_id = Entity.objects.filter(origin=SEED_ORIGIN, key=clean["key"]).values_list(
                "pk", flat=True
            )[0]


def _profiled_entity(key: str, speaker: str | None) -> str:
    """``key`` names a seeded entity whose profile ``speaker`` (this instance when None) may publish."""
    entity = Entity.objects.filter(origin=SEED_ORIGIN, key=key).first()
    if entity is None:
        raise f.FieldError(f"'{key}' is not a seeded entity (profiles are kept for seeded entities only)")
    local = instance_id()
    if (speaker or local) != local:
        return key  # a peer's profile of an entity it says is homed there: kept, shown if that is its home
    home = entity.home_instance
    if not home:
        raise f.FieldError(f"'{key}' has no home yet: approve a claim on it here first")
    if home != local:
        raise f.FieldError(f"'{key}' is homed at {home}: only its home keeps its profile")
    return key
