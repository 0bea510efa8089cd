"""The API instance: /api/v1/ with its OpenAPI schema, and interactive docs at /api/docs (no CDN)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI

from partnernet.api import analytics, directory, impact, partnerships, requests, stewardships, support
from partnernet.api.errors import install_error_handlers

api = NinjaAPI(
    title="Partnernet API",
    version="1",
    description="Steward nodes, partnerships and support requests of a distributed partnership model.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
)
install_error_handlers(api)
api.add_router("/", directory.router)
api.add_router("/", "partnernet.api.framework.router")
api.add_router("/", impact.router)
api.add_router("/", analytics.router)
api.add_router("/", stewardships.router)
api.add_router("/", partnerships.router)
api.add_router("/", requests.router)
api.add_router("/support", support.router)


def docs(request: HttpRequest) -> HttpResponse:
    return api.docs.render_page(request, api)


urlpatterns = [
    path("v1/", api.urls),
    path("docs", docs, name="api-docs"),
]
