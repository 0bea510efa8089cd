"""Support requests over HTTP: ask, list and read what the caller may see, act on an offer, and route; list,
read and end hostings.

Every write goes through ``partnernet.support.services`` with the same rules as the pages. A lost race or an
action the request's or hosting's state does not allow answers 409 ``conflict`` with the reason; a missing
permission 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from partnernet.api.auth import READ, WRITE
from partnernet.api.errors import ApiError
from partnernet.api.pagination import paginate
from partnernet.api.schemas import Page, Text
from partnernet.directory.models import Entity
from partnernet.directory.rules import entity_ids_of
from partnernet.partnerships.rules import visible_partnerships
from partnernet.support import candidates as candidates_of
from partnernet.support import selectors, services
from partnernet.support.forms import EndHostingForm, RequestForm, RouteQueryForm
from partnernet.support.models import Hosting, SupportRequest
from partnernet.support.rules import visible_hostings

router = Router(tags=["support"], auth=READ)


class RequestEventOut(Schema):
    at: dt.datetime
    kind: str
    status: str
    actor: str
    steward: str | None
    note: str


class SupportRequestOut(Schema):
    key: str
    requester: str | None
    partner: str | None
    partnership: str | None
    type: str
    theme: str | None
    region: str
    need: str
    language: str
    status: str
    steward: str | None
    stewardship: str | None
    explanation: str
    description: str
    outcome: str
    created: dt.date
    resolved: dt.date | None
    offered_at: dt.datetime | None
    due_at: dt.datetime | None
    origin: str


class SupportRequestDetail(SupportRequestOut):
    events: list[RequestEventOut]


class SupportRequestIn(Schema):
    requester: str
    type: str
    region: str
    need: str
    description: str
    theme: str | None = None
    language: str | None = None
    partnership: str | None = None


class OfferIn(Schema):
    stewardship: str | None = None


class ReasonIn(Schema):
    reason: str


class OutcomeIn(Schema):
    outcome: str


class WithdrawIn(Schema):
    reason: str = ""


class RouteFilters(Schema):
    type: str
    region: str
    theme: str | None = None
    need: str | None = None
    language: str | None = None


class RequestFilters(Schema):
    status: str | None = None
    cursor: str | None = None
    limit: int | None = None


class RouteCellOut(Schema):
    type: str
    theme: str | None
    region: str


class CandidateOut(Schema):
    rank: int
    entity: str
    stewardship: str
    level: str
    cell: RouteCellOut
    load: int
    capacity: int
    explanation: str


class RouteOut(Schema):
    request: dict[str, str | None]
    candidates: list[CandidateOut]


def _row(obj: SupportRequest, user: Any) -> dict[str, Any]:
    """One request; the partnership's key only for people who may see that partnership (it may be private)."""
    shown = obj.partnership is not None and user.has_perm("partnerships.view_partnership", obj.partnership)
    return {
        "key": obj.key,
        "requester": obj.requester.key if obj.requester else None,
        "partner": obj.partner.key if obj.partner else None,
        "partnership": obj.partnership.key if shown and obj.partnership else None,
        "type": obj.type.key,
        "theme": obj.theme.key if obj.theme else None,
        "region": obj.region.code,
        "need": obj.need,
        "language": obj.language,
        "status": obj.status,
        "steward": obj.steward.key if obj.steward else None,
        "stewardship": obj.stewardship.key if obj.stewardship else None,
        "explanation": obj.explanation,
        "description": obj.description,
        "outcome": obj.outcome,
        "created": obj.created,
        "resolved": obj.resolved,
        "offered_at": obj.offered_at,
        "due_at": obj.due_at,
        "origin": obj.origin,
    }


def _detail(obj: SupportRequest, user: Any) -> dict[str, Any]:
    events = [
        {
            "at": event.at,
            "kind": event.kind,
            "status": event.status,
            "actor": event.actor_label,
            "steward": event.steward.key if event.steward else None,
            "note": event.note,
        }
        for event in selectors.request_timeline(obj)
    ]
    return {**_row(obj, user), "events": events}


def _visible(request: HttpRequest, key: str) -> SupportRequest:
    found = selectors.find_request(key)
    if found is None or not request.user.has_perm("support.view_request", found):
        raise ApiError(404, "not_found", f"No support request with key '{key}' that you may see.")
    return found


def _form_errors(errors: Any) -> dict[str, list[str]]:
    return {name: [str(message) for message in messages] for name, messages in errors.items()}


@router.get("/requests", response=Page[SupportRequestOut], summary="List the support requests you may see")
def list_requests(request: HttpRequest, filters: Query[RequestFilters]) -> dict[str, Any]:
    rows = selectors.requests_visible_to(request.user)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return paginate(request, rows, lambda obj: _row(obj, request.user), filters.cursor, filters.limit)


@router.get("/requests/{key}", response=SupportRequestDetail, summary="Read one support request")
def read_request(request: HttpRequest, key: str) -> dict[str, Any]:
    return _detail(_visible(request, key), request.user)


@router.post("/requests", response={201: SupportRequestDetail}, auth=WRITE, summary="Ask for support")
def create_request(request: HttpRequest, payload: SupportRequestIn) -> Status[dict[str, Any]]:
    """Routed at once, like the form: the answer says to whom it was offered and why."""
    form = RequestForm(
        {key: value or "" for key, value in payload.dict().items()},
        entities=Entity.objects.filter(pk__in=entity_ids_of(request.user)),
        partnerships=visible_partnerships(request.user),
    )
    if not form.is_valid():
        raise ApiError(422, "invalid", "The request has invalid fields.", _form_errors(form.errors))
    data = form.cleaned_data
    created = services.create_request(
        request.user,
        requester=data["requester"],
        type=data["type"],
        theme=data["theme"],
        region=data["region"],
        need=data["need"],
        language=data["language"],
        partnership=data["partnership"],
        description=data["description"],
    )
    return Status(201, _detail(created, request.user))


def _act(request: HttpRequest, key: str, run: Callable[[], Any]) -> dict[str, Any]:
    """Run one service; answer with the request as it is now (the actor just acted on it, so it may read
    the result even when, as after a decline, the request has moved out of its reach)."""
    found = _visible(request, key)
    try:
        run()
    except services.WorkflowError as error:
        raise ApiError(409, "conflict", str(error)) from None
    except PermissionDenied as error:
        raise ApiError(403, "forbidden", str(error) or "You may not do this.") from None
    return _detail(selectors.find_request(key) or found, request.user)


@router.post(
    "/requests/{key}/offer",
    response=SupportRequestDetail,
    auth=WRITE,
    summary="Facilitators: offer to a stewardship, or route again",
)
def offer_request(request: HttpRequest, key: str, payload: OfferIn) -> dict[str, Any]:
    if payload.stewardship:
        stewardship = payload.stewardship
        return _act(request, key, lambda: services.offer(request.user, key, stewardship))
    return _act(request, key, lambda: services.route_request(request.user, key))


@router.post("/requests/{key}/accept", response=SupportRequestDetail, auth=WRITE, summary="Accept an offer")
def accept_request(request: HttpRequest, key: str) -> dict[str, Any]:
    return _act(request, key, lambda: services.accept_offer(request.user, key))


@router.post(
    "/requests/{key}/decline",
    response=SupportRequestDetail,
    auth=WRITE,
    summary="Decline an offer with a reason; it moves to the next candidate",
)
def decline_request(request: HttpRequest, key: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(request, key, lambda: services.decline_offer(request.user, key, payload.reason))


@router.post("/requests/{key}/start", response=SupportRequestDetail, auth=WRITE, summary="Mark in progress")
def start_request(request: HttpRequest, key: str) -> dict[str, Any]:
    return _act(request, key, lambda: services.start_work(request.user, key))


@router.post(
    "/requests/{key}/resolve",
    response=SupportRequestDetail,
    auth=WRITE,
    summary="Resolve with an outcome note",
)
def resolve_request(request: HttpRequest, key: str, payload: OutcomeIn) -> dict[str, Any]:
    return _act(request, key, lambda: services.resolve_request(request.user, key, payload.outcome))


@router.post(
    "/requests/{key}/withdraw", response=SupportRequestDetail, auth=WRITE, summary="Withdraw a request"
)
def withdraw_request(request: HttpRequest, key: str, payload: WithdrawIn) -> dict[str, Any]:
    return _act(request, key, lambda: services.withdraw(request.user, key, payload.reason))


@router.get("/route", response=RouteOut, summary="Rank the stewards for such a request (changes nothing)")
def route(request: HttpRequest, filters: Query[RouteFilters]) -> dict[str, Any]:
    form = RouteQueryForm({key: value or "" for key, value in filters.dict().items()})
    if not form.is_valid():
        raise ApiError(422, "invalid", "The route query has invalid fields.", _form_errors(form.errors))
    query = form.routing_request()
    return {
        "request": {
            "type": query.type,
            "theme": query.theme,
            "region": query.region,
            "need": query.need,
            "language": query.language,
        },
        "candidates": [candidates_of.candidate_json(c) for c in candidates_of.route_candidates(query)],
    }


class HostingOut(Schema):
    key: str = Field(description="The hosting's UUID; with its origin, the hosting's global id.")
    host: str = Field(description="Key of the host entity.")
    hosted: str = Field(description="Key of the hosted entity.")
    status: str = Field(description="active or ended")
    term_start: dt.date
    term_end: dt.date | None
    ended_by: str | None = Field(description="Key of the side that ended it.")
    ended_on: dt.date | None
    end_reason: str | None = Field(
        description="Why it ended; null for callers who are not members of either side."
    )
    request: str | None = Field(
        description="Key of the support request it came from; null when there is none or the caller may not "
        "read that request."
    )
    origin: str


class HostingFilters(Schema):
    host: Text | None = Field(None, description="Key of the host entity")
    hosted: Text | None = Field(None, description="Key of the hosted entity")
    entity: Text | None = Field(None, description="Key of an entity on either side (as its page lists them)")
    status: Literal["active", "ended"] | None = None
    cursor: Text | None = None
    limit: int | None = None


class EndHostingIn(Schema):
    reason: str


def _hosting_row(obj: Hosting, user: Any) -> dict[str, Any]:
    """One hosting as the entity pages show it to everyone; the request's key only for people who may read
    that request, the reason it ended only for members of either side."""
    shown = obj.request is not None and user.has_perm("support.view_request", obj.request)
    return {
        "key": str(obj.uuid),
        "host": obj.host.key,
        "hosted": obj.hosted.key,
        "status": obj.status,
        "term_start": obj.term_start,
        "term_end": obj.term_end,
        "ended_by": obj.ended_by.key if obj.ended_by else None,
        "ended_on": obj.ended_on,
        "end_reason": obj.end_reason if user.has_perm("support.view_hosting_reason", obj) else None,
        "request": obj.request.key if shown and obj.request else None,
        "origin": obj.origin,
    }


def _hosting(request: HttpRequest, key: str) -> Hosting:
    found = selectors.find_hosting(key)
    if found is None or not visible_hostings(request.user).filter(pk=found.pk).exists():
        raise ApiError(404, "not_found", f"No hosting with key '{key}'.")
    return found


@router.get("/hostings", response=Page[HostingOut], summary="List hostings")
def list_hostings(request: HttpRequest, filters: Query[HostingFilters]) -> dict[str, Any]:
    """Every hosting is public, as on the entity pages; filter by side or status."""
    rows = selectors.filter_hostings(
        visible_hostings(request.user, selectors.hostings()),
        host=filters.host,
        hosted=filters.hosted,
        entity=filters.entity,
        status=filters.status,
    )
    return paginate(
        request,
        rows,
        lambda obj: _hosting_row(obj, request.user),
        filters.cursor,
        filters.limit,
        key_field="uuid",
    )


@router.get("/hostings/{key}", response=HostingOut, summary="Read one hosting")
def read_hosting(request: HttpRequest, key: str) -> dict[str, Any]:
    return _hosting_row(_hosting(request, key), request.user)


@router.post(
    "/hostings/{key}/end",
    response=HostingOut,
    auth=WRITE,
    summary="End a hosting: members of the host or of the hosted entity, with a reason",
)
def end_hosting(request: HttpRequest, key: str, payload: EndHostingIn) -> dict[str, Any]:
    """Like the entity page's button: the side ending it is the caller's (the host's when the caller belongs
    to both); both sides are e-mailed. Ending an ended hosting answers 409."""
    found = _hosting(request, key)
    if not request.user.has_perm("support.end_hosting", found):
        raise ApiError(403, "forbidden", "Only the host's or the hosted entity's members may end it.")
    form = EndHostingForm({"reason": payload.reason})
    if not form.is_valid():
        raise ApiError(422, "invalid", "Say why the hosting ends.", _form_errors(form.errors))
    try:
        services.end_hosting(request.user, found.pk, form.cleaned_data["reason"])
    except Hosting.DoesNotExist:  # deleted since it was read
        raise ApiError(404, "not_found", f"No hosting with key '{key}'.") from None
    except services.WorkflowError as error:
        raise ApiError(409, "conflict", str(error)) from None
    except PermissionDenied as error:
        raise ApiError(403, "forbidden", str(error) or "You may not do this.") from None
    return _hosting_row(selectors.hostings().get(pk=found.pk), request.user)
