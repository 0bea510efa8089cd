"""Hostings over HTTP: list, read and end them with the entity pages' visibility and the UI's rules."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from partnernet.api.auth import READ, WRITE
from partnernet.api.errors import ApiError
from partnernet.api.pagination import paginate
from partnernet.api.schemas import Cursor, Limit, Page, PathKey, Text
from partnernet.support import selectors, services
from partnernet.support.forms import EndHostingForm
from partnernet.support.models import Hosting
from partnernet.support.rules import visible_hostings

router = Router(tags=["support"], auth=READ)


def _form_errors(errors: Any) -> dict[str, list[str]]:
    return {name: [str(message) for message in messages] for name, messages in errors.items()}


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
    cursor: Cursor | None = None
    limit: Limit | None = None


class EndHostingIn(Schema):
    reason: Text


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


def _hosting(request: HttpRequest, key: PathKey) -> Hosting:
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
def read_hosting(request: HttpRequest, key: PathKey) -> dict[str, Any]:
    return _hosting_row(_hosting(request, key), request.user)


@router.post(
    "/hostings/{key}/end",
    response=HostingOut,
    auth=WRITE,
    summary="End a hosting: members of the host or of the hosted entity, with a reason",
)
def end_hosting(request: HttpRequest, key: PathKey, payload: EndHostingIn) -> dict[str, Any]:
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
