"""Needs and pledges travel like partnerships: a peer's copies apply through the writers, keep the status
their origin derived, and stay read-only here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from partnernet.federation.models import Peer
from partnernet.federation.pull import sync_peer
from partnernet.federation.services import add_peer
from partnernet.sustainability.models import Need, Pledge
from partnernet.sustainability.rules import can_pledge
from tests.factories import MembershipFactory
from tests.federation.hostile import HostilePeer, running

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def peer() -> Iterator[tuple[HostilePeer, Peer]]:
    with running(HostilePeer()) as hostile:
        yield hostile, add_peer(hostile.base_url, hostile.key_pair.fingerprint)


def test_a_peers_need_and_pledge_apply_with_the_origins_status(peer: tuple[HostilePeer, Peer]) -> None:
    remote, row = peer
    need = {"entity": "far-chapter", "kind": "funding", "title": "Far salary", "stewardships": [],
            "amount": "100", "unit": "money", "currency": "EUR", "start": None, "end": None, "why": "",
            "urgency": "high", "visibility": "public", "status": "met"}  # fmt: skip
    pledge = {"need": "far-need", "entity": "", "partner": "", "person": "Ada", "what": "All of it",
              "amount": "100", "when": None, "status": "delivered"}  # fmt: skip
    remote.serve_pages(
        {
            0: [
                remote.activity(1, key="far-chapter", name="Far chapter"),
                remote.activity(2, key="far-need", kind="needs", fields=need),
                remote.activity(3, key="far-pledge", kind="pledges", fields=pledge),
            ]
        }
    )
    report = sync_peer(row)
    assert report.ok, report
    copy = Need.objects.get(origin=remote.instance, key="far-need")
    assert (copy.status, copy.entity.key, copy.currency) == ("met", "far-chapter", "EUR")
    assert Pledge.objects.get(origin=remote.instance).need == copy
    member = MembershipFactory().user
    assert not can_pledge(member, copy)  # pledges are made on the need's own instance
