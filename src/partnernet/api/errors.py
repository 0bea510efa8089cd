"""One error shape for every 4xx answer (FORMATS.md): ``{"error": {"code", "message", "fields"}}``.

Scripts branch on ``code`` (stable, machine-readable), show ``message`` to people, and map ``fields`` (field
name -> list of messages) back onto their inputs.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from partnernet.base.errors import error_body

HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}
log = logging.getLogger("partnernet.api")
BAD_CURSOR = "The cursor is not one this API gave out."


class ApiError(Exception):
    """Raised by endpoints for a 4xx with a stable code, a message and optional per-field messages."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


def _field_name(location: Any) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "payload", "data")]
    return ".".join(parts) or "request"


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, error_body(exc.code, exc.message, exc.fields))

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        if exc.errors and all(_field_name(item.get("loc", ())) == "cursor" for item in exc.errors):
            return respond(request, 400, error_body("bad_cursor", BAD_CURSOR, {"cursor": ["invalid"]}))
        fields: dict[str, list[str]] = {}
        for item in exc.errors:
            # The words of the import cleaners where pydantic's differ: a missing field "is required".
            message = "is required" if item.get("type") == "missing" else str(item.get("msg", "is invalid"))
            fields.setdefault(_field_name(item.get("loc", ())), []).append(message)
        return respond(request, 422, error_body("invalid", "The request has invalid fields.", fields))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", str(exc) or "Not found."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, error_body("forbidden", str(exc) or "You may not do this."))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, error_body("unauthenticated", "Log in or send a token to do this."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = HTTP_CODES.get(exc.status_code, "error")
        return respond(request, exc.status_code, error_body(code, str(exc)))

    @api.exception_handler(DjangoValidationError)
    def model_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        """A service's or the last length check's refusal (``base.limits``), field by field."""
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"request": exc.messages}
        return respond(request, 422, error_body("invalid", "The request has invalid fields.", fields))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, error_body("too_large", "The request body is too large."))

    @api.exception_handler(IntegrityError)
    def conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # Two writers raced (a key taken between the check and the insert): the database's words stay in
        # the log, the caller learns to reload and retry.
        log.warning("integrity error on %s %s: %s", request.method, request.path, exc)
        return respond(
            request, 409, error_body("conflict", "The row conflicts with another; reload and retry.")
        )

    @api.exception_handler(DatabaseError)
    def unavailable(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
        log.error("database error on %s %s: %s", request.method, request.path, exc)
        return respond(request, 503, error_body("unavailable", "The database cannot answer now; try again."))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("error on %s %s", request.method, request.path)
        return respond(request, 500, error_body("server_error", "Something went wrong on the server."))
