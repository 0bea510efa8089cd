"""The instance's cache outlives restarts (``settings.CACHES``), so ``migrate``, which every upgrade runs,
empties it: nothing the old code cached is read by the new."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_migrate_empties_the_cache() -> None:
    cache.set("counted-by-the-old-code", 41)
    call_command("migrate", verbosity=0)
    assert cache.get("counted-by-the-old-code") is None
