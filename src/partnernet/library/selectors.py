"""Reads of the library: the filtered and searched list with its facet counts, one resource with its
translations, history and use, and the resources that fit a support request (ranked by ``core.library``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from partnernet.base.identity import instance_id
from partnernet.base.references import origin_rank
from partnernet.core.library import Offered, Wanted, rank_resources
from partnernet.core.search import parse_text_query
from partnernet.framework.models import PartnershipType, Region, Theme
from partnernet.i18n.names import language_name
from partnernet.library.models import Resource, ResourceKind, ResourceStatus
from partnernet.library.rules import visible_resources
from partnernet.library.search import search_scores
from partnernet.support.models import SupportRequest

FACETS = ("kind", "type", "theme", "region", "language")


@dataclass
class LibraryFilters:
    q: str = ""
    kind: str = ""
    type: str = ""
    theme: str = ""
    region: str = ""
    language: str = ""
    status: str = ""
    publisher: str = ""

    @classmethod
    def of(cls, data: Any) -> LibraryFilters:
        return cls(**{name: str(data.get(name) or "").strip()[:200] for name in cls.__dataclass_fields__})


@dataclass
class Facets:
    total: int = 0
    options: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _filtered(rows: QuerySet[Resource], filters: LibraryFilters, skip: str = "") -> QuerySet[Resource]:
    if filters.kind and skip != "kind":
        rows = rows.filter(kind=filters.kind)
    if filters.type and skip != "type":
        rows = rows.filter(types__key=filters.type)
    if filters.theme and skip != "theme":
        rows = rows.filter(themes__key=filters.theme)
    if filters.region and skip != "region":
        rows = rows.filter(regions__code=filters.region)
    if filters.language and skip != "language":
        rows = rows.filter(language=filters.language)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.publisher:
        rows = rows.filter(publisher__key=filters.publisher)
    return rows


def resources_matching(
    rows: QuerySet[Resource], filters: LibraryFilters, *, published_only: bool = True
) -> QuerySet[Resource]:
    """``rows`` narrowed by the filters and the full-text search, best match first when searching (else by
    title). Without a status filter the list shows published resources only (drafts have their own list)."""
    if published_only and not filters.status:
        rows = rows.filter(status=ResourceStatus.PUBLISHED)
    rows = _filtered(rows, filters)
    query = parse_text_query(filters.q)
    if not query:
        return rows.order_by("title", "key", "origin")
    scores = search_scores(query)
    ranked = sorted(scores, key=lambda pk: (-scores[pk], pk))
    order = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked)], output_field=IntegerField())
    return rows.filter(pk__in=ranked).annotate(relevance_rank=order).order_by("relevance_rank", "key")


def facet_counts(user: Any, filters: LibraryFilters) -> Facets:
    """For each facet, how many visible published resources each value would give, the other filters (and the
    search) applied — the counts next to the options of the library page."""
    base = visible_resources(user).filter(status=filters.status or ResourceStatus.PUBLISHED)
    query = parse_text_query(filters.q)
    if query:
        base = base.filter(pk__in=list(search_scores(query)))
    result = Facets(total=_filtered(base, filters).distinct().count())
    columns = {"kind": "kind", "type": "types__key", "theme": "themes__key", "region": "regions__code",
               "language": "language"}  # fmt: skip
    labels = _labels()
    for facet, column in columns.items():
        counted = (
            _filtered(base, filters, skip=facet)
            .exclude(**{f"{column}__isnull": True})
            .values(column)
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", column)
        )
        result.options[facet] = [
            {"value": row[column], "label": labels[facet](row[column]), "count": row["n"]} for row in counted
        ]
    return result


def _labels() -> dict[str, Any]:
    types = {t.key: t.label for t in PartnershipType.objects.all()}
    themes = {t.key: t.label for t in Theme.objects.all()}
    kinds = dict(ResourceKind.choices)
    return {
        "kind": lambda v: str(kinds.get(v, v)),
        "type": lambda v: str(types.get(v, v)),
        "theme": lambda v: str(themes.get(v, v)),
        "region": lambda v: str(getattr(Region.objects.filter(code=v).first(), "label", v)),
        "language": lambda v: language_name(v, capitalise=True),
    }


def find_resource(user: Any, key: str, origin: str | None = None) -> Resource | None:
    """The visible resource with this key: of ``origin`` when given, else this instance's first."""
    rows = visible_resources(user).filter(key=key).select_related("publisher", "translation_of")
    if origin:
        rows = rows.filter(origin=origin)
    found = list(rows)
    if not found:
        return None
    return min(found, key=lambda obj: origin_rank(obj.origin, instance_id()))


def translations_of(user: Any, resource: Resource) -> list[Resource]:
    """The same resource in other languages: the original and every translation of it, this one excepted."""
    root = resource.translation_of or resource
    rows = visible_resources(user).filter(origin=root.origin).filter(translation_of=root) | visible_resources(
        user
    ).filter(pk=root.pk)
    return sorted((r for r in rows.distinct() if r.pk != resource.pk), key=lambda r: r.language)


@dataclass(frozen=True)
class Use:
    answers: int
    helped: int


def use_of(resource: Resource) -> Use:
    return Use(answers=resource.answers.count(), helped=resource.feedback.count())


def region_path(region: Region | None) -> tuple[str, ...]:
    """A region and every area containing it, nearest first (``SE, 154, 150, 001``)."""
    codes: list[str] = []
    seen: set[int] = set()
    while region is not None and region.pk not in seen:
        seen.add(region.pk)
        codes.append(region.code)
        region = region.parent
    return tuple(codes)


def matching_resources(
    user: Any, requests: Sequence[SupportRequest], limit: int = 5
) -> dict[int, list[Resource]]:
    """For each request, the published resources ``user`` may see that fit it best (``core.library``)."""
    if not requests:
        return {}
    rows = list(
        visible_resources(user)
        .filter(status=ResourceStatus.PUBLISHED)
        .prefetch_related("types", "regions")
        .select_related("publisher")
        .annotate(helped=Count("feedback", distinct=True), uses=Count("answers", distinct=True))
    )
    by_key = {r.key + "@" + r.origin: r for r in rows}
    offered = [
        Offered(
            key=r.key + "@" + r.origin,
            kind=r.kind,
            template_kind=r.template_kind,
            types=frozenset(t.key for t in r.types.all()),
            regions=frozenset(g.code for g in r.regions.all()),
            language=r.language,
            helped=getattr(r, "helped", 0),
            uses=getattr(r, "uses", 0),
        )
        for r in rows
    ]
    paths: dict[int, tuple[str, ...]] = {}
    found: dict[int, list[Resource]] = {}
    for request in requests:
        if request.region_id not in paths:
            paths[request.region_id] = region_path(request.region)
        wanted = Wanted(request.type.key, request.need, paths[request.region_id], request.language)
        found[request.pk] = [by_key[m.key] for m in rank_resources(wanted, offered, limit)]
    return found


def answered_with(request: SupportRequest) -> list[Resource]:
    return list(Resource.objects.filter(answers__request=request).order_by("title"))
