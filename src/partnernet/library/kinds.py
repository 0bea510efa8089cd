"""Resources in exchange form (FORMATS.md kind ``resources``), and in the form they travel to peers.

The exchange form names maintainers by their account name on this instance and attachments by URL, stored
name or local path (``attachments.py``). The wire form leaves maintainers and evaluations out (they are
people and case studies of this instance) and gives every attachment as a URL, so a peer keeps a read-only
copy that points back to its origin.
"""

from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from partnernet.base import fields as f
from partnernet.base.cleaning import Clean, Cleaner, Kind, Problems, one_of
from partnernet.base.fields import FieldError, Raw
from partnernet.base.references import References, preferred_ids
from partnernet.base.registry import Recipients, visibility_recipients
from partnernet.framework.models import PartnershipType, Region, Theme
from partnernet.impact.models import Evaluation
from partnernet.library.attachments import clean_attachment, wire_attachment
from partnernet.library.models import DEFAULT_LICENCE, Resource, ResourceKind, ResourceStatus, TemplateKind

FIELDS = (
    "key", "title", "kind", "template_kind", "toolhub", "url", "body", "attachments", "types", "themes",
    "regions", "language", "licence", "publisher", "maintainers", "translation_of", "evaluations", "status",
    "visibility", "demo",
)  # fmt: skip


def known_language(raw: Raw) -> str:
    """A BCP 47 tag whose language CLDR knows (``xx`` or ``qq`` is refused, not kept as a typo)."""
    tag = f.language(raw)
    if not tag:
        raise FieldError("is required (a BCP 47 tag such as en, sv, pt-BR)")
    try:
        Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        raise FieldError(f"unknown language '{tag}' (a BCP 47 tag such as en, sv, pt-BR)") from None
    return tag


def _usernames(names: list[str]) -> dict[str, int]:
    model = get_user_model()
    return dict(model._default_manager.filter(username__in=names).values_list("username", "pk"))


class ResourceKindSpec(Kind):
    name = "resources"
    model = Resource
    fields = FIELDS
    required = frozenset({"key", "title", "kind", "language", "publisher"})
    m2m = {"types": "types", "themes": "themes", "regions": "regions", "maintainers": "maintainers",
           "evaluations": "evaluations"}  # fmt: skip
    attachment_sources: frozenset[str] = frozenset({"stored", "path"})
    """Besides URLs: files this instance keeps, and files on this machine (the operator's import)."""

    def referenced(self, values: dict[str, Raw]) -> dict[str, list[str]]:
        return {"entities": one_of(values, "publisher"), "resources": one_of(values, "translation_of")}

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, Problems]:
        c = Cleaner(values, self.required)
        c.take("key", f.key)
        c.take("title", lambda raw: f.required_text(raw, 300))
        c.take("kind", lambda raw: f.choice(raw, ResourceKind))
        c.take("template_kind", lambda raw: f.choice(raw, TemplateKind, default=""))
        c.take("toolhub", lambda raw: f.optional_text(raw, 200))
        c.take("url", f.url)
        c.take("body", lambda raw: f.optional_text(raw, 100_000))
        c.take(
            "attachments",
            lambda raw: sorted({clean_attachment(item, self.attachment_sources) for item in f.items(raw)}),
        )
        c.take("types", lambda raw: sorted({refs.type(item) for item in f.items(raw)}))
        c.take("themes", lambda raw: sorted({refs.theme(item) or "" for item in f.items(raw)}))
        c.take("regions", lambda raw: sorted({refs.region(item) or "" for item in f.items(raw)}))
        c.take("language", known_language)
        c.take("licence", lambda raw: f.optional_text(raw, 100) or DEFAULT_LICENCE)
        c.take("publisher", f.key)
        c.check("publisher", refs.entity)
        c.take("translation_of", lambda raw: f.key(raw) if f.text(raw) else "")
        c.check("translation_of", self._resource(refs))
        c.take("status", lambda raw: f.choice(raw, ResourceStatus, default=ResourceStatus.DRAFT))
        c.take("visibility", lambda raw: f.choice(raw, Resource.Visibility, default="public"))
        c.take("demo", lambda raw: bool(f.yes_no(raw)))
        self._clean_people(c)
        clean = c.clean
        if clean.get("template_kind") and clean.get("kind") != ResourceKind.TEMPLATE:
            c.errors.append(("template_kind", "is only for resources of kind 'template'"))
        if clean.get("toolhub") and clean.get("kind") != ResourceKind.TOOL:
            c.errors.append(("toolhub", "is only for resources of kind 'tool'"))
        if clean.get("evaluations") and clean.get("kind") != ResourceKind.CASE_STUDY:
            c.errors.append(("evaluations", "are only for resources of kind 'case_study'"))
        if clean.get("translation_of") and clean["translation_of"] == clean.get("key"):
            c.errors.append(("translation_of", "a resource cannot be a translation of itself"))
        return clean, c.errors

    def _resource(self, refs: References) -> Any:
        def check(value: str) -> str:
            if value not in refs.ids("resources"):
                raise FieldError(f"unknown resource key '{value}'")
            return value

        return check

    def _clean_people(self, c: Cleaner) -> None:
        c.take("maintainers", lambda raw: sorted(set(f.items(raw))))
        names = c.clean.get("maintainers", [])
        if names:
            found = _usernames(names)
            for name in names:
                if name not in found:
                    c.errors.append(("maintainers", f"unknown account '{name}'"))
            c.clean["maintainers"] = [name for name in names if name in found]
        c.take("evaluations", f.keys)
        wanted = c.clean.get("evaluations", [])
        if wanted:
            found_keys = preferred_ids(Evaluation, wanted)
            for key in wanted:
                if key not in found_keys:
                    c.errors.append(("evaluations", f"unknown evaluation key '{key}'"))
            c.clean["evaluations"] = [key for key in wanted if key in found_keys]

    def queryset(self) -> QuerySet[Resource]:
        return Resource.objects.select_related("publisher", "translation_of").prefetch_related(
            Prefetch("types", queryset=PartnershipType.objects.only("key")),
            Prefetch("themes", queryset=Theme.objects.only("key")),
            Prefetch("regions", queryset=Region.objects.only("code")),
            Prefetch("maintainers", queryset=get_user_model()._default_manager.only("username")),
            Prefetch("evaluations", queryset=Evaluation.objects.only("key")),
        )

    def row(self, obj: Resource) -> Clean:
        return {
            "key": obj.key,
            "title": obj.title,
            "kind": obj.kind,
            "template_kind": obj.template_kind,
            "toolhub": obj.toolhub,
            "url": obj.url,
            "body": obj.body,
            "attachments": sorted(obj.attachments or []),
            "types": sorted(t.key for t in obj.types.all()),
            "themes": sorted(t.key for t in obj.themes.all()),
            "regions": sorted(r.code for r in obj.regions.all()),
            "language": obj.language,
            "licence": obj.licence,
            "publisher": obj.publisher.key,
            "maintainers": sorted(u.username for u in obj.maintainers.all()),
            "translation_of": obj.translation_of.key if obj.translation_of else "",
            "evaluations": sorted(e.key for e in obj.evaluations.all()),
            "status": obj.status,
            "visibility": obj.visibility,
            "demo": obj.is_demo,
        }

    def assign(self, obj: Resource, clean: Clean, present: frozenset[str], refs: References) -> None:
        for name in ("key", "title", "kind", "template_kind", "toolhub", "url", "body", "attachments",
                     "language", "licence", "status", "visibility"):  # fmt: skip
            if name in present:
                setattr(obj, name, clean[name])
        if "demo" in present:
            obj.is_demo = clean["demo"]
        if "publisher" in present:
            obj.publisher_id = refs.entities[clean["publisher"]]
        if "translation_of" in present:
            target = clean["translation_of"]
            obj.translation_of_id = refs.ids("resources")[target] if target else None

    def m2m_ids(self, clean: Clean, refs: References) -> dict[str, list[int]]:
        ids = {
            "types": [refs.types[k].pk for k in clean["types"]],
            "themes": [refs.themes[k].pk for k in clean["themes"]],
            "regions": [refs.regions[k].pk for k in clean["regions"]],
        }
        if "maintainers" in self.m2m:
            ids["maintainers"] = sorted(_usernames(clean["maintainers"]).values())
        if "evaluations" in self.m2m:
            ids["evaluations"] = sorted(preferred_ids(Evaluation, clean["evaluations"]).values())
        return ids


class ResourceWire(ResourceKindSpec):
    """What a peer receives: no maintainers or evaluations of this instance, every attachment as a URL."""

    fields = tuple(name for name in FIELDS if name not in ("maintainers", "evaluations"))  # type: ignore[assignment]
    m2m = {"types": "types", "themes": "themes", "regions": "regions"}
    attachment_sources = frozenset()

    def clean(self, values: dict[str, Raw], refs: References) -> tuple[Clean, Problems]:
        values = {name: value for name, value in values.items() if name not in ("maintainers", "evaluations")}
        return super().clean(values, refs)

    def row(self, obj: Resource) -> Clean:
        row = super().row(obj)
        del row["maintainers"], row["evaluations"]
        row["attachments"] = [
            wire_attachment(obj.key, index, item) for index, item in enumerate(row["attachments"])
        ]
        return row


def resource_recipients(obj: Resource) -> Recipients:
    """Published (and later retired) resources travel by their visibility; drafts stay home."""
    if obj.status == ResourceStatus.DRAFT:
        return None
    return visibility_recipients(obj.visibility)
