"""Support requests over HTTP: ask for support, list and read the requests one may see.

A new request starts open, unrouted and dated today; routing, offers and status changes belong to the
support workflow's services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from partnernet.api.auth import READ, WRITE, caller
from partnernet.api.records import entity_named, find, listing, one, refusals, require
from partnernet.api.schemas import ERRORS, READ_ERRORS, Page, RequestIn, RequestOut, Text
from partnernet.exchange.selectors import visible_rows
from partnernet.exchange.services import create_record
from partnernet.support.models import SupportRequest
from partnernet.support.selectors import filter_requests

router = Router(tags=["support"])


class RequestFilters(Schema):
    status: Text | None = None
    need: Text | None = None
    type: Text | None = None
    region: Text | None = None
    requester: Text | None = None
    steward: Text | None = None
    cursor: Text | None = None
    limit: int | None = None


@router.get(
    "/requests", response={200: Page[RequestOut], **READ_ERRORS}, auth=READ, summary="List support requests"
)
def list_requests(request: HttpRequest, filters: Query[RequestFilters]) -> Any:
    """Requests of the caller's entities (as requester or steward); facilitators see all."""
    rows = filter_requests(
        visible_rows("requests", caller(request)),
        status=filters.status,
        need=filters.need,
        type=filters.type,
        region=filters.region,
        requester=filters.requester,
        steward=filters.steward,
    )
    return listing(request, "requests", rows, filters.cursor, filters.limit)


@router.get(
    "/requests/{key}", response={200: RequestOut, **READ_ERRORS}, auth=READ, summary="Read a support request"
)
def read_request(request: HttpRequest, key: str) -> Any:
    return one(request, "requests", find("requests", caller(request), key))


@router.post("/requests", response={201: RequestOut, **ERRORS}, auth=WRITE, summary="Ask for support")
def create_request(request: HttpRequest, payload: RequestIn) -> Any:
    user = caller(request)
    requester = entity_named(payload.requester)
    if requester is not None:  # an unknown key is reported as a field error by the cleaner
        require(
            user,
            "support.add_request",
            requester,
            "Only members of the requesting entity and facilitators may ask on its behalf.",
        )
    values = {**payload.dict(), "status": SupportRequest.Status.OPEN, "created": dt.date.today().isoformat()}
    with refusals():
        obj = create_record(user, "requests", values)
    return Status(201, one(request, "requests", obj))
