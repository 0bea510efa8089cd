"""Every answer under ``/api/`` that is an error comes in the API's JSON error shape (FORMATS.md).

The routers' exception handlers (``errors.py``) cover what happens inside an endpoint. Some answers are made
before or around it — an address no router knows (404), a method an address does not take (405), a body over
the size limit (413), a CSRF refusal — and Django would answer those with an HTML page. This middleware
turns them into ``{"error": {"code", "message", "fields"}}`` with the same status.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from partnernet.api.errors import HTTP_CODES
from partnernet.base.errors import error_body

PREFIX = "/api/"
MESSAGES = {
    400: "The request cannot be read.",
    403: "You may not do this.",
    404: "There is nothing at this address.",
    405: "This address does not take this method.",
    413: "The request body is too large.",
    500: "Something went wrong on the server.",
}


def _json_error(status: int, allow: str | None = None) -> HttpResponse:
    code = HTTP_CODES.get(status, "error")
    response = JsonResponse(error_body(code, MESSAGES.get(status, "The request failed.")), status=status)
    if allow:
        response["Allow"] = allow
    return response


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _json_error(400)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return _json_error(413)
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return _json_error(response.status_code, response.get("Allow"))
        return response
