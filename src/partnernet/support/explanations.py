"""Routing decisions as stored sentences, read in each reader's language.

The pure core explains a candidate in English for the command line and the API (FORMATS.md ``route --json``);
a request's page, its timeline and its e-mails show the same reasons as a sentence of translatable clauses
(``partnernet.i18n.sentences``), named in the reader's language when read: the partnership type and theme by
their labels, the region by CLDR, the shared language by its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnernet.core.regions import WORLD
from partnernet.core.routing import (
    ActiveStewardship,
    Candidate,
    RoutingRequest,
    primary_subtag,
    rank_stewardships,
)
from partnernet.i18n.sentences import Message, message


def reasons(stewardship: ActiveStewardship, region_name: str, language: str | None) -> list[Message]:
    """The clauses of a candidate's explanation: role and region, load, shared language, at capacity."""
    type_ref = {"type": stewardship.type, "name": stewardship.type_name}
    if stewardship.theme is None:
        role = message(f"routing.{stewardship.level}", type=type_ref)
    else:
        theme_ref = {"theme": stewardship.theme, "name": stewardship.theme_name or stewardship.theme}
        role = message(f"routing.{stewardship.level}_theme", type=type_ref, theme=theme_ref)
    if stewardship.region == WORLD:
        clauses = [message("routing.worldwide", role={"message": role})]
    else:
        region = {"region": stewardship.region, "name": region_name}
        clauses = [message("routing.for_region", role={"message": role}, region=region)]
    clauses.append(message("routing.load", load=stewardship.load, capacity=stewardship.capacity))
    shared = stewardship.language_by_subtag.get(primary_subtag(language)) if language else None
    if shared is not None:
        clauses.append(message("routing.shares", language={"language": shared}))
    if stewardship.at_capacity:
        clauses.append(message("routing.at_capacity"))
    return clauses


def routed_to(
    candidate: Candidate, stewardship: ActiveStewardship, region_name: str, language: str | None
) -> Message:
    """The stored explanation of offering a request to ``candidate`` (DESIGN.md: "routed to X: …")."""
    return message(
        "routing.routed_to",
        steward=candidate.entity_name,
        reasons={"messages": reasons(stewardship, region_name, language)},
    )


def reason_part(stored: dict[str, Any] | None) -> dict[str, Any] | None:
    """The reasons of a "routed to" sentence alone, for a page that already names the steward."""
    if stored and stored.get("id") == "routing.routed_to":
        return {"id": "text", "params": {"text": stored["params"]["reasons"]}}
    if stored and stored.get("id") in ("routing.runners_up", "routing.asked_for"):
        inner = stored["params"]["decision"].get("message")
        params = {**stored["params"], "decision": {"message": reason_part(inner)}}
        return {"id": stored["id"], "params": params}
    return stored


@dataclass(frozen=True)
class ExplainedCandidate:
    """A ranked candidate with its reasons as a stored sentence (the facilitators' table)."""

    candidate: Candidate
    reasons: Message


def explained_candidates(request: RoutingRequest, *, limit: int | None = None) -> list[ExplainedCandidate]:
    """:func:`~partnernet.support.candidates.route_candidates`, each with its reasons for the reader."""
    from partnernet.framework.selectors import region_tree
    from partnernet.support.candidates import stewardship_pool

    tree = region_tree()
    pool = stewardship_pool(
        type_key=request.type, theme_key=request.theme, region_codes=tree.chain(request.region)
    )
    by_key = {s.key: s for s in pool.stewardships}
    ranked = rank_stewardships(request, pool.stewardships, tree, limit=limit)
    return [
        ExplainedCandidate(
            c,
            {
                "id": "text",
                "params": {
                    "text": {
                        "messages": reasons(
                            by_key[c.stewardship],
                            tree.names.get(c.cell.region, c.cell.region),
                            request.language,
                        )
                    }
                },
            },
        )
        for c in ranked
    ]
