"""Anonymous full exports share a few slots per process; more get a clear 429 with Retry-After, and a slot
comes back however the stream ends."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from partnernet.base import fairuse
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("partnerships:export", args=["csv"])


@pytest.fixture(autouse=True)
def one_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fairuse, "_slots", None)
    with override_settings(PARTNERNET_ANONYMOUS_EXPORTS=1):
        yield
    monkeypatch.setattr(fairuse, "_slots", None)


def test_an_anonymous_export_over_the_limit_gets_429_with_retry_after(client: Client) -> None:
    PartnershipFactory(title="Open maps")
    streaming = client.get(URL)
    assert streaming.status_code == 200
    refused = Client().get(URL)
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(fairuse.RETRY_AFTER_SECONDS)
    assert "Try again in" in refused.content.decode()
    assert b"Open maps" in b"".join(streaming.streaming_content)  # type: ignore[attr-defined]
    assert Client().get(URL).status_code == 200  # the finished stream gave its slot back


def test_a_logged_in_person_is_not_limited(client: Client) -> None:
    held = Client().get(URL)
    assert held.status_code == 200
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 200
    del held


def test_a_response_dropped_unread_gives_its_slot_back() -> None:
    Client().get(URL)  # never read: the response is dropped at once
    assert Client().get(URL).status_code == 200
