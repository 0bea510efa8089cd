"""Request and response schemas: the fields of each kind in FORMATS.md (responses add ``origin``).

Input values are checked by the same cleaners as ``partnernet import`` (``exchange.kinds``), so the schema
states the JSON types and the cleaners the rules (known codes and keys, dates, ranges), with the same
messages as an import. Patch schemas make every field optional: only the fields sent are changed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Generic, TypeVar

from ninja import Field, Schema

T = TypeVar("T")


class Page(Schema, Generic[T]):
    items: list[T]
    next: str | None


class ErrorDetail(Schema):
    code: str = Field(description="Stable, machine-readable reason, such as not_found or invalid.")
    message: str
    fields: dict[str, list[str]] = Field(description="Messages per input field.")


class ErrorOut(Schema):
    error: ErrorDetail


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
READ_ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class EntityOut(Schema):
    key: str
    name: str
    kind: str
    country: str | None
    regions: list[str]
    languages: list[str]
    legal_identity: bool | None
    wikidata: str
    website: str
    founded: int | None
    staff_fte: Decimal | None
    volunteers: int | None
    origin: str


class EntityIn(Schema):
    key: str
    name: str
    kind: str = Field(
        description="chapter, thematic_org, user_group, hub, foundation, other_org or individual"
    )
    country: str | None = Field(None, description="ISO 3166-1 alpha-2")
    regions: list[str] = Field(default_factory=list, description="M49 or country codes")
    languages: list[str] = Field(default_factory=list, description="BCP 47 tags")
    legal_identity: bool | None = None
    wikidata: str | None = None
    website: str | None = None
    founded: int | None = None
    staff_fte: Decimal | None = None
    volunteers: int | None = None


class EntityPatch(Schema):
    name: str | None = None
    kind: str | None = None
    country: str | None = None
    regions: list[str] | None = None
    languages: list[str] | None = None
    legal_identity: bool | None = None
    wikidata: str | None = None
    website: str | None = None
    founded: int | None = None
    staff_fte: Decimal | None = None
    volunteers: int | None = None


class PartnerOut(Schema):
    key: str
    name: str
    kind: str
    country: str | None
    wikidata: str
    website: str
    origin: str


class PartnerIn(Schema):
    key: str
    name: str
    kind: str = Field(
        description="museum, library, archive, gallery, university, school, government, company, ngo or other"
    )
    country: str | None = None
    wikidata: str | None = None
    website: str | None = None


class PartnerPatch(Schema):
    name: str | None = None
    kind: str | None = None
    country: str | None = None
    wikidata: str | None = None
    website: str | None = None


class StewardshipOut(Schema):
    key: str
    entity: str
    type: str
    theme: str | None
    region: str
    level: str
    capacity: int
    languages: list[str]
    status: str
    response_days: int
    term_end: dt.date | None
    origin: str


class StewardshipIn(Schema):
    key: str
    entity: str = Field(description="entity key")
    type: str = Field(description="partnership type key")
    theme: str | None = Field(None, description="theme key; empty means any theme")
    region: str | None = Field(None, description="region code; empty means 001 (world)")
    level: str = Field(description="lead, co_lead or supporter")
    capacity: int = Field(description="support cases it can hold at once (≥ 0)")
    languages: list[str] = Field(default_factory=list)
    status: str | None = Field(None, description="proposed, active or lapsed (default active)")
    response_days: int | None = Field(None, description="default 7")
    term_end: str | None = Field(None, description="ISO 8601 date")


class StewardshipPatch(Schema):
    entity: str | None = None
    type: str | None = None
    theme: str | None = None
    region: str | None = None
    level: str | None = None
    capacity: int | None = None
    languages: list[str] | None = None
    status: str | None = None
    response_days: int | None = None
    term_end: str | None = None


class PartnershipOut(Schema):
    key: str
    title: str
    lead: str
    supporters: list[str]
    partners: list[str]
    type: str
    themes: list[str]
    region: str | None
    status: str
    start: dt.date | None
    end: dt.date | None
    visibility: str
    origin: str


class PartnershipIn(Schema):
    key: str
    title: str
    lead: str = Field(description="entity key")
    supporters: list[str] = Field(default_factory=list, description="entity keys")
    partners: list[str] = Field(default_factory=list, description="partner keys")
    type: str
    themes: list[str] = Field(default_factory=list)
    region: str | None = None
    status: str = Field(description="prospect, negotiating, active, concluded, paused or declined")
    start: str | None = Field(None, description="ISO 8601 date")
    end: str | None = Field(None, description="ISO 8601 date")
    visibility: str | None = Field(None, description="public, movement or private (default public)")


class PartnershipPatch(Schema):
    title: str | None = None
    lead: str | None = None
    supporters: list[str] | None = None
    partners: list[str] | None = None
    type: str | None = None
    themes: list[str] | None = None
    region: str | None = None
    status: str | None = None
    start: str | None = None
    end: str | None = None
    visibility: str | None = None


class RequestOut(Schema):
    key: str
    requester: str
    partnership: str | None
    type: str
    theme: str | None
    region: str
    need: str
    language: str
    status: str
    steward: str | None
    created: dt.date | None
    resolved: dt.date | None
    origin: str


class RequestIn(Schema):
    """A new request starts open, unrouted and dated today; routing and status changes are the support
    workflow's."""

    key: str
    requester: str = Field(description="entity key")
    partnership: str | None = Field(None, description="partnership key")
    type: str
    theme: str | None = None
    region: str
    need: str = Field(
        description="co_signing, fiscal_sponsorship, tools, training, content_upload, letter or other"
    )
    language: str | None = None
