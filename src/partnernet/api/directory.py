"""Entities and partners over HTTP: list with the directory's filters, read, create, update, delete."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from partnernet.api.auth import READ, WRITE, caller
from partnernet.api.errors import ApiError
from partnernet.api.pagination import paginate
from partnernet.api.records import find, listing, one, refusals, require, require_local, serializer
from partnernet.api.schemas import (
    ERRORS,
    READ_ERRORS,
    Cursor,
    EntityIn,
    EntityOut,
    EntityPatch,
    Limit,
    Page,
    PartnerIn,
    PartnerOut,
    PartnerPatch,
    PathKey,
    ProfileOut,
    Text,
)
from partnernet.base.models import SEED_ORIGIN
from partnernet.base.registry import record_kind
from partnernet.base.rows import visible_rows
from partnernet.directory.profiles import EDITABLE, NotHome, edit_profile, require_home
from partnernet.directory.selectors import with_profile
from partnernet.directory.services import ENTITIES, PARTNERS
from partnernet.framework.selectors import entities_matching

router = Router(tags=["directory"])


class EntityFilters(Schema):
    kind: Text | None = None
    region: Text | None = None
    type: Text | None = None
    language: Text | None = None
    q: Text | None = None
    cursor: Cursor | None = None
    limit: Limit | None = None


class PartnerFilters(Schema):
    kind: Text | None = None
    country: Text | None = None
    q: Text | None = None
    cursor: Cursor | None = None
    limit: Limit | None = None


def entity_out(request: HttpRequest) -> Any:
    """An entity as the API shows it: a seeded entity with the profile its home keeps."""
    plain = serializer("entities", caller(request))

    def serialize(obj: Any) -> dict[str, Any]:
        shown = with_profile(obj)
        return {
            **plain(shown),
            "home": shown.home_instance or None,
            "languages_derived": shown.languages_derived,
            "contact": getattr(shown, "contact", ""),
        }

    return serialize


def _one_entity(request: HttpRequest, obj: Any) -> dict[str, Any]:
    return dict(entity_out(request)(record_kind("entities").exchange.queryset().get(pk=obj.pk)))


@router.get("/entities", response={200: Page[EntityOut], **READ_ERRORS}, auth=READ, summary="List entities")
def list_entities(request: HttpRequest, filters: Query[EntityFilters]) -> Any:
    rows = entities_matching(
        visible_rows("entities", caller(request)),
        kind=filters.kind,
        region=filters.region,
        stewarded_type=filters.type,
        language=filters.language,
        search=filters.q,
    )
    return paginate(request, rows, entity_out(request), filters.cursor, filters.limit)


@router.get("/entities/{key}", response={200: EntityOut, **READ_ERRORS}, auth=READ, summary="Read one entity")
def read_entity(request: HttpRequest, key: PathKey, origin: str | None = None) -> Any:
    return _one_entity(request, find("entities", caller(request), key, origin))


@router.post("/entities", response={201: EntityOut, **ERRORS}, auth=WRITE, summary="Create an entity")
def create_entity(request: HttpRequest, payload: EntityIn) -> Any:
    user = caller(request)
    require(user, "directory.add_entity", message="Only facilitators may add entities.")
    with refusals():
        obj = ENTITIES.create(user, payload.dict())
    return Status(201, _one_entity(request, obj))


@router.patch("/entities/{key}", response={200: EntityOut, **ERRORS}, auth=WRITE, summary="Change an entity")
def update_entity(request: HttpRequest, key: PathKey, payload: EntityPatch) -> Any:
    """A seeded entity's admins change the profile its home keeps (only at its home); an entity of this
    instance is changed itself; a peer's is changed only on its instance."""
    user = caller(request)
    obj = find("entities", user, key)
    changes = payload.dict(exclude_unset=True)
    if obj.origin == SEED_ORIGIN:
        _edit_seeded_profile(user, obj, changes)
        return _one_entity(request, obj)
    require_local("entities", obj)
    require(user, "directory.change_entity", obj, "Only the entity's admins and facilitators may change it.")
    if "contact" in changes:
        raise ApiError(422, "invalid", "Some fields are invalid.", {"contact": [SEEDED_ONLY]})
    extra: dict[str, Any] = {n: changes.pop(n) or "" for n in ("description", "jurisdiction") if n in changes}
    with refusals():
        ENTITIES.update(user, obj, changes, extra=extra)
    return _one_entity(request, obj)


SEEDED_ONLY = "is kept only in the profile of a seeded entity"


def _edit_seeded_profile(user: Any, entity: Any, changes: dict[str, Any]) -> None:
    """The seed's own fields are read-only everywhere; the profile's only at the entity's home."""
    fixed = sorted(set(changes) - set(EDITABLE))
    if fixed:
        raise ApiError(
            403,
            "read_only",
            f"The entity '{entity.key}' is reference data loaded by seed: {', '.join(fixed)} cannot change; "
            "its admins change its profile at its home.",
            {name: ["is reference data loaded by seed"] for name in fixed},
        )
    try:
        require_home(entity)
    except NotHome as error:
        raise ApiError(403, "not_home", str(error)) from None
    require(
        user,
        "directory.change_profile",
        entity,
        "Only the entity's admins and facilitators may change its profile.",
    )
    with refusals():
        edit_profile(user, entity, changes)


@router.delete("/entities/{key}", response={204: None, **ERRORS}, auth=WRITE, summary="Delete an entity")
def delete_entity(request: HttpRequest, key: PathKey) -> Any:
    user = caller(request)
    obj = find("entities", user, key)
    require_local("entities", obj)
    require(user, "directory.delete_entity", obj, "Only facilitators may delete entities.")
    with refusals():
        ENTITIES.delete(user, obj)
    return Status(204, None)


class ProfileFilters(Schema):
    cursor: Text | None = None
    limit: int | None = None


@router.get(
    "/profiles",
    response={200: Page[ProfileOut], **READ_ERRORS},
    auth=READ,
    summary="List seeded entities' profiles",
)
def list_profiles(request: HttpRequest, filters: Query[ProfileFilters]) -> Any:
    """The profiles of seeded entities kept here and received from their homes (change one with
    ``PATCH /entities/{key}`` at the entity's home)."""
    rows = visible_rows("profiles", caller(request))
    return listing(request, "profiles", rows, filters.cursor, filters.limit)


@router.get(
    "/profiles/{key}",
    response={200: ProfileOut, **READ_ERRORS},
    auth=READ,
    summary="Read a seeded entity's profile",
)
def read_profile(request: HttpRequest, key: PathKey) -> Any:
    return one(request, "profiles", find("profiles", caller(request), key))


@router.get("/partners", response={200: Page[PartnerOut], **READ_ERRORS}, auth=READ, summary="List partners")
def list_partners(request: HttpRequest, filters: Query[PartnerFilters]) -> Any:
    rows = visible_rows("partners", caller(request))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.country:
        rows = rows.filter(country__code=filters.country.upper())
    if filters.q:
        rows = rows.filter(name__icontains=filters.q.strip())
    return listing(request, "partners", rows, filters.cursor, filters.limit)


@router.get(
    "/partners/{key}", response={200: PartnerOut, **READ_ERRORS}, auth=READ, summary="Read one partner"
)
def read_partner(request: HttpRequest, key: PathKey, origin: str | None = None) -> Any:
    return one(request, "partners", find("partners", caller(request), key, origin))


@router.post("/partners", response={201: PartnerOut, **ERRORS}, auth=WRITE, summary="Create a partner")
def create_partner(request: HttpRequest, payload: PartnerIn) -> Any:
    user = caller(request)
    require(user, "directory.add_partner", message="Only members of a movement entity may add partners.")
    with refusals():
        obj = PARTNERS.create(user, payload.dict())
    return Status(201, one(request, "partners", obj))


@router.patch("/partners/{key}", response={200: PartnerOut, **ERRORS}, auth=WRITE, summary="Change a partner")
def update_partner(request: HttpRequest, key: PathKey, payload: PartnerPatch) -> Any:
    user = caller(request)
    obj = find("partners", user, key)
    require_local("partners", obj)
    require(
        user,
        "directory.change_partner",
        obj,
        "Only facilitators and members of entities partnering with it may change a partner.",
    )
    with refusals():
        PARTNERS.update(user, obj, payload.dict(exclude_unset=True))
    return one(request, "partners", obj)


@router.delete("/partners/{key}", response={204: None, **ERRORS}, auth=WRITE, summary="Delete a partner")
def delete_partner(request: HttpRequest, key: PathKey) -> Any:
    user = caller(request)
    obj = find("partners", user, key)
    require_local("partners", obj)
    require(user, "directory.delete_partner", obj, "Only facilitators may delete partners.")
    with refusals():
        PARTNERS.delete(user, obj)
    return Status(204, None)
