"""People in every role, and their credentials for the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from partnernet.accounts.services import create_token
from tests.factories import EntityFactory, MembershipFactory, UserFactory

NO_PASSWORD = "!"
"""An unusable password: these people authenticate by token or forced login, and hashing with Argon2 for
every fixture would dominate the run time."""


@dataclass
class World:
    entity: Any
    other: Any
    admin: Any
    member: Any
    outsider: Any
    facilitator: Any
    superuser: Any


@pytest.fixture
def world(db: Any) -> World:
    entity = EntityFactory(key="home-group", kind="user_group")
    other = EntityFactory(key="other-group", kind="chapter")
    admin = MembershipFactory(
        entity=entity, role="admin", user__username="admin-a", user__password=NO_PASSWORD
    ).user
    member = MembershipFactory(
        entity=entity, role="member", user__username="member-a", user__password=NO_PASSWORD
    ).user
    MembershipFactory(entity=other, role="admin", user__username="admin-b", user__password=NO_PASSWORD)
    facilitator = UserFactory(username="facilitator", password=NO_PASSWORD)
    facilitator.groups.add(Group.objects.get(name="facilitators"))
    return World(
        entity=entity,
        other=other,
        admin=admin,
        member=member,
        outsider=UserFactory(username="outsider", password=NO_PASSWORD),
        facilitator=facilitator,
        superuser=UserFactory(username="root", is_superuser=True, is_staff=True, password=NO_PASSWORD),
    )


def bearer(user: Any, scope: str = "write") -> dict[str, str]:
    """Headers that authenticate as ``user`` with a fresh personal token of ``scope``."""
    _, secret = create_token(user, f"test {scope}", scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def as_json(client: Client, method: str, path: str, body: Any = None, **headers: Any) -> Any:
    import json

    call = getattr(client, method)
    if body is None:
        return call(path, **headers)
    return call(path, data=json.dumps(body), content_type="application/json", **headers)
