"""Partnerships over HTTP, with their visibility enforced by ``partnerships.rules.visible_partnerships``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from partnernet.api.auth import READ, WRITE, caller
from partnernet.api.records import entity_named, find, listing, one, refusals, require, require_local
from partnernet.api.schemas import (
    ERRORS,
    READ_ERRORS,
    Page,
    PartnershipIn,
    PartnershipOut,
    PartnershipPatch,
    Text,
)
from partnernet.base.rows import visible_rows
from partnernet.partnerships.selectors import partnerships_matching
from partnernet.partnerships.services import PARTNERSHIPS

router = Router(tags=["partnerships"])

NOT_LEAD_MEMBER = "Only members of the lead entity and facilitators may record its partnerships."


class PartnershipFilters(Schema):
    type: Text | None = None
    theme: Text | None = None
    region: Text | None = None
    status: Text | None = None
    visibility: Text | None = None
    entity: Text | None = None
    partner: Text | None = None
    q: Text | None = Field(
        None,
        description="full-text search of titles, descriptions, lead and partner names: every word must "
        'match, "quoted words" as a phrase, word* as a beginning; results stay in key order',
    )
    cursor: Text | None = None
    limit: int | None = None


@router.get(
    "/partnerships",
    response={200: Page[PartnershipOut], **READ_ERRORS},
    auth=READ,
    summary="List partnerships",
)
def list_partnerships(request: HttpRequest, filters: Query[PartnershipFilters]) -> Any:
    rows = partnerships_matching(
        visible_rows("partnerships", caller(request)),
        type=filters.type,
        theme=filters.theme,
        region=filters.region,
        status=filters.status,
        visibility=filters.visibility,
        entity=filters.entity,
        partner=filters.partner,
        search=filters.q,
    )
    return listing(request, "partnerships", rows, filters.cursor, filters.limit)


@router.get(
    "/partnerships/{key}",
    response={200: PartnershipOut, **READ_ERRORS},
    auth=READ,
    summary="Read a partnership",
)
def read_partnership(request: HttpRequest, key: str, origin: str | None = None) -> Any:
    return one(request, "partnerships", find("partnerships", caller(request), key, origin))


@router.post(
    "/partnerships", response={201: PartnershipOut, **ERRORS}, auth=WRITE, summary="Record a partnership"
)
def create_partnership(request: HttpRequest, payload: PartnershipIn) -> Any:
    user = caller(request)
    lead = entity_named(payload.lead)
    if lead is not None:  # an unknown key is reported as a field error by the cleaner
        require(user, "partnerships.add_partnership", lead, NOT_LEAD_MEMBER)
    with refusals():
        obj = PARTNERSHIPS.create(user, payload.dict())
    return Status(201, one(request, "partnerships", obj))


@router.patch(
    "/partnerships/{key}",
    response={200: PartnershipOut, **ERRORS},
    auth=WRITE,
    summary="Change a partnership",
)
def update_partnership(request: HttpRequest, key: str, payload: PartnershipPatch) -> Any:
    user = caller(request)
    obj = find("partnerships", user, key)
    require_local("partnerships", obj)
    require(
        user,
        "partnerships.change_partnership",
        obj,
        "Only members of its lead or supporting entities and facilitators may change a partnership.",
    )
    changes = payload.dict(exclude_unset=True)
    if "lead" in changes:
        lead = entity_named(changes["lead"])
        if lead is not None:
            require(user, "partnerships.add_partnership", lead, NOT_LEAD_MEMBER)
    with refusals():
        PARTNERSHIPS.update(user, obj, changes)
    return one(request, "partnerships", obj)


@router.delete(
    "/partnerships/{key}", response={204: None, **ERRORS}, auth=WRITE, summary="Delete a partnership"
)
def delete_partnership(request: HttpRequest, key: str) -> Any:
    user = caller(request)
    obj = find("partnerships", user, key)
    require_local("partnerships", obj)
    require(
        user,
        "partnerships.delete_partnership",
        obj,
        "Only admins of the lead entity and facilitators may delete a partnership.",
    )
    with refusals():
        PARTNERSHIPS.delete(user, obj)
    return Status(204, None)
