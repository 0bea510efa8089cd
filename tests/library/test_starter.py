"""The starter set: real resources with a cited public source each, reference data loaded idempotently."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser

from partnernet.library.models import Resource
from partnernet.library.rules import resource_actions, visible_resources
from partnernet.library.starter import STARTER, load_starter
from tests.factories import UserFactory


def test_every_starter_row_cites_a_public_wikimedia_page_and_is_not_demo() -> None:
    rows = [json.loads(line) for line in STARTER.read_text(encoding="utf-8").splitlines()]
    assert rows
    for row in rows:
        assert row["url"].startswith("https://")
        assert ".wikimedia.org/" in row["url"]
        assert row["licence"]
        assert not row.get("demo")
    readme = (STARTER.parent / "README.md").read_text(encoding="utf-8")
    assert all(row["url"] in readme for row in rows), "every source is listed in the data README"


def test_loading_twice_changes_nothing_and_the_rows_are_public_read_only_reference_data(db: Any) -> None:
    first = load_starter()
    assert first.created["resources"] >= 5
    again = load_starter()
    assert again.created == {}
    assert again.updated == {}
    pattypan = Resource.objects.get(key="commons-pattypan")
    assert pattypan.origin == "seed"
    assert pattypan.versions.count() == 1
    assert pattypan in visible_resources(AnonymousUser())
    assert not resource_actions(UserFactory(is_superuser=True), pattypan).edit
