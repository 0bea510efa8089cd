"""The library over HTTP: ``/api/v1/resources`` with the page's filters and search, one resource, and writes
for the publisher's admins and the maintainers (``library.rules``), through the library's services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from partnernet.api.auth import READ, WRITE, caller
from partnernet.api.errors import ApiError
from partnernet.api.records import entity_named, find, listing, one, refusals, require, require_local
from partnernet.api.schemas import ERRORS, READ_ERRORS, Page, Text
from partnernet.base.rows import visible_rows
from partnernet.library import services
from partnernet.library.rules import resource_actions
from partnernet.library.selectors import LibraryFilters, resources_matching

router = Router(tags=["library"])


class ResourceOut(Schema):
    key: str
    title: str
    kind: str
    template_kind: str
    toolhub: str
    url: str
    body: str
    attachments: list[str]
    types: list[str]
    themes: list[str]
    regions: list[str]
    language: str
    licence: str
    publisher: str
    maintainers: list[str]
    translation_of: str
    evaluations: list[str]
    status: str
    visibility: str
    demo: bool
    origin: str


class ResourceIn(Schema):
    key: Text
    title: Text
    kind: Text = Field(description="playbook, template, tool, training or case_study")
    template_kind: Text | None = Field(None, description="agreement, mou or letter (templates only)")
    toolhub: Text | None = Field(None, description="the tool's name on Toolhub (tools only)")
    url: Text | None = None
    body: Text | None = Field(None, description="Markdown")
    attachments: list[Text] = Field(default_factory=list, description="http(s) URLs")
    types: list[Text] = Field(default_factory=list)
    themes: list[Text] = Field(default_factory=list)
    regions: list[Text] = Field(default_factory=list, description="M49 or ISO country codes; empty: anywhere")
    language: Text = Field(description="BCP 47 tag")
    licence: Text | None = Field(None, description="default CC BY-SA 4.0")
    publisher: Text = Field(description="entity key")
    maintainers: list[Text] = Field(default_factory=list, description="account names")
    translation_of: Text | None = None
    evaluations: list[Text] = Field(default_factory=list)
    status: Text | None = Field(None, description="draft, published or retired (default draft)")
    visibility: Text | None = Field(None, description="public, movement or private (default public)")


class ResourcePatch(Schema):
    title: Text | None = None
    kind: Text | None = None
    template_kind: Text | None = None
    toolhub: Text | None = None
    url: Text | None = None
    body: Text | None = None
    attachments: list[Text] | None = None
    types: list[Text] | None = None
    themes: list[Text] | None = None
    regions: list[Text] | None = None
    language: Text | None = None
    licence: Text | None = None
    maintainers: list[Text] | None = None
    translation_of: Text | None = None
    evaluations: list[Text] | None = None
    status: Text | None = None
    visibility: Text | None = None


class ResourceFilters(Schema):
    kind: Text | None = None
    type: Text | None = None
    theme: Text | None = None
    region: Text | None = None
    language: Text | None = None
    status: Text | None = Field(None, description="default: published")
    publisher: Text | None = None
    q: Text | None = Field(
        None,
        description="full-text search of titles, texts, publisher and Toolhub names: every word must match, "
        '"quoted words" as a phrase, word* as a beginning; results stay in key order',
    )
    cursor: Text | None = None
    limit: int | None = None


@router.get(
    "/resources", response={200: Page[ResourceOut], **READ_ERRORS}, auth=READ, summary="List resources"
)
def list_resources(request: HttpRequest, filters: Query[ResourceFilters]) -> Any:
    chosen = LibraryFilters.of({name: getattr(filters, name) for name in LibraryFilters.__dataclass_fields__})
    rows = resources_matching(visible_rows("resources", caller(request)), chosen)
    return listing(request, "resources", rows, filters.cursor, filters.limit)


@router.get(
    "/resources/{key}", response={200: ResourceOut, **READ_ERRORS}, auth=READ, summary="Read a resource"
)
def read_resource(request: HttpRequest, key: str) -> Any:
    return one(request, "resources", find("resources", caller(request), key))


@router.post("/resources", response={201: ResourceOut, **ERRORS}, auth=WRITE, summary="Publish a resource")
def create_resource(request: HttpRequest, payload: ResourceIn) -> Any:
    user = caller(request)
    publisher = entity_named(payload.publisher)
    if publisher is not None:  # an unknown key is reported as a field error by the cleaner
        require(
            user, "library.add_resource", publisher, "Only admins of an entity publish resources in its name."
        )
    values = {name: value for name, value in payload.dict().items() if value is not None}
    with refusals():
        obj = services.create_resource(user, values)
    return Status(201, one(request, "resources", obj))


@router.patch(
    "/resources/{key}", response={200: ResourceOut, **ERRORS}, auth=WRITE, summary="Change a resource"
)
def update_resource(request: HttpRequest, key: str, payload: ResourcePatch) -> Any:
    user = caller(request)
    obj = find("resources", user, key)
    require_local("resources", obj)
    if not resource_actions(user, obj).edit:
        raise ApiError(403, "forbidden", "Only the publisher's admins and the maintainers change a resource.")
    changes = {
        name: ("" if value is None else value) for name, value in payload.dict(exclude_unset=True).items()
    }
    with refusals():
        try:
            services.update_resource(user, obj, changes)
        except PermissionDenied as error:
            raise ApiError(403, "forbidden", str(error)) from None
    return one(request, "resources", obj)
