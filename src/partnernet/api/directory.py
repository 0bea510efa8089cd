"""Entities and partners over HTTP: list with the directory's filters, read one by key."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from partnernet.api.errors import ApiError
from partnernet.api.pagination import paginate
from partnernet.api.schemas import EntityOut, Page, PartnerOut
from partnernet.directory.models import Entity, Partner
from partnernet.directory.selectors import filter_entities
from partnernet.exchange.kinds import KINDS
from partnernet.exchange.references import preferred_ids

router = Router(tags=["directory"])


class EntityFilters(Schema):
    kind: str | None = None
    region: str | None = None
    type: str | None = None
    language: str | None = None
    q: str | None = None
    cursor: str | None = None
    limit: int | None = None


class PartnerFilters(Schema):
    kind: str | None = None
    country: str | None = None
    q: str | None = None
    cursor: str | None = None
    limit: int | None = None


def _row(kind: str) -> Any:
    spec = KINDS[kind]

    def serialize(obj: Any) -> dict[str, Any]:
        return {**spec.row(obj), "origin": obj.origin}

    return serialize


def _one(model: type[Entity] | type[Partner], kind: str, key: str) -> Any:
    pk = preferred_ids(model, [key]).get(key)
    if pk is None:
        raise ApiError(404, "not_found", f"No {model._meta.verbose_name} with key '{key}'.")
    return KINDS[kind].queryset().get(pk=pk)


@router.get("/entities", response=Page[EntityOut], summary="List entities")
def list_entities(request: HttpRequest, filters: Query[EntityFilters]) -> dict[str, Any]:
    rows = filter_entities(
        KINDS["entities"].queryset(),
        kind=filters.kind,
        region=filters.region,
        stewarded_type=filters.type,
        language=filters.language,
        search=filters.q,
    )
    return paginate(request, rows, _row("entities"), filters.cursor, filters.limit)


@router.get("/entities/{key}", response=EntityOut, summary="Read one entity")
def read_entity(request: HttpRequest, key: str) -> dict[str, Any]:
    return _row("entities")(_one(Entity, "entities", key))


@router.get("/partners", response=Page[PartnerOut], summary="List partners")
def list_partners(request: HttpRequest, filters: Query[PartnerFilters]) -> dict[str, Any]:
    rows = KINDS["partners"].queryset()
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.country:
        rows = rows.filter(country__code=filters.country.upper())
    if filters.q:
        rows = rows.filter(name__icontains=filters.q.strip())
    return paginate(request, rows, _row("partners"), filters.cursor, filters.limit)


@router.get("/partners/{key}", response=PartnerOut, summary="Read one partner")
def read_partner(request: HttpRequest, key: str) -> dict[str, Any]:
    return _row("partners")(_one(Partner, "partners", key))
