"""Response schemas: the fields of each kind in FORMATS.md, plus ``origin``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Generic, TypeVar

from ninja import Schema

T = TypeVar("T")


class Page(Schema, Generic[T]):
    items: list[T]
    next: str | None


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


class PartnerOut(Schema):
    key: str
    name: str
    kind: str
    country: str | None
    wikidata: str
    website: str
    origin: str


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
