from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from tests.impact.fakeapi import FakeWikimedia, api_settings, serve


@pytest.fixture
def wikimedia() -> Iterator[FakeWikimedia]:
    """Wikimedia's APIs as recorded responses on loopback, with every connector pointed at them."""
    with serve() as fake, override_settings(**api_settings(fake.base)):
        yield fake
