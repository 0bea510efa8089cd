"""Join requests and claims over HTTP, with the rules of the pages: a person asks to join an entity (its
admins decide) or claims a seeded affiliate (facilitators decide). Rows are named by their UUID."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from partnernet.api.auth import WRITE, caller
from partnernet.api.errors import ApiError
from partnernet.api.pagination import paginate
from partnernet.api.records import find
from partnernet.api.schemas import ERRORS, Page, Text
from partnernet.directory import joining
from partnernet.directory.models import Claim, JoinRequest
from partnernet.directory.rules import entity_ids_of

router = Router(tags=["membership"])

STATUS = {"invalid": 422, "not_home": 403}


class JoinRequestIn(Schema):
    entity: Text
    message: Text = ""


class JoinRequestOut(Schema):
    id: UUID
    entity: str
    person: str
    message: str
    status: str
    created: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    reason: str


class ClaimIn(Schema):
    entity: Text
    evidence_url: Text = ""
    statement: Text = ""


class ClaimOut(Schema):
    id: UUID
    entity: str
    claimant: str
    evidence_url: str
    statement: str
    status: str
    created: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    reason: str


class DecisionIn(Schema):
    reason: Text = ""


class Filters(Schema):
    status: Text | None = None
    entity: Text | None = None
    cursor: Text | None = None
    limit: int | None = None


def _refused(error: joining.Refused) -> ApiError:
    return ApiError(STATUS.get(error.code, 409), error.code, error.message, error.fields)


def _decided(row: Any) -> dict[str, Any]:
    return {
        "id": row.uuid,
        "entity": row.entity.key,
        "status": row.status,
        "created": row.created_at,
        "decided_by": row.decided_by.get_username() if row.decided_by else None,
        "decided_at": row.decided_at,
        "reason": row.reason,
    }


def join_out(row: JoinRequest) -> dict[str, Any]:
    return {**_decided(row), "person": row.user.get_username(), "message": row.message}


def claim_out(row: Claim) -> dict[str, Any]:
    return {
        **_decided(row),
        "claimant": row.user.get_username(),
        "evidence_url": row.evidence_url,
        "statement": row.statement,
    }


def _filtered(rows: QuerySet[Any], filters: Filters) -> QuerySet[Any]:
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.entity:
        rows = rows.filter(entity__key=filters.entity)
    return rows.select_related("entity", "user", "decided_by")


def visible_joins(user: Any) -> QuerySet[JoinRequest]:
    """A person's own requests and those to the entities they administer."""
    return JoinRequest.objects.filter(Q(user=user) | Q(entity_id__in=entity_ids_of(user, "admin")))


def visible_claims(user: Any) -> QuerySet[Claim]:
    """Facilitators see every claim; anybody else their own."""
    if user.has_perm("directory.decide_claims"):
        return Claim.objects.all()
    return Claim.objects.filter(user=user)


@router.get(
    "/join-requests", response={200: Page[JoinRequestOut], **ERRORS}, auth=WRITE, summary="List join requests"
)
def list_join_requests(request: HttpRequest, filters: Query[Filters]) -> Any:
    rows = _filtered(visible_joins(caller(request)), filters)
    return paginate(request, rows, join_out, filters.cursor, filters.limit, key_field="uuid")


@router.post(
    "/join-requests", response={201: JoinRequestOut, **ERRORS}, auth=WRITE, summary="Ask to join an entity"
)
def create_join_request(request: HttpRequest, payload: JoinRequestIn) -> Any:
    user = caller(request)
    entity = find("entities", user, payload.entity)
    try:
        row = joining.ask_to_join(user, entity, payload.message)
    except joining.Refused as error:
        raise _refused(error) from None
    return Status(201, join_out(row))


@router.post(
    "/join-requests/{id}/{decision}",
    response={200: JoinRequestOut, **ERRORS},
    auth=WRITE,
    summary="Approve or refuse a join request (decision: approve or refuse)",
)
def decide_join_request(request: HttpRequest, id: UUID, decision: str, payload: DecisionIn) -> Any:
    user = caller(request)
    if decision not in ("approve", "refuse"):
        raise ApiError(404, "not_found", "Decide with /approve or /refuse.")
    row = visible_joins(user).select_related("entity", "user").filter(uuid=id).first()
    if row is None:
        raise ApiError(404, "not_found", f"No join request {id} that you may see.")
    if not user.has_perm("directory.decide_join", row):
        raise ApiError(403, "forbidden", f"Only the admins of {row.entity.name} decide who joins it.")
    try:
        row = joining.decide_join(user, row, decision == "approve", payload.reason)
    except joining.Refused as error:
        raise _refused(error) from None
    return join_out(row)


@router.get("/claims", response={200: Page[ClaimOut], **ERRORS}, auth=WRITE, summary="List claims")
def list_claims(request: HttpRequest, filters: Query[Filters]) -> Any:
    rows = _filtered(visible_claims(caller(request)), filters)
    return paginate(request, rows, claim_out, filters.cursor, filters.limit, key_field="uuid")


@router.post("/claims", response={201: ClaimOut, **ERRORS}, auth=WRITE, summary="Claim a seeded affiliate")
def create_claim(request: HttpRequest, payload: ClaimIn) -> Any:
    user = caller(request)
    entity = find("entities", user, payload.entity)
    try:
        row = joining.claim_entity(user, entity, payload.evidence_url, payload.statement)
    except joining.Refused as error:
        raise _refused(error) from None
    return Status(201, claim_out(row))


@router.post(
    "/claims/{id}/{decision}",
    response={200: ClaimOut, **ERRORS},
    auth=WRITE,
    summary="Approve or refuse a claim (facilitators; decision: approve or refuse)",
)
def decide_claim(request: HttpRequest, id: UUID, decision: str, payload: DecisionIn) -> Any:
    user = caller(request)
    if decision not in ("approve", "refuse"):
        raise ApiError(404, "not_found", "Decide with /approve or /refuse.")
    if not user.has_perm("directory.decide_claims"):
        raise ApiError(403, "forbidden", "Only facilitators review claims.")
    row = Claim.objects.select_related("entity", "user").filter(uuid=id).first()
    if row is None:
        raise ApiError(404, "not_found", f"No claim {id}.")
    try:
        row = joining.decide_claim(user, row, decision == "approve", payload.reason)
    except joining.Refused as error:
        raise _refused(error) from None
    return claim_out(row)
