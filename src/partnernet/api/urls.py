"""The API instance: /api/v1/ with its OpenAPI schema, and interactive docs at /api/docs (no CDN)."""

from __future__ import annotations

import json
import threading
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema

from partnernet.api import (
    analytics,
    directory,
    impact,
    library,
    me,
    membership,
    needs,
    partnerships,
    stewardships,
    support,
)
from partnernet.api.errors import install_error_handlers
from partnernet.api.schemas import ErrorOut
from partnernet.api.support.requests import kind_paths as request_kind_paths

DOCUMENTED_ERRORS = (400, 401, 403, 404, 409, 422, 429)


class PartnernetAPI(NinjaAPI):
    """The API whose schema documents the shared error answers on every operation.

    Every endpoint can answer 400/401/403/404/409/422/429 through the shared handlers (``errors.py``), with
    the one error shape; documenting them once here keeps the schema true for routers that list only their
    success answers.
    """

    _schemas: dict[Any, OpenAPISchema] = {}
    _building = threading.Lock()

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        """The schema, built once per process and prefix: the routes cannot change while the process runs,
        and building it walks every operation and model (tens of milliseconds per request otherwise)."""
        cache_key = (path_prefix, tuple(sorted((path_params or {}).items())))
        cached = self._schemas.get(cache_key)
        if cached is None:
            with self._building:  # threads asking together wait for one build
                cached = self._schemas.get(cache_key)
                if cached is None:
                    cached = self._schemas[cache_key] = self._build_schema(path_prefix, path_params)
        return cached

    def _build_schema(self, path_prefix: str | None, path_params: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        if "ErrorOut" not in components:
            definition = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(definition.pop("$defs", {}))
            components["ErrorOut"] = definition
        error = {
            "description": "Error",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status in DOCUMENTED_ERRORS:
                    if status not in responses and str(status) not in responses:
                        responses[status] = error
        return schema


api = PartnernetAPI(
    title="Partnernet API",
    version="1",
    description="Steward nodes, partnerships and support requests of a distributed partnership model.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
)
install_error_handlers(api)
api.add_router("/", directory.router)
api.add_router("/", membership.router)
api.add_router("/", "partnernet.api.framework.router")
api.add_router("/", impact.router)
api.add_router("/", analytics.router)
api.add_router("/", stewardships.router)
api.add_router("/", partnerships.router)
api.add_router("/", needs.router)
api.add_router("/", request_kind_paths)
api.add_router("/", library.router)
api.add_router("/support", support.router)
api.add_router("/", me.router)


def docs(request: HttpRequest) -> HttpResponse:
    """Ninja's Swagger page from the bundled files (``settings.NINJA_FILES``), as Ninja renders it for an
    installed app; Ninja's own view would fall back to a CDN, which the CSP refuses, because it is not one.
    The API authenticates per operation (no API-wide auth), so the page asks for no CSRF token."""
    options = {**Swagger.default_settings, "url": reverse("api:openapi-json")}
    context = {"swagger_settings": json.dumps(options, indent=1), "api": api, "add_csrf": False}
    return render(request, "ninja/swagger.html", context)


urlpatterns = [
    path("v1/", api.urls),
    path("docs", docs, name="api-docs"),
]
