"""A small library world: a steward that publishes, its admin, a maintainer, a plain member, an outsider."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import EntityFactory, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Library:
    steward: Any
    admin: Any
    maintainer: Any
    member: Any
    outsider: Any
    volunteer: Any
    volunteer_group: Any


@pytest.fixture
def lib(db: Any) -> Library:
    steward = EntityFactory(key="wmse", name="Wikimedia Sverige", kind="chapter")
    admin = MembershipFactory(entity=steward, role="admin").user
    member = MembershipFactory(entity=steward, role="member").user
    maintainer = UserFactory(username="maintainer")
    outsider = MembershipFactory(role="member").user
    group = EntityFactory(key="volunteers-se", name="Volunteers of Sweden", kind="individual")
    volunteer = MembershipFactory(entity=group, role="admin").user
    return Library(steward, admin, maintainer, member, outsider, volunteer, group)
