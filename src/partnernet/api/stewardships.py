"""Stewardships over HTTP: who stewards which cell, with the directory's filters.

Stewardships change only by agreement (the web's rule): creating one, activating it, widening its cell or
raising its capacity answers 403 ``agreement_required`` naming ``/api/v1/proposals``; the holding entity's
admins (and facilitators) may change its practical details, narrow it or lapse it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from partnernet.api.auth import READ, WRITE, caller
from partnernet.api.records import entity_named, find, listing, one, refusals, require, require_local
from partnernet.api.schemas import (
    ERRORS,
    READ_ERRORS,
    Page,
    StewardshipIn,
    StewardshipOut,
    StewardshipPatch,
    Text,
)
from partnernet.base.rows import visible_rows
from partnernet.framework import services
from partnernet.framework.selectors import filter_stewardships

router = Router(tags=["framework"])

NOT_ADMIN = "Only admins of the stewarding entity and facilitators may record its stewardships."


class StewardshipFilters(Schema):
    entity: Text | None = None
    type: Text | None = None
    theme: Text | None = None
    region: Text | None = None
    level: Text | None = None
    status: Text | None = None
    language: Text | None = None
    cursor: Text | None = None
    limit: int | None = None


@router.get(
    "/stewardships",
    response={200: Page[StewardshipOut], **READ_ERRORS},
    auth=READ,
    summary="List stewardships",
)
def list_stewardships(request: HttpRequest, filters: Query[StewardshipFilters]) -> Any:
    rows = filter_stewardships(
        visible_rows("stewardships", caller(request)),
        entity=filters.entity,
        type=filters.type,
        theme=filters.theme,
        region=filters.region,
        level=filters.level,
        status=filters.status,
        language=filters.language,
    )
    return listing(request, "stewardships", rows, filters.cursor, filters.limit)


@router.get(
    "/stewardships/{key}",
    response={200: StewardshipOut, **READ_ERRORS},
    auth=READ,
    summary="Read a stewardship",
)
def read_stewardship(request: HttpRequest, key: str, origin: str | None = None) -> Any:
    return one(request, "stewardships", find("stewardships", caller(request), key, origin))


@router.post(
    "/stewardships", response={201: StewardshipOut, **ERRORS}, auth=WRITE, summary="Record a stewardship"
)
def create_stewardship(request: HttpRequest, payload: StewardshipIn) -> Any:
    user = caller(request)
    entity = entity_named(payload.entity)
    if entity is not None:  # an unknown key is reported as a field error by the cleaner
        require(user, "framework.add_stewardship", entity, NOT_ADMIN)
    with refusals():
        obj = services.create_stewardship(user, payload.dict())
    return Status(201, one(request, "stewardships", obj))


@router.patch(
    "/stewardships/{key}",
    response={200: StewardshipOut, **ERRORS},
    auth=WRITE,
    summary="Change a stewardship",
)
def update_stewardship(request: HttpRequest, key: str, payload: StewardshipPatch) -> Any:
    user = caller(request)
    obj = find("stewardships", user, key)
    require_local("stewardships", obj)
    require(user, "framework.change_stewardship", obj, NOT_ADMIN)
    changes = payload.dict(exclude_unset=True)
    if "entity" in changes:
        moved_to = entity_named(changes["entity"])
        if moved_to is not None:
            require(user, "framework.add_stewardship", moved_to, NOT_ADMIN)
    with refusals():
        services.change_stewardship(user, obj, changes)
    return one(request, "stewardships", obj)


@router.delete(
    "/stewardships/{key}", response={204: None, **ERRORS}, auth=WRITE, summary="Delete a stewardship"
)
def delete_stewardship(request: HttpRequest, key: str) -> Any:
    user = caller(request)
    obj = find("stewardships", user, key)
    require_local("stewardships", obj)
    require(user, "framework.delete_stewardship", obj, NOT_ADMIN)
    with refusals():
        services.delete_stewardship(user, obj)
    return Status(204, None)
