"""Needs and pledges over HTTP (``/api/v1/needs``, ``/api/v1/pledges``): the fields of FORMATS.md, the
visibility of ``sustainability.rules`` and the same services as the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from partnernet.analytics.priorities import PriorityFilters
from partnernet.analytics.priorities import support_priorities as ranked_needs
from partnernet.api.auth import READ, WRITE, caller
from partnernet.api.errors import ApiError
from partnernet.api.records import entity_named, find, listing, one, refusals, require, require_local
from partnernet.api.schemas import ERRORS, READ_ERRORS, Page, Text
from partnernet.base.references import preferred_ids
from partnernet.base.rows import visible_rows
from partnernet.directory.models import Partner
from partnernet.directory.rules import entity_ids_of
from partnernet.framework.selectors import region_tree
from partnernet.sustainability import services
from partnernet.sustainability.models import NeedStatus
from partnernet.sustainability.selectors import NeedFilters, needs_matching

router = Router(tags=["needs"])

NOT_ADMIN = "Only the entity's admins declare and change its needs."


class NeedOut(Schema):
    key: str
    entity: str
    kind: str
    title: str
    stewardships: list[str]
    amount: Decimal | None
    unit: str
    currency: str
    start: dt.date | None
    end: dt.date | None
    why: str
    urgency: str
    visibility: str
    status: str
    origin: str


class NeedIn(Schema):
    key: Text | None = Field(None, description="made from the title when empty")
    entity: Text = Field(description="entity key: the entity in need (you must be one of its admins)")
    kind: Text = Field(description="staff, funding, tools, training, mentoring, legal_fiscal or other")
    title: Text
    stewardships: list[Text] = Field(default_factory=list, description="keys of the entity's stewardships")
    amount: Text | None = Field(None, description="decimal above 0")
    unit: Text | None = Field(None, description="fte, hours or money")
    currency: Text | None = Field(None, description="ISO 4217, for money")
    start: Text | None = None
    end: Text | None = None
    why: Text | None = None
    urgency: Text | None = Field(None, description="low, normal, high or critical")
    visibility: Text | None = Field(None, description="public, movement (default) or private")


class NeedPatch(Schema):
    kind: Text | None = None
    title: Text | None = None
    stewardships: list[Text] | None = None
    amount: Text | None = None
    unit: Text | None = None
    currency: Text | None = None
    start: Text | None = None
    end: Text | None = None
    why: Text | None = None
    urgency: Text | None = None
    visibility: Text | None = None
    status: Text | None = Field(None, description="withdrawn to withdraw it, open to open it again")


class PledgeOut(Schema):
    key: str
    need: str
    entity: str
    partner: str
    person: str
    what: str
    amount: Decimal | None
    when: dt.date | None
    status: str
    origin: str


class PledgeIn(Schema):
    need: Text = Field(description="need key")
    entity: Text | None = Field(None, description="entity key: pledge for an entity you belong to")
    partner: Text | None = Field(None, description="partner key: pledge for a partner institution")
    person: Text | None = Field(None, description="your name, as a person or acting for the partner")
    what: Text
    amount: Text | None = Field(None, description="decimal above 0, in the need's unit or currency")
    when: Text | None = Field(None, description="ISO 8601 date")


class PledgePatch(Schema):
    what: Text | None = None
    amount: Text | None = None
    when: Text | None = None


class NeedQuery(Schema):
    status: Text | None = Field(None, description="open, partly_met, met, withdrawn, or unmet")
    kind: Text | None = None
    entity: Text | None = None
    visibility: Text | None = None
    cursor: Text | None = None
    limit: int | None = None


class PledgeQuery(Schema):
    need: Text | None = None
    status: Text | None = None
    cursor: Text | None = None
    limit: int | None = None


@router.get("/needs", response={200: Page[NeedOut], **READ_ERRORS}, auth=READ, summary="List needs")
def list_needs(request: HttpRequest, filters: Query[NeedQuery]) -> Any:
    rows = needs_matching(
        visible_rows("needs", caller(request)),
        NeedFilters(
            status=filters.status or "",
            kind=filters.kind or "",
            entity=filters.entity or "",
            visibility=filters.visibility or "",
        ),
    )
    return listing(request, "needs", rows, filters.cursor, filters.limit)


@router.get("/needs/{key}", response={200: NeedOut, **READ_ERRORS}, auth=READ, summary="Read a need")
def read_need(request: HttpRequest, key: str) -> Any:
    return one(request, "needs", find("needs", caller(request), key))


@router.post("/needs", response={201: NeedOut, **ERRORS}, auth=WRITE, summary="Declare a need")
def declare_need(request: HttpRequest, payload: NeedIn) -> Any:
    user = caller(request)
    entity = entity_named(payload.entity)
    if entity is None:
        raise invalid("entity", f"unknown entity key '{payload.entity}'")
    require(user, "sustainability.declare_need", entity, NOT_ADMIN)
    data = {name: value for name, value in payload.dict().items() if value is not None and name != "entity"}
    with refusals():
        need = services.declare_need(user, entity, data)
    return Status(201, one(request, "needs", need))


@router.patch("/needs/{key}", response={200: NeedOut, **ERRORS}, auth=WRITE, summary="Change a need")
def change_need(request: HttpRequest, key: str, payload: NeedPatch) -> Any:
    user = caller(request)
    need = find("needs", user, key)
    require_local("needs", need)
    require(user, "sustainability.change_need", need, NOT_ADMIN)
    changes = payload.dict(exclude_unset=True)
    status = changes.pop("status", None)
    if status not in (None, NeedStatus.WITHDRAWN, NeedStatus.OPEN):
        raise invalid("status", "only withdrawn or open: the rest follows from delivered pledges")
    with refusals():
        if changes:
            services.change_need(user, need, changes)
        if status == NeedStatus.WITHDRAWN and need.status != NeedStatus.WITHDRAWN:
            services.withdraw_need(user, need)
        elif status == NeedStatus.OPEN and need.status == NeedStatus.WITHDRAWN:
            services.reopen_need(user, need)
    return one(request, "needs", need)


@router.get("/pledges", response={200: Page[PledgeOut], **READ_ERRORS}, auth=READ, summary="List pledges")
def list_pledges(request: HttpRequest, filters: Query[PledgeQuery]) -> Any:
    rows = visible_rows("pledges", caller(request))
    if filters.need:
        rows = rows.filter(need__key=filters.need)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return listing(request, "pledges", rows, filters.cursor, filters.limit)


@router.get("/pledges/{key}", response={200: PledgeOut, **READ_ERRORS}, auth=READ, summary="Read a pledge")
def read_pledge(request: HttpRequest, key: str) -> Any:
    return one(request, "pledges", find("pledges", caller(request), key))


@contextmanager
def lifecycle() -> Iterator[None]:
    """A pledge that cannot move that way (it was delivered or cancelled meanwhile) is a conflict."""
    try:
        yield
    except services.PledgeRefused as refused:
        raise ApiError(409, "conflict", str(refused)) from None


def invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "invalid", "Some fields are invalid.", {field: [message]})


def _pledger(user: Any, payload: PledgeIn) -> tuple[Any, Any]:
    entity = partner = None
    if payload.entity:
        entity = entity_named(payload.entity)
        if entity is None:
            raise invalid("entity", f"unknown entity key '{payload.entity}'")
        if entity.pk not in entity_ids_of(user):
            raise ApiError(403, "forbidden", "You pledge for an entity only as one of its members.")
    if payload.partner:
        pk = preferred_ids(Partner, [payload.partner]).get(payload.partner)
        partner = Partner.objects.filter(pk=pk).first() if pk else None
        if partner is None:
            raise invalid("partner", f"unknown partner key '{payload.partner}'")
    return entity, partner


@router.post("/pledges", response={201: PledgeOut, **ERRORS}, auth=WRITE, summary="Pledge to a need")
def make_pledge(request: HttpRequest, payload: PledgeIn) -> Any:
    user = caller(request)
    need = find("needs", user, payload.need)
    require_local("needs", need)
    require(user, "sustainability.pledge", need, "This need takes no pledges (it was withdrawn).")
    entity, partner = _pledger(user, payload)
    with refusals():
        pledge = services.make_pledge(
            user,
            need,
            what=payload.what,
            amount=payload.amount or None,
            when=payload.when,
            entity=entity,
            partner=partner,
            person=payload.person or "",
        )
    return Status(201, one(request, "pledges", pledge))


@router.patch("/pledges/{key}", response={200: PledgeOut, **ERRORS}, auth=WRITE, summary="Change your pledge")
def change_pledge(request: HttpRequest, key: str, payload: PledgePatch) -> Any:
    user = caller(request)
    pledge = find("pledges", user, key)
    require_local("pledges", pledge)
    require(
        user, "sustainability.change_pledge", pledge, "Only the pledger changes a pledge not yet delivered."
    )
    with refusals(), lifecycle():
        services.change_pledge(user, pledge, payload.dict(exclude_unset=True))
    return one(request, "pledges", pledge)


@router.post("/pledges/{key}/deliver", response={200: PledgeOut, **ERRORS}, auth=WRITE,
             summary="Confirm a pledge was delivered (the need's admins)")  # fmt: skip
def deliver_pledge(request: HttpRequest, key: str) -> Any:
    user = caller(request)
    pledge = find("pledges", user, key)
    require_local("pledges", pledge)
    require(
        user,
        "sustainability.confirm_pledge",
        pledge,
        "Only the need's admins confirm a pledge that is pledged.",
    )
    with refusals(), lifecycle():
        services.confirm_delivery(user, pledge)
    return one(request, "pledges", pledge)


@router.post(
    "/pledges/{key}/cancel", response={200: PledgeOut, **ERRORS}, auth=WRITE, summary="Cancel your pledge"
)
def cancel_pledge(request: HttpRequest, key: str) -> Any:
    user = caller(request)
    pledge = find("pledges", user, key)
    require_local("pledges", pledge)
    require(
        user, "sustainability.change_pledge", pledge, "Only the pledger cancels a pledge that is pledged."
    )
    with refusals(), lifecycle():
        services.cancel_pledge(user, pledge)
    return one(request, "pledges", pledge)


class PriorityQuery(Schema):
    type: Text | None = Field(None, description="partnership type key of a stewardship the need serves")
    region: Text | None = Field(None, description="M49 or country code the need's stewardships serve")
    kind: Text | None = Field(None, description="kind of need")


class ReasonOut(Schema):
    code: str = Field(description="only_steward, at_capacity, alerts, urgency or still_open")
    params: dict[str, Any]


class PriorityOut(Schema):
    rank: int
    need: str
    origin: str
    entity: str
    tier: int = Field(
        description="2: only steward of several cells or at capacity for weeks; 1: some; 0: none"
    )
    reasons: list[ReasonOut]


class PrioritiesOut(Schema):
    items: list[PriorityOut]


@router.get(
    "/support-priorities",
    response={200: PrioritiesOut, **READ_ERRORS},
    auth=READ,
    summary="Open needs ranked by their effect on the network (derived)",
)
def support_priorities(request: HttpRequest, filters: Query[PriorityQuery]) -> Any:
    region = (filters.region or "").upper()
    if region and region not in region_tree():
        raise invalid("region", f"unknown region code '{filters.region}'")
    user = caller(request)
    wanted = PriorityFilters(type=filters.type or "", region=region, kind=filters.kind or "")
    items = []
    for priority in ranked_needs(user, wanted):
        private = user.has_perm("analytics.view_entity_sustainability", priority.need.entity)
        reasons = []
        for code, params in priority.ranked.reasons:
            if code == "alerts" and not private:
                continue
            if code == "at_capacity" and not private:
                params = {"weeks": None}
            reasons.append({"code": code, "params": params})
        items.append({**priority.ranked.__dict__, "need": priority.ranked.key, "reasons": reasons})
    return {"items": items}
