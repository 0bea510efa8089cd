"""Entities and partners over HTTP: list with the directory's filters, read, create, update, delete."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from partnernet.api.auth import READ, WRITE, caller
from partnernet.api.records import find, listing, one, refusals, require, require_local
from partnernet.api.schemas import (
    ERRORS,
    READ_ERRORS,
    Cursor,
    EntityIn,
    EntityOut,
    EntityPatch,
    Limit,
    Page,
    PartnerIn,
    PartnerOut,
    PartnerPatch,
    PathKey,
    Text,
)
from partnernet.base.rows import visible_rows
from partnernet.directory.services import ENTITIES, PARTNERS
from partnernet.framework.selectors import entities_matching

router = Router(tags=["directory"])


class EntityFilters(Schema):
    kind: Text | None = None
    region: Text | None = None
    type: Text | None = None
    language: Text | None = None
    q: Text | None = None
    cursor: Cursor | None = None
    limit: Limit | None = None


class PartnerFilters(Schema):
    kind: Text | None = None
    country: Text | None = None
    q: Text | None = None
    cursor: Cursor | None = None
    limit: Limit | None = None


@router.get("/entities", response={200: Page[EntityOut], **READ_ERRORS}, auth=READ, summary="List entities")
def list_entities(request: HttpRequest, filters: Query[EntityFilters]) -> Any:
    rows = entities_matching(
        visible_rows("entities", caller(request)),
        kind=filters.kind,
        region=filters.region,
        stewarded_type=filters.type,
        language=filters.language,
        search=filters.q,
    )
    return listing(request, "entities", rows, filters.cursor, filters.limit)


@router.get("/entities/{key}", response={200: EntityOut, **READ_ERRORS}, auth=READ, summary="Read one entity")
def read_entity(request: HttpRequest, key: PathKey) -> Any:
    return one(request, "entities", find("entities", caller(request), key))


@router.post("/entities", response={201: EntityOut, **ERRORS}, auth=WRITE, summary="Create an entity")
def create_entity(request: HttpRequest, payload: EntityIn) -> Any:
    user = caller(request)
    require(user, "directory.add_entity", message="Only facilitators may add entities.")
    with refusals():
        obj = ENTITIES.create(user, payload.dict())
    return Status(201, one(request, "entities", obj))


@router.patch("/entities/{key}", response={200: EntityOut, **ERRORS}, auth=WRITE, summary="Change an entity")
def update_entity(request: HttpRequest, key: PathKey, payload: EntityPatch) -> Any:
    user = caller(request)
    obj = find("entities", user, key)
    require_local("entities", obj)
    require(user, "directory.change_entity", obj, "Only the entity's admins and facilitators may change it.")
    with refusals():
        ENTITIES.update(user, obj, payload.dict(exclude_unset=True))
    return one(request, "entities", obj)


@router.delete("/entities/{key}", response={204: None, **ERRORS}, auth=WRITE, summary="Delete an entity")
def delete_entity(request: HttpRequest, key: PathKey) -> Any:
    user = caller(request)
    obj = find("entities", user, key)
    require_local("entities", obj)
    require(user, "directory.delete_entity", obj, "Only facilitators may delete entities.")
    with refusals():
        ENTITIES.delete(user, obj)
    return Status(204, None)


@router.get("/partners", response={200: Page[PartnerOut], **READ_ERRORS}, auth=READ, summary="List partners")
def list_partners(request: HttpRequest, filters: Query[PartnerFilters]) -> Any:
    rows = visible_rows("partners", caller(request))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.country:
        rows = rows.filter(country__code=filters.country.upper())
    if filters.q:
        rows = rows.filter(name__icontains=filters.q.strip())
    return listing(request, "partners", rows, filters.cursor, filters.limit)


@router.get(
    "/partners/{key}", response={200: PartnerOut, **READ_ERRORS}, auth=READ, summary="Read one partner"
)
def read_partner(request: HttpRequest, key: PathKey) -> Any:
    return one(request, "partners", find("partners", caller(request), key))


@router.post("/partners", response={201: PartnerOut, **ERRORS}, auth=WRITE, summary="Create a partner")
def create_partner(request: HttpRequest, payload: PartnerIn) -> Any:
    user = caller(request)
    require(user, "directory.add_partner", message="Only members of a movement entity may add partners.")
    with refusals():
        obj = PARTNERS.create(user, payload.dict())
    return Status(201, one(request, "partners", obj))


@router.patch("/partners/{key}", response={200: PartnerOut, **ERRORS}, auth=WRITE, summary="Change a partner")
def update_partner(request: HttpRequest, key: PathKey, payload: PartnerPatch) -> Any:
    user = caller(request)
    obj = find("partners", user, key)
    require_local("partners", obj)
    require(
        user,
        "directory.change_partner",
        obj,
        "Only facilitators and members of entities partnering with it may change a partner.",
    )
    with refusals():
        PARTNERS.update(user, obj, payload.dict(exclude_unset=True))
    return one(request, "partners", obj)


@router.delete("/partners/{key}", response={204: None, **ERRORS}, auth=WRITE, summary="Delete a partner")
def delete_partner(request: HttpRequest, key: PathKey) -> Any:
    user = caller(request)
    obj = find("partners", user, key)
    require_local("partners", obj)
    require(user, "directory.delete_partner", obj, "Only facilitators may delete partners.")
    with refusals():
        PARTNERS.delete(user, obj)
    return Status(204, None)
