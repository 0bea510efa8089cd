"""The agreement process over HTTP: list and read proposals, open one, endorse one.

Writes need a logged-in session (CSRF-checked); the service decides who may act for which entity, exactly
as for the pages. Input errors answer 422 with messages per field, a vote after closing 409, acting for an
entity one does not administer 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from partnernet.api.auth import READ, WRITE
from partnernet.api.errors import ApiError
from partnernet.api.pagination import paginate
from partnernet.api.schemas import Cursor, Key, Limit, Page, PathKey, Text, text
from partnernet.base.references import preferred_ids
from partnernet.directory.models import Entity
from partnernet.framework.models import Proposal
from partnernet.framework.proposals import proposal_row, proposals_listing
from partnernet.framework.services import endorse, open_proposal

router = Router(tags=["agreement"], auth=READ)


class ProposalCellOut(Schema):
    type: str | None
    theme: str | None
    region: str | None


class RuleOut(Schema):
    min_participants: int
    min_support_share: str
    require_affected_region: bool


class TallyOut(Schema):
    support: int
    oppose: int
    abstain: int


class ProposalOut(Schema):
    key: str
    kind: str
    title: str
    proposer: str
    status: str
    opens_at: str
    closes_at: str
    cell: ProposalCellOut
    stewardship: str | None
    changes: dict[str, Any]
    rule: RuleOut
    tally: TallyOut
    outcome: str | None
    reasons: list[str]
    origin: str


class ProposalFilters(Schema):
    open: bool = False
    cursor: Cursor | None = None
    limit: Limit | None = None


class ProposalIn(Schema):
    proposer: Key = Field(description="key of the entity making the proposal (you must be one of its admins)")
    kind: Key = Field(description="take_up, change, retire, add_term, rename_term, merge_terms, retire_term")
    title: text(300)  # type: ignore[valid-type]
    rationale: Text
    type: Key | None = None
    theme: Key | None = None
    region: Key | None = None
    stewardship: Key | None = None
    level: Key | None = None
    capacity: int | None = None
    response_days: int | None = None
    commitments: Text | None = None
    term_start: text(10) | None = None  # type: ignore[valid-type]
    term_end: text(10) | None = None  # type: ignore[valid-type]
    subject: Key | None = Field(None, description="type or theme, for taxonomy changes")
    term: Key | None = None
    new_key: Key | None = None
    name: text(200) | None = None  # type: ignore[valid-type]
    description: Text | None = None
    into: Key | None = None


class EndorsementIn(Schema):
    entity: Key = Field(description="key of the entity whose voice this is (you must be one of its admins)")
    stance: Key = Field(description="support, oppose or abstain")
    comment: Text = ""


class EndorsementOut(Schema):
    proposal: str
    entity: str
    person: str
    stance: str
    comment: str


def _entity(key: str, field: str) -> Entity:
    pk = preferred_ids(Entity, [key]).get(key)
    entity = Entity.objects.filter(pk=pk).first() if pk is not None else None
    if entity is None:
        raise ApiError(422, "invalid", f"No entity with key '{key}'.", {field: ["unknown entity"]})
    return entity


def _proposal(key: str) -> Proposal:
    proposal = proposals_listing().filter(key=key).first()
    if proposal is None:
        raise ApiError(404, "not_found", f"No proposal with key '{key}'.")
    return proposal


def _invalid(error: ValidationError) -> ApiError:
    fields = error.message_dict if hasattr(error, "error_dict") else {"request": error.messages}
    return ApiError(422, "invalid", "The proposal has invalid fields.", fields)


@router.get("/proposals", response=Page[ProposalOut], summary="List proposals")
def list_proposals(request: HttpRequest, filters: Query[ProposalFilters]) -> dict[str, Any]:
    rows = proposals_listing(only_open=filters.open)
    return paginate(request, rows, proposal_row, filters.cursor, filters.limit)


@router.get("/proposals/{key}", response=ProposalOut, summary="Read one proposal")
def read_proposal(request: HttpRequest, key: PathKey) -> dict[str, Any]:
    return proposal_row(_proposal(key))


@router.post("/proposals", response={201: ProposalOut}, auth=WRITE, summary="Open a proposal")
def create_proposal(request: HttpRequest, payload: ProposalIn) -> Status:
    data = payload.dict(exclude={"proposer", "kind", "title", "rationale"}, exclude_none=True)
    proposer = _entity(payload.proposer, "proposer")
    try:
        proposal = open_proposal(
            request.user,
            proposer=proposer,
            kind=payload.kind,
            title=payload.title,
            rationale=payload.rationale,
            data=data,
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, proposal_row(_proposal(proposal.key)))


@router.post(
    "/proposals/{key}/endorsements",
    response=EndorsementOut,
    auth=WRITE,
    summary="Cast or change an entity's voice",
)
def endorse_proposal(request: HttpRequest, key: PathKey, payload: EndorsementIn) -> dict[str, Any]:
    proposal = _proposal(key)
    entity = _entity(payload.entity, "entity")
    try:
        endorsement = endorse(
            request.user, proposal, entity=entity, stance=payload.stance, comment=payload.comment
        )
    except ValidationError as error:
        if any(e.code == "closed" for e in getattr(error, "error_dict", {}).get("stance", [])):
            raise ApiError(409, "closed", error.message_dict["stance"][0]) from None
        raise _invalid(error) from None
    return {
        "proposal": proposal.key,
        "entity": entity.key,
        "person": request.user.get_username(),
        "stance": endorsement.stance,
        "comment": endorsement.comment,
    }
