"""Request and response schemas: the fields of each kind in FORMATS.md (responses add ``origin``).

Input values are checked by the same cleaners as ``partnernet import`` (each kind's exchange ``Kind``,
registered in ``base.registry``), so the schema states the JSON types and the cleaners the rules (known codes
and keys, dates, ranges), with the same messages as an import. Patch schemas make every field optional: only
the fields sent are changed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from ninja import Field, Schema
from pydantic import AfterValidator

T = TypeVar("T")


def _no_nul(value: str) -> str:
    """A NUL character is never meaningful in Partnernet's text, and PostgreSQL cannot store or compare it."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
"""A string from a request (query, body): any text but NUL."""


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
    home: str | None = Field(
        None,
        description="Instance id of the instance that keeps its profile; null for an unclaimed seeded row.",
    )
    languages_derived: bool = Field(
        False, description="The languages are CLDR's for its country, not stated."
    )
    contact: str = Field("", description="A public e-mail address or web page (a seeded entity's profile).")


class EntityIn(Schema):
    key: Text
    name: Text
    kind: Text = Field(
        description="chapter, thematic_org, user_group, hub, foundation, other_org or individual"
    )
    country: Text | None = Field(None, description="ISO 3166-1 alpha-2")
    regions: list[Text] = Field(default_factory=list, description="M49 or country codes")
    languages: list[Text] = Field(default_factory=list, description="BCP 47 tags")
    legal_identity: bool | None = None
    wikidata: Text | None = None
    website: Text | None = None
    founded: int | None = None
    staff_fte: Decimal | None = None
    volunteers: int | None = None


class EntityPatch(Schema):
    name: Text | None = None
    kind: Text | None = None
    country: Text | None = None
    regions: list[Text] | None = None
    languages: list[Text] | None = None
    legal_identity: bool | None = None
    wikidata: Text | None = None
    website: Text | None = None
    founded: int | None = None
    staff_fte: Decimal | None = None
    volunteers: int | None = None
    contact: Text | None = Field(None, description="A seeded entity's public contact (e-mail or web page).")
    description: Text | None = None
    jurisdiction: Text | None = None


class PartnerOut(Schema):
    key: str
    name: str
    kind: str
    country: str | None
    wikidata: str
    website: str
    origin: str
    home: str | None = None


class PartnerIn(Schema):
    key: Text
    name: Text
    kind: Text = Field(
        description="museum, library, archive, gallery, university, school, government, company, ngo or other"
    )
    country: Text | None = None
    wikidata: Text | None = None
    website: Text | None = None


class PartnerPatch(Schema):
    name: Text | None = None
    kind: Text | None = None
    country: Text | None = None
    wikidata: Text | None = None
    website: Text | None = None


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
    home: str | None = None


class StewardshipIn(Schema):
    key: Text
    entity: Text = Field(description="entity key")
    type: Text = Field(description="partnership type key")
    theme: Text | None = Field(None, description="theme key; empty means any theme")
    region: Text | None = Field(None, description="region code; empty means 001 (world)")
    level: Text = Field(description="lead, co_lead or supporter")
    capacity: int = Field(description="support cases it can hold at once (≥ 0)")
    languages: list[Text] = Field(default_factory=list)
    status: Text | None = Field(None, description="proposed, active or lapsed (default active)")
    response_days: int | None = Field(None, description="default 7")
    term_end: Text | None = Field(None, description="ISO 8601 date")


class StewardshipPatch(Schema):
    entity: Text | None = None
    type: Text | None = None
    theme: Text | None = None
    region: Text | None = None
    level: Text | None = None
    capacity: int | None = None
    languages: list[Text] | None = None
    status: Text | None = None
    response_days: int | None = None
    term_end: Text | None = None


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
    home: str | None = None


class PartnershipIn(Schema):
    key: Text
    title: Text
    lead: Text = Field(description="entity key")
    supporters: list[Text] = Field(default_factory=list, description="entity keys")
    partners: list[Text] = Field(default_factory=list, description="partner keys")
    type: Text
    themes: list[Text] = Field(default_factory=list)
    region: Text | None = None
    status: Text = Field(description="prospect, negotiating, active, concluded, paused or declined")
    start: Text | None = Field(None, description="ISO 8601 date")
    end: Text | None = Field(None, description="ISO 8601 date")
    visibility: Text | None = Field(None, description="public, movement or private (default public)")


class PartnershipPatch(Schema):
    title: Text | None = None
    lead: Text | None = None
    supporters: list[Text] | None = None
    partners: list[Text] | None = None
    type: Text | None = None
    themes: list[Text] | None = None
    region: Text | None = None
    status: Text | None = None
    start: Text | None = None
    end: Text | None = None
    visibility: Text | None = None
