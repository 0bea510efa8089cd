"""Support requests over HTTP: ask, list and read what the caller may see, act on an offer, and route.

The one router of support requests: mounted under ``/api/v1/support/`` and, for FORMATS.md's ``requests``
kind, its list, read and create under ``/api/v1/requests`` (``api/urls.py``). Every write goes through
``partnernet.support.services`` with the same rules as the pages. A lost race or an action the request's
state does not allow answers 409 ``conflict`` with the reason; a missing permission 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Status

from partnernet.api.auth import READ, WRITE
from partnernet.api.errors import ApiError
from partnernet.api.pagination import paginate
from partnernet.api.schemas import Page, PathKey
from partnernet.api.support.schemas import (
    OfferIn,
    OutcomeIn,
    ReasonIn,
    RequestFilters,
    SupportRequestDetail,
    SupportRequestIn,
    SupportRequestOut,
    WithdrawIn,
)
from partnernet.base.records import grouped
from partnernet.directory.models import Entity
from partnernet.partnerships.rules import visible_partnerships
from partnernet.support import selectors, services
from partnernet.support.models import SupportRequest

router = Router(tags=["support"], auth=READ)

NOT_MEMBER = "Only members of the requesting entity may ask for support on its behalf."


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
    contact = None
    if obj.contact_email and user.has_perm("support.view_contact", obj):
        contact = {"name": obj.contact_name, "email": obj.contact_email}
    return {**_row(obj, user), "events": events, "contact": contact}


def _visible(request: HttpRequest, key: PathKey) -> SupportRequest:
    found = selectors.find_request(key)
    if found is None or not request.user.has_perm("support.view_request", found):
        raise ApiError(404, "not_found", f"No support request with key '{key}' that you may see.")
    return found


@router.get("/requests", response=Page[SupportRequestOut], summary="List the support requests you may see")
def list_requests(request: HttpRequest, filters: Query[RequestFilters]) -> dict[str, Any]:
    """Requests of the caller's entities (as requester or steward); facilitators see all."""
    rows = selectors.filter_requests(
        selectors.requests_visible_to(request.user),
        status=filters.status,
        need=filters.need,
        type=filters.type,
        region=filters.region,
        requester=filters.requester,
        steward=filters.steward,
    )
    return paginate(request, rows, lambda obj: _row(obj, request.user), filters.cursor, filters.limit)


@router.get("/requests/{key}", response=SupportRequestDetail, summary="Read one support request")
def read_request(request: HttpRequest, key: PathKey) -> dict[str, Any]:
    return _detail(_visible(request, key), request.user)


@router.post("/requests", response={201: SupportRequestDetail}, auth=WRITE, summary="Ask for support")
def create_request(request: HttpRequest, payload: SupportRequestIn) -> Status[dict[str, Any]]:
    """Routed at once, like the form: the answer says to whom it was offered and why.

    The fields are checked by the requests kind's cleaner (the one validation, as ``partnernet import``);
    asking is for members of the requesting entity, as on the form.
    """
    values = {**payload.dict(), "status": "open", "created": dt.date.today().isoformat()}
    values["key"] = values.get("key") or "pending"
    writer = services.REQUESTS
    refs = writer.references(values)
    clean, errors = writer.exchange.clean(values, refs)
    requester_pk = refs.entities.get(clean.get("requester") or "")
    requester = Entity.objects.filter(pk=requester_pk).first() if requester_pk else None
    # The rule itself, without the superuser's blanket permission: as on the form, only members ask.
    allowed = requester is not None and rules.has_perm("support.create_request_for", request.user, requester)
    if errors:
        fields = grouped(errors)
        if requester is not None and not allowed:
            fields.setdefault("requester", []).append(NOT_MEMBER)
        raise ApiError(422, "invalid", "The request has invalid fields.", fields)
    if requester is None or not allowed:
        raise ApiError(403, "forbidden", NOT_MEMBER)
    partnership = None
    if clean.get("partnership"):
        partnership = (
            visible_partnerships(request.user).filter(pk=refs.partnerships[clean["partnership"]]).first()
        )
        if partnership is None:
            message = f"unknown partnership key '{clean['partnership']}'"
            raise ApiError(422, "invalid", "The request has invalid fields.", {"partnership": [message]})
    try:
        created = services.create_request(
            request.user,
            requester=requester,
            type=refs.types[clean["type"]],
            theme=refs.themes[clean["theme"]] if clean.get("theme") else None,
            region=refs.regions[clean["region"]],
            need=clean["need"],
            language=clean.get("language") or "",
            partnership=partnership,
            description=payload.description.strip(),
            key=payload.key or None,
        )
    except services.WorkflowError as error:
        raise ApiError(409, "conflict", str(error), {"key": [str(error)]}) from None
    except PermissionDenied as error:
        raise ApiError(403, "forbidden", str(error) or "You may not do this.") from None
    return Status(201, _detail(created, request.user))


def _act(request: HttpRequest, key: PathKey, run: Callable[[], Any]) -> dict[str, Any]:
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
def offer_request(request: HttpRequest, key: PathKey, payload: OfferIn) -> dict[str, Any]:
    if payload.stewardship:
        stewardship = payload.stewardship
        return _act(request, key, lambda: services.offer(request.user, key, stewardship))
    return _act(request, key, lambda: services.route_request(request.user, key))


@router.post("/requests/{key}/accept", response=SupportRequestDetail, auth=WRITE, summary="Accept an offer")
def accept_request(request: HttpRequest, key: PathKey) -> dict[str, Any]:
    return _act(request, key, lambda: services.accept_offer(request.user, key))


@router.post(
    "/requests/{key}/decline",
    response=SupportRequestDetail,
    auth=WRITE,
    summary="Decline an offer with a reason; it moves to the next candidate",
)
def decline_request(request: HttpRequest, key: PathKey, payload: ReasonIn) -> dict[str, Any]:
    return _act(request, key, lambda: services.decline_offer(request.user, key, payload.reason))


@router.post("/requests/{key}/start", response=SupportRequestDetail, auth=WRITE, summary="Mark in progress")
def start_request(request: HttpRequest, key: PathKey) -> dict[str, Any]:
    return _act(request, key, lambda: services.start_work(request.user, key))


@router.post(
    "/requests/{key}/resolve",
    response=SupportRequestDetail,
    auth=WRITE,
    summary="Resolve with an outcome note",
)
def resolve_request(request: HttpRequest, key: PathKey, payload: OutcomeIn) -> dict[str, Any]:
    return _act(request, key, lambda: services.resolve_request(request.user, key, payload.outcome))


@router.post(
    "/requests/{key}/withdraw", response=SupportRequestDetail, auth=WRITE, summary="Withdraw a request"
)
def withdraw_request(request: HttpRequest, key: PathKey, payload: WithdrawIn) -> dict[str, Any]:
    return _act(request, key, lambda: services.withdraw(request.user, key, payload.reason))


kind_paths = Router(tags=["support"], auth=READ)
"""FORMATS.md's paths of the ``requests`` kind: the same operations as ``/api/v1/support/requests``."""
kind_paths.get(
    "/requests",
    response=Page[SupportRequestOut],
    summary="List the support requests you may see (the requests kind)",
    operation_id="list_requests_kind",
)(list_requests)
kind_paths.get(
    "/requests/{key}",
    response=SupportRequestDetail,
    summary="Read one support request (the requests kind)",
    operation_id="read_request_kind",
)(read_request)
kind_paths.post(
    "/requests",
    response={201: SupportRequestDetail},
    auth=WRITE,
    summary="Ask for support (the requests kind)",
    operation_id="create_request_kind",
)(create_request)
