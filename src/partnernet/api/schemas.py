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

from ninja import Field, Path, Schema
from pydantic import AfterValidator, WithJsonSchema

from partnernet.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from partnernet.base.fields import INTEGER_MAX, TEXT_LIMIT

T = TypeVar("T")


def _no_nul(value: str) -> str:
    """A NUL character is never meaningful in Partnernet's text, and PostgreSQL cannot store or compare it."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(_no_nul), Field(max_length=TEXT_LIMIT)]
"""A string from a request (query, body): any text but NUL, at most ``TEXT_LIMIT`` characters."""


def text(max_length: int) -> object:
    """A ``Text`` limited to the width of the column it is stored in (the schema states the limit)."""
    return Annotated[str, AfterValidator(_no_nul), Field(max_length=max_length)]


Key = Annotated[str, AfterValidator(_no_nul), Field(max_length=100)]
"""A key (FORMATS.md): a lower-case slug of at most 100 characters, checked by the cleaners."""
PathKey = Annotated[str, Path(max_length=200, description="the row's key (FORMATS.md)")]
"""The key in an address (``/api/v1/entities/{key}``); hostings use their UUID."""
StaffFte = Annotated[
    Decimal,
    Field(ge=0, le=99999.99),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 99999.99, "multipleOf": 0.01},
                {"type": "string", "pattern": r"^[0-9]{1,5}(\.[0-9]{1,2})?$", "maxLength": 8},
            ]
        }
    ),
]
"""Staff in full-time equivalents: 0 to 99999.99, at most two decimals."""
Count = Annotated[int, Field(ge=0, le=INTEGER_MAX)]
Cursor = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9_-]+$",
        max_length=1000,
        description="Opaque cursor from the `next` URL of the previous page (URL-safe base64, no padding); "
        "send it back unchanged. A cursor this API did not give out is refused with 400 `bad_cursor`.",
    ),
]
Limit = Annotated[
    int, Field(ge=1, le=MAX_LIMIT, description=f"Rows per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).")
]


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
    staff_fte: StaffFte | None = None
    volunteers: Count | None = None


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
    staff_fte: StaffFte | None = None
    volunteers: Count | None = None
    contact: Text | None = Field(None, description="A seeded entity's public contact (e-mail or web page).")
    description: Text | None = None
    jurisdiction: Text | None = None


class ProfileOut(Schema):
    key: str = Field(description="The seeded entity's key.")
    languages: list[str]
    website: str
    contact: str
    description: str
    wikidata: str
    legal_identity: bool | None
    jurisdiction: str
    founded: int | None
    staff_fte: Decimal | None
    volunteers: int | None
    origin: str = Field(description="The instance that keeps it: the entity's home when it is shown.")


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
