"""A small support world: a requester with a member, two stewards of one cell, and a facilitator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group

from partnernet.directory.rules import FACILITATORS
from tests.factories import (
    EntityFactory,
    MembershipFactory,
    StewardshipFactory,
    UserFactory,
    ptype,
    region,
)


@dataclass
class World:
    requester: Any
    asker: Any
    first: Any
    second: Any
    first_user: Any
    second_user: Any
    facilitator: Any


@pytest.fixture
def world(db: Any) -> World:
    requester = EntityFactory(key="volunteer-ana", name="Ana (volunteer)", kind="individual")
    asker = MembershipFactory(entity=requester, user__email="ana@example.org").user
    first_entity = EntityFactory(key="wm-se", name="Wikimedia Sverige", kind="chapter")
    second_entity = EntityFactory(key="wm-no", name="Wikimedia Norge", kind="chapter")
    first = StewardshipFactory(
        key="se-glam", entity=first_entity, region=region("154"), level="lead", capacity=3, languages=["sv"]
    )
    second = StewardshipFactory(
        key="no-glam", entity=second_entity, region=region("154"), level="co_lead", capacity=3
    )
    first_user = MembershipFactory(entity=first_entity, user__email="steward@wmse.example").user
    second_user = MembershipFactory(entity=second_entity, user__email="steward@wmno.example").user
    facilitator = UserFactory(username="fac", email="fac@example.org")
    facilitator.groups.add(Group.objects.get_or_create(name=FACILITATORS)[0])
    return World(requester, asker, first, second, first_user, second_user, facilitator)


def new_request(world: World, **overrides: Any) -> Any:
    from partnernet.support import services

    values: dict[str, Any] = {
        "requester": world.requester,
        "type": ptype("glam"),
        "region": region("SE"),
        "need": "co_signing",
        "language": "sv",
        "description": "A museum in Uppsala wants to upload photos.",
    }
    values.update(overrides)
    return services.create_request(world.asker, **values)
