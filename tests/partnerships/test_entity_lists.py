"""An entity's page lists what it leads and what it supports, as the reader may see them: newest first,
then by title, 50 of each (``selectors.partnerships_with_entity``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

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
