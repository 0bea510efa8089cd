"""The shapes of support requests and routing over HTTP."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from partnernet.api.schemas import Text


class RequestEventOut(Schema):
    at: dt.datetime
    kind: str
    status: str
    actor: str
    steward: str | None
    note: str


class SupportRequestOut(Schema):
    key: str
    requester: str | None
    partner: str | None
    partnership: str | None
    type: str
    theme: str | None
    region: str
    need: str
    language: str
    status: str
    steward: str | None
    stewardship: str | None
    explanation: str
    description: str
    outcome: str
    created: dt.date
    resolved: dt.date | None
    offered_at: dt.datetime | None
    due_at: dt.datetime | None
    origin: str
    home: str | None = None


class SupportRequestDetail(SupportRequestOut):
    events: list[RequestEventOut]


class SupportRequestIn(Schema):
    """Ask for support: checked by the requests kind's cleaner (FORMATS.md), then routed at once."""

    requester: Text = Field(description="key of the entity asking (one you belong to)")
    type: Text
    region: Text
    need: Text = Field(
        description="co_signing, fiscal_sponsorship, tools, training, content_upload, letter or other"
    )
    description: str = Field("", max_length=5000, description="what the partnership is and what would help")
    theme: Text | None = None
    language: Text | None = None
    partnership: Text | None = Field(None, description="partnership key")
    key: Text | None = Field(None, description="a key of your own for the request; made when omitted")


class OfferIn(Schema):
    stewardship: str | None = None


class ReasonIn(Schema):
    reason: str


class OutcomeIn(Schema):
    outcome: str


class WithdrawIn(Schema):
    reason: str = ""


class RouteFilters(Schema):
    type: str
    region: str
    theme: str | None = None
    need: str | None = Field(
        None, description="co_signing and fiscal_sponsorship rank only stewards with a legal identity"
    )
    language: str | None = None
    requester: str | None = Field(
        None, description="the asking entity's key, or KEY@ORIGIN for a peer's: it is never a candidate"
    )


class RequestFilters(Schema):
    status: Text | None = None
    need: Text | None = None
    type: Text | None = None
    region: Text | None = None
    requester: Text | None = None
    steward: Text | None = None
    cursor: Text | None = None
    limit: int | None = None


class RouteCellOut(Schema):
    type: str
    theme: str | None
    region: str


class CandidateOut(Schema):
    rank: int
    entity: str
    stewardship: str
    level: str
    cell: RouteCellOut
    load: int
    capacity: int
    explanation: str


class RouteOut(Schema):
    request: dict[str, str | None]
    candidates: list[CandidateOut]
