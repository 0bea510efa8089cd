"""List pages read as values (``api.records.listing``) are byte for byte what the schema-checked path of
model objects answers, for every caller, filter and page of a cursor walk."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.test import Client

from partnernet.api import records
from partnernet.framework.models import Theme
from tests.api.conftest import World
from tests.factories import EntityFactory, PartnerFactory, PartnershipFactory, region

WALKS = [
    "/api/v1/partnerships?limit=2",
    "/api/v1/partnerships?limit=3&visibility=movement",
    "/api/v1/partnerships?type=glam&limit=1",
    "/api/v1/partnerships?q=archive",
    "/api/v1/partnerships?region=150",
    "/api/v1/partners?limit=2",
]


def _walk(client: Client, path: str) -> list[bytes]:
    pages: list[bytes] = []
    following: str | None = path
    while following:
        answer = client.get(following)
        assert answer.status_code == 200, answer.content
        assert answer["Content-Type"] == "application/json; charset=utf-8"
        pages.append(answer.content)
        link = answer.json()["next"]
        following = f"{urlsplit(link).path}?{urlsplit(link).query}" if link else None
    return pages


@pytest.fixture
def rows(world: World) -> None:
    themes = list(Theme.objects.order_by("key")[:2])
    museum, library = PartnerFactory(key="museum-x", country=region("SE")), PartnerFactory(key="library-y")
    supporter = EntityFactory(key="supporter-z")
    for number, visibility in enumerate(["public", "movement", "private", "public", "public", "movement"]):
        partnership = PartnershipFactory(
            key=f"walk-{number % 4}",  # keys repeat across origins: the cursor must order by origin too
            origin="peer.example" if number >= 4 else "",
            title=f"Shared archive {number}" if number % 2 else f"Museum loan {number}",
            lead=world.entity if number % 3 else world.other,
            visibility=visibility,
            region=region("SE") if number % 2 else None,
            end=dt.date(2025, 6, 30) if number == 1 else None,
            start=None if number == 2 else dt.date(2024, 1, number + 1),
        )
        partnership.supporters.set([supporter] if number % 2 else [])
        partnership.partners.set([museum, library][: number % 3])
        partnership.themes.set(themes[: number % 3])


@pytest.mark.parametrize("who", ["anonymous", "member", "superuser"])
def test_value_pages_equal_the_object_path(
    world: World, rows: None, who: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(world, who))
    fast = {path: _walk(client, path) for path in WALKS}
    monkeypatch.setattr(records, "_home_is_origin", lambda kind: False)
    slow = {path: _walk(client, path) for path in WALKS}
    assert fast == slow
    seen = sum(len(page) for pages in fast.values() for page in pages)
    assert seen > 2000, "the walks return rows, not only empty pages"


def test_kinds_whose_home_or_rows_need_objects_keep_the_object_path(world: World) -> None:
    from partnernet.base.registry import record_kind

    assert records._home_is_origin(record_kind("partnerships"))
    assert records._home_is_origin(record_kind("partners"))
    assert not records._home_is_origin(record_kind("entities")), "an entity's home is its own field"
    assert not records._home_is_origin(record_kind("stewardships")), "a stewardship's home is its entity's"
