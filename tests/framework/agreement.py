"""Helpers for agreement-process tests: entities with an admin, and a proposal moved past its closing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from partnernet.directory.models import Entity
from partnernet.framework.models import Proposal
from partnernet.framework.services import endorse, open_proposal
from tests.factories import EntityFactory, MembershipFactory, UserFactory


def entity_with_admin(**fields: Any) -> tuple[Any, Entity]:
    """A new entity (country SE unless told) and a fresh user who is its admin."""
    entity = EntityFactory(**fields)
    user = UserFactory()
    MembershipFactory(user=user, entity=entity, role="admin")
    return user, entity


def take_up(user: Any, entity: Entity, **data: Any) -> Proposal:
    cell = {"type": "glam", "region": "154", "level": "lead", "capacity": "4", **data}
    return open_proposal(
        user,
        proposer=entity,
        kind="take_up",
        title="GLAM lead for Northern Europe",
        rationale="We can.",
        data=cell,
    )


def vote(proposal: Proposal, *stances: str) -> list[tuple[Any, Entity]]:
    """One new entity of Sweden per stance, each voice cast by its admin."""
    voters = [entity_with_admin() for _ in stances]
    for (user, entity), stance in zip(voters, stances, strict=True):
        endorse(user, proposal, entity=entity, stance=stance)
    return voters


def after_closing(proposal: Proposal) -> dt.datetime:
    return proposal.closes_at + dt.timedelta(seconds=1)
