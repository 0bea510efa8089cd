"""Who is calling: a personal token (``Authorization: Bearer pn_…``), the browser session, or nobody.

Reads accept all three (anonymous callers see public rows). Writes need a read-write token, or a session
together with Django's CSRF token, so a page on another site cannot write with a visitor's cookie. A token
that is sent but unknown, revoked or malformed is an error, never a silent fall-back to anonymous.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from partnernet.accounts.selectors import active_token
from partnernet.accounts.services import note_token_use
from partnernet.api.errors import ApiError


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: a personal API token made on the account's token page."""

    def __init__(self, write: bool):
        super().__init__()
        self.write = write

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise ApiError(401, "bad_token", "Send the token as 'Authorization: Bearer <token>'.")
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = active_token(token)
        if found is None:
            raise ApiError(401, "bad_token", "The token is unknown or revoked.")
        if self.write and not found.can_write:
            raise ApiError(
                403, "read_only_token", "This token is read-only; make a read-write token to write."
            )
        note_token_use(found)
        request.api_token = found  # type: ignore[attr-defined]
        request.user = found.user  # endpoints and permission checks read request.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; unsafe methods also need the CSRF token (header X-CSRFToken)."""

    def __init__(self, write: bool):
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=False)  # checked below, and only when a session is what authenticates
        self.write = write

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.write and check_csrf(request) is not None:
            raise ApiError(403, "csrf_failed", "The CSRF token is missing or wrong; send it as X-CSRFToken.")
        return user


class Anonymous:
    """Lets a read through without credentials; the endpoint then shows what anonymous people may see."""

    def __call__(self, request: HttpRequest) -> Any:
        return AnonymousUser()


READ = [TokenAuth(write=False), SessionAuth(write=False), Anonymous()]
WRITE = [TokenAuth(write=True), SessionAuth(write=True)]


def caller(request: HttpRequest) -> Any:
    """The person the request acts for (``AnonymousUser`` for anonymous reads)."""
    return getattr(request, "auth", None) or AnonymousUser()
