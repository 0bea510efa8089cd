"""An entity's page lists what it leads and what it supports, as the reader may see them: newest first,
then by title, 50 of each (``selectors.partnerships_with_entity``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from partnernet.directory.models import Entity
from partnernet.partnerships import selectors
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.row_reads import walked_newest
from partnernet.partnerships.rules import visible_partnerships
from partnernet.partnerships.selectors import partnerships_with_entity
from tests.factories import EntityFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def test_led_and_supported_lists_are_newest_first_visible_and_capped() -> None:
    chapter = EntityFactory(key="chapter")
    for n in range(52):
        supported = PartnershipFactory(title=f"Supported {n:02d}", start=dt.date(2000 + n % 13, 1, 1))
        supported.supporters.add(chapter)
    hidden = PartnershipFactory(title="Supported, private", visibility="private", start=dt.date(2030, 1, 1))
    hidden.supporters.add(chapter)
    PartnershipFactory(title="Led later", lead=chapter, start=dt.date(2022, 1, 1))
    PartnershipFactory(title="Led earlier", lead=chapter, start=dt.date(2021, 1, 1))
    PartnershipFactory(title="Led, private", lead=chapter, visibility="private", start=dt.date(2030, 1, 1))
    PartnershipFactory(title="Someone else's")

    lists = partnerships_with_entity(chapter, visible_partnerships(AnonymousUser()))

    assert [p.title for p in lists["led"]] == ["Led later", "Led earlier"]
    titles = [p.title for p in lists["supported"]]
    expected = sorted(
        (f"Supported {n:02d}" for n in range(52)), key=lambda title: (-(2000 + int(title[-2:]) % 13), title)
    )
    assert titles == expected[:50]
    assert lists["supported"][0].lead.name, "rows carry what the list shows"


def _supported_by(chapter: Entity, starts: list[dt.date]) -> list[Partnership]:
    made = [PartnershipFactory(title=f"Supported {n:02d}", start=start) for n, start in enumerate(starts)]
    for partnership in made:
        partnership.supporters.add(chapter)
    return made


def test_a_walk_of_the_newest_rows_finds_the_supporters_newest_or_says_it_did_not() -> None:
    """``walked_newest``: exact when the bound holds enough of the supporter's rows, ``None`` otherwise."""
    chapter = EntityFactory(key="chapter")
    mine = _supported_by(chapter, [dt.date(2020, 1 + n % 12, 1) for n in range(6)])
    for n in range(20):  # the newest rows of the registry are someone else's
        PartnershipFactory(title=f"Other {n:02d}", start=dt.date(2024, 1, 1 + n))
    public = visible_partnerships(AnonymousUser())
    among = Partnership.supporters.through.objects.filter(entity=chapter).values("partnership_id")
    newest = sorted(mine, key=lambda p: (-p.start.toordinal(), p.title))
    assert walked_newest(public, among, 26, 4) == [p.pk for p in newest[:4]]
    assert walked_newest(public, among, 23, 4) is None  # three of the six among the 23 newest


def test_a_big_supporters_list_is_walked_on_postgresql_and_is_the_sorted_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where many**2 >= 2 * limit * size the walk is chosen (PostgreSQL); the list is the sorted one."""
    chapter = EntityFactory(key="chapter")
    mine = _supported_by(chapter, [dt.date(2000 + n % 20, 1 + n % 12, 1) for n in range(60)])
    PartnershipFactory(title="Someone else's")
    monkeypatch.setattr(selectors, "WALK_FROM", 1)
    public = visible_partnerships(AnonymousUser())
    walks: list[Any] = []

    def counted(*args: Any) -> list[int] | None:
        walked = walked_newest(*args)
        walks.append(walked)
        return walked

    monkeypatch.setattr(selectors, "walked_newest", counted)
    assert selectors.highest_id("default") == Partnership.objects.order_by("-pk")[0].pk
    expected = sorted(mine, key=lambda p: (-p.start.toordinal(), p.title, p.pk))[:50]
    monkeypatch.setattr(selectors, "highest_id", lambda using: 36)  # 60 * 60 >= 2 * 50 * 36
    assert selectors._newest_supported(chapter, public, 50) == [p.pk for p in expected]
    assert walks == ([[p.pk for p in expected]] if connection.vendor == "postgresql" else [])
    monkeypatch.setattr(selectors, "highest_id", lambda using: 37)  # the walk would read too much
    assert selectors._newest_supported(chapter, public, 50) == [p.pk for p in expected]
    assert len(walks) == (1 if connection.vendor == "postgresql" else 0)
