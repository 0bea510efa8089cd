"""A seeded entity's profile travels from its home, and other instances send people to that home."""

from __future__ import annotations

import pytest

from partnernet.directory import joining
from partnernet.directory.models import Entity
from partnernet.directory.profiles import edit_profile
from partnernet.federation.models import FeedEvent, Peer
from tests.factories import ClaimFactory, UserFactory, facilitator, seeded_entity

pytestmark = pytest.mark.django_db

PEER = "pn-0123456789abcdef"


def test_the_homes_profile_is_published_in_its_feed() -> None:
    claim = ClaimFactory()
    joining.decide_claim(facilitator(), claim, approve=True)
    edit_profile(None, seeded_entity(), {"website": "https://wikimedia.se"})
    events = FeedEvent.objects.filter(kind="profiles")
    assert events.exists()
    assert "https://wikimedia.se" in events.order_by("-sequence").first().document  # type: ignore[union-attr]


def test_a_claim_here_for_an_entity_homed_at_a_peer_names_the_peers_address() -> None:
    Peer.objects.create(instance_id=PEER, base_url="https://wmse.example", public_key="x", fingerprint="y")
    Entity.objects.filter(origin="seed", key="wikimedia-sweden").update(home=PEER)
    with pytest.raises(joining.Refused) as refused:
        joining.claim_entity(UserFactory(), seeded_entity(), "https://wikimedia.se/staff", "I act for it.")
    assert "https://wmse.example" in refused.value.message
    assert refused.value.code == "not_home"
