"""The five kinds of FORMATS.md: their fields, how a row is cleaned, exported and written to a model.

A *clean row* holds values in exchange form (keys and codes, sorted lists, dates, numbers) — the same form
``row()`` produces from a stored object. Comparing the two is how an import tells "unchanged" from
"updated", and it is why a round trip of ``export`` then ``import`` changes nothing.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.db.models import Model, Prefetch, QuerySet

from partnernet.directory.models import Entity, Partner
from partnernet.exchange import fields as f
from partnernet.exchange.fields import FieldError, Raw
from partnernet.exchange.references import References
from partnernet.framework.models import Region, Stewardship, Theme
from partnernet.partnerships.models import Partnership
from partnernet.support.models import SupportRequest

Clean = dict[str, Any]


class Cleaner:
    """Runs one parser per field and gathers every problem instead of stopping at the first."""

    def __init__(self, values: dict[str, Raw], required: Iterable[str]):
        self.values = values
        self.required = frozenset(required)
        self.clean: Clean = {}
        self.errors: list[tuple[str, str]] = []

    def take(self, name: str, parse: Callable[[Raw], Any]) -> None:
        raw = self.values.get(name)
        if name in self.required and (raw is None or raw == "" or raw == []):
            self.errors.append((name, "is required"))
            return
        try:
            self.clean[name] = parse(raw)
        except FieldError as error:
            self.errors.append((name, str(error)))

    def each(self, name: str, parse: Callable[[str], str]) -> None:
        """Resolve every item of a cleaned list field (such as entity keys), reporting each unknown one."""
        if name not in self.clean:
            return
        good: list[str] = []
        for item in self.clean[name]:
            try:
                good.append(parse(item))
            except FieldError as error:
                self.errors.append((name, str(error)))
        self.clean[name] = sorted(good)

    def check(self, name: str, parse: Callable[[str], str]) -> None:
        """Resolve an already-cleaned single key field, if it holds a value."""
        value = self.clean.get(name)
        if value:
            try:
                parse(value)
            except FieldError as error:
                self.errors.append((name, str(error)))
                del self.clean[name]


def _key_or_empty(raw: Raw) -> str:
    return f.key(raw) if f.text(raw) else ""


class Kind(ABC):
    """One kind of FORMATS.md. Subclasses list their fields and translate between rows and models."""

    name: ClassVar[str]
    model: ClassVar[type[Model]]
    fields: ClassVar[tuple[str, ...]]
    required: ClassVar[frozenset[str]]
    m2m: ClassVar[dict[str, str]] = {}
    """Clean list field -> model many-to-many field."""

    def referenced(self, values: dict[str, Raw]) -> dict[str, list[str]]:
        """Keys of other rows this row names, by kind, so they can be resolved in bulk beforehand."""
        return {}

    @abstractmethod
    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, list[tuple[str, str]]]:
        """Parse one raw row into a clean row, with every (field, message) problem found."""

    @abstractmethod
    def queryset(self) -> QuerySet[Any]:
        """All stored rows of the kind, with what ``row`` reads joined or prefetched."""

    @abstractmethod
    def row(self, obj: Any) -> Clean:
        """A stored object in exchange form: the inverse of ``clean`` followed by ``assign``."""

    @abstractmethod
    def assign(self, obj: Any, clean: Clean, present: frozenset[str], refs: References) -> None:
        """Set the model fields named in ``present`` from a clean row (many-to-many links excepted)."""

    def m2m_ids(self, clean: Clean, refs: References) -> dict[str, list[int]]:
        return {}


def _items(values: dict[str, Raw], name: str) -> list[str]:
    try:
        return f.items(values.get(name))
    except FieldError:
        return []


def _one(values: dict[str, Raw], name: str) -> list[str]:
    value = f.text(values.get(name)) if not isinstance(values.get(name), list) else ""
    return [value] if value else []


def _region_pk(refs: References, code: str | None) -> int | None:
    return refs.regions[code].pk if code else None


class EntityKind(Kind):
    name = "entities"
    model = Entity
    fields = (
        "key", "name", "kind", "country", "regions", "languages", "legal_identity", "wikidata", "website",
        "founded", "staff_fte", "volunteers",
    )  # fmt: skip
    required = frozenset({"key", "name", "kind"})
    m2m = {"regions": "regions"}

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, list[tuple[str, str]]]:
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
        c.take("staff_fte", f.decimal)
        c.take("volunteers", f.integer)
        return c.clean, c.errors

    def queryset(self) -> QuerySet[Entity]:
        return Entity.objects.select_related("country").prefetch_related(
            Prefetch("regions", queryset=Region.objects.only("code"))
        )

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
            obj.country_id = _region_pk(refs, clean["country"])

    def m2m_ids(self, clean: Clean, refs: References) -> dict[str, list[int]]:
        return {"regions": [refs.regions[code].pk for code in clean["regions"]]}


class PartnerKind(Kind):
    name = "partners"
    model = Partner
    fields = ("key", "name", "kind", "country", "wikidata", "website")
    required = frozenset({"key", "name", "kind"})

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, list[tuple[str, str]]]:
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
            obj.country_id = _region_pk(refs, clean["country"])


class StewardshipKind(Kind):
    name = "stewardships"
    model = Stewardship
    fields = (
        "key", "entity", "type", "theme", "region", "level", "capacity", "languages", "status",
        "response_days", "term_end",
    )  # fmt: skip
    required = frozenset({"key", "entity", "type", "level", "capacity"})

    def referenced(self, values: dict[str, Raw]) -> dict[str, list[str]]:
        return {"entities": _one(values, "entity")}

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, list[tuple[str, str]]]:
        c = Cleaner(values, self.required)
        c.take("key", f.key)
        c.take("entity", f.key)
        c.check("entity", refs.entity)
        c.take("type", refs.type)
        c.take("theme", refs.theme)
        c.take("region", lambda raw: refs.region(raw, default="001"))
        c.take("level", lambda raw: f.choice(raw, Stewardship.Level.values))
        c.take("capacity", lambda raw: f.integer(raw, minimum=0, maximum=1_000_000))
        c.take("languages", f.languages)
        c.take("status", lambda raw: f.choice(raw, Stewardship.Status.values, default="active"))
        c.take("response_days", lambda raw: f.integer(raw, minimum=1, maximum=365, default=7))
        c.take("term_end", f.date)
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
            "term_end": obj.term_end,
        }

    def assign(self, obj: Stewardship, clean: Clean, present: frozenset[str], refs: References) -> None:
        for name in ("key", "level", "capacity", "languages", "status", "response_days", "term_end"):
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


class PartnershipKind(Kind):
    name = "partnerships"
    model = Partnership
    fields = (
        "key", "title", "lead", "supporters", "partners", "type", "themes", "region", "status", "start",
        "end", "visibility",
    )  # fmt: skip
    required = frozenset({"key", "title", "lead", "type", "status"})
    m2m = {"supporters": "supporters", "partners": "partners", "themes": "themes"}

    def referenced(self, values: dict[str, Raw]) -> dict[str, list[str]]:
        return {
            "entities": [*_one(values, "lead"), *_items(values, "supporters")],
            "partners": _items(values, "partners"),
        }

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, list[tuple[str, str]]]:
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
        c.take("status", lambda raw: f.choice(raw, Partnership.Status.values))
        c.take("start", f.date)
        c.take("end", f.date)
        c.take("visibility", lambda raw: f.choice(raw, Partnership.Visibility.values, default="public"))
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
            obj.region_id = _region_pk(refs, clean["region"])

    def m2m_ids(self, clean: Clean, refs: References) -> dict[str, list[int]]:
        return {
            "supporters": [refs.entities[k] for k in clean["supporters"]],
            "partners": [refs.partners[k] for k in clean["partners"]],
            "themes": [refs.themes[k].pk for k in clean["themes"]],
        }


class RequestKind(Kind):
    name = "requests"
    model = SupportRequest
    fields = (
        "key", "requester", "partnership", "type", "theme", "region", "need", "language", "status", "steward",
        "created", "resolved",
    )  # fmt: skip
    required = frozenset({"key", "requester", "type", "region", "need", "status"})

    def referenced(self, values: dict[str, Raw]) -> dict[str, list[str]]:
        return {
            "entities": [*_one(values, "requester"), *_one(values, "steward")],
            "partnerships": _one(values, "partnership"),
        }

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, list[tuple[str, str]]]:
        c = Cleaner(values, self.required)
        c.take("key", f.key)
        c.take("requester", f.key)
        c.check("requester", refs.entity)
        c.take("partnership", _key_or_empty)
        c.check("partnership", refs.partnership)
        c.take("type", refs.type)
        c.take("theme", refs.theme)
        c.take("region", refs.region)
        c.take("need", lambda raw: f.choice(raw, SupportRequest.Need.values))
        c.take("language", f.language)
        c.take("status", lambda raw: f.choice(raw, SupportRequest.Status.values))
        c.take("steward", _key_or_empty)
        c.check("steward", refs.entity)
        c.take("created", f.date)
        c.take("resolved", f.date)
        clean = c.clean
        if clean.get("created") and clean.get("resolved") and clean["resolved"] < clean["created"]:
            c.errors.append(
                ("resolved", f"{clean['resolved']} is before the creation date {clean['created']}")
            )
        for name in ("partnership", "steward"):
            if clean.get(name) == "":
                clean[name] = None
        return clean, c.errors

    def queryset(self) -> QuerySet[SupportRequest]:
        """Requests of movement entities; proposals from the public form have no requester to name."""
        return SupportRequest.objects.filter(requester__isnull=False).select_related(
            "requester", "partnership", "type", "theme", "region", "steward"
        )

    def row(self, obj: SupportRequest) -> Clean:
        return {
            "key": obj.key,
            "requester": obj.requester.key if obj.requester else None,
            "partnership": obj.partnership.key if obj.partnership else None,
            "type": obj.type.key,
            "theme": obj.theme.key if obj.theme else None,
            "region": obj.region.code,
            "need": obj.need,
            "language": obj.language,
            "status": obj.status,
            "steward": obj.steward.key if obj.steward else None,
            "created": obj.created,
            "resolved": obj.resolved,
        }

    def assign(self, obj: SupportRequest, clean: Clean, present: frozenset[str], refs: References) -> None:
        for name in ("key", "need", "language", "status", "resolved"):
            if name in present:
                setattr(obj, name, clean[name])
        if "created" in present or obj.created is None:
            obj.created = clean.get("created") or dt.date.today()
        if "requester" in present:
            obj.requester_id = refs.entities[clean["requester"]]
        if "partnership" in present:
            obj.partnership_id = refs.partnerships[clean["partnership"]] if clean["partnership"] else None
        if "type" in present:
            obj.type_id = refs.types[clean["type"]].pk
        if "theme" in present:
            obj.theme_id = refs.themes[clean["theme"]].pk if clean["theme"] else None
        if "region" in present:
            obj.region_id = refs.regions[clean["region"]].pk
        if "steward" in present:
            obj.steward_id = refs.entities[clean["steward"]] if clean["steward"] else None


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (EntityKind(), PartnerKind(), StewardshipKind(), PartnershipKind(), RequestKind())
}


def kind_named(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise FieldError(f"unknown kind '{name}' (one of: {', '.join(KINDS)})") from None
