"""Who I am and what I am told: ``/api/v1/me`` and ``/api/v1/notifications`` (FORMATS.md "Me and
notifications").

Both answer only the caller about themselves (a token's person, or the logged-in session); anonymous callers
get 401. The notification texts are the stored sentences read in the caller's language (``Accept-Language``
or the language cookie), as on the pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from partnernet.api.auth import WRITE, SessionAuth, TokenAuth
from partnernet.api.errors import ApiError
from partnernet.api.schemas import ERRORS, READ_ERRORS, Page
from partnernet.directory.models import Membership
from partnernet.directory.rules import is_facilitator
from partnernet.i18n.sentences import render
from partnernet.notifications.models import Notification
from partnernet.notifications.selectors import notifications_of, unread_count
from partnernet.notifications.services import mark_read

SIGNED_IN = [TokenAuth(write=False), SessionAuth(write=False)]
MAX_LIMIT = 200

router = Router(tags=["me"])


class MyEntityOut(Schema):
    key: str
    origin: str
    name: str
    kind: str
    role: str = Field(description="admin or member")


class MeOut(Schema):
    username: str
    email: str
    name: str
    facilitator: bool
    staff: bool
    entities: list[MyEntityOut]
    unread_notifications: int


class NotificationOut(Schema):
    id: int
    text: str = Field(description="What happened, in the caller's language.")
    details: list[str]
    url: str = Field(description="Where it leads: a path of this site, or empty.")
    message: dict[str, Any] = Field(description="The stored sentence: a message id and its parameters.")
    created: dt.datetime
    read: bool
    read_at: dt.datetime | None


class MarkReadIn(Schema):
    ids: list[int] | None = Field(None, description="The notifications to mark read; omitted: all of them.")


class MarkedOut(Schema):
    marked: int
    unread: int


def _notification(row: Notification) -> dict[str, Any]:
    return {
        "id": row.pk,
        "text": render(row.sentence),
        "details": [render(item) for item in row.details if isinstance(item, dict)],
        "url": row.url,
        "message": row.sentence,
        "created": row.created_at,
        "read": row.read_at is not None,
        "read_at": row.read_at,
    }


@router.get("/me", response={200: MeOut, **READ_ERRORS}, auth=SIGNED_IN, summary="Who I am")
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    memberships = Membership.objects.filter(user=user).select_related("entity").order_by("entity__key")
    return {
        "username": user.get_username(),
        "email": user.email,
        "name": user.get_full_name(),
        "facilitator": bool(is_facilitator(user)),
        "staff": bool(user.is_staff),
        "entities": [
            {
                "key": m.entity.key,
                "origin": m.entity.origin,
                "name": m.entity.name,
                "kind": m.entity.kind,
                "role": m.role,
            }
            for m in memberships
        ],
        "unread_notifications": unread_count(user),
    }


@router.get(
    "/notifications",
    response={200: Page[NotificationOut], **READ_ERRORS},
    auth=SIGNED_IN,
    summary="My notifications, newest first",
)
def notifications(
    request: HttpRequest,
    unread: bool = False,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(
            422, "invalid", f"limit must be between 1 and {MAX_LIMIT}.", {"limit": ["out of range"]}
        )
    rows = notifications_of(request.user, unread=unread).order_by("-pk")
    if cursor:
        if not cursor.isdigit():
            raise ApiError(
                400, "bad_cursor", "The cursor is not one this API gave out.", {"cursor": ["invalid"]}
            )
        rows = rows.filter(pk__lt=int(cursor))
    page = list(rows[: limit + 1])
    following = None
    if len(page) > limit:
        page = page[:limit]
        query = request.GET.copy()
        query["cursor"] = str(page[-1].pk)
        following = request.build_absolute_uri(request.path + "?" + query.urlencode())
    return {"items": [_notification(row) for row in page], "next": following}


@router.post("/notifications/read", response={200: MarkedOut, **ERRORS}, auth=WRITE, summary="Mark read")
def read_notifications(request: HttpRequest, body: MarkReadIn) -> dict[str, Any]:
    """Mark the listed notifications (or all) read; ids of other people's notifications change nothing."""
    marked = mark_read(request.user, body.ids)
    return {"marked": marked, "unread": unread_count(request.user)}


@router.post(
    "/notifications/{id}/read",
    response={200: NotificationOut, **ERRORS},
    auth=WRITE,
    summary="Mark one notification read",
)
def read_notification(request: HttpRequest, id: int) -> dict[str, Any]:
    found = notifications_of(request.user).filter(pk=id).first()
    if found is None:
        raise ApiError(404, "not_found", "You have no notification with this id.")
    mark_read(request.user, [found.pk])
    found.refresh_from_db()
    return _notification(found)
