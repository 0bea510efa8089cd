"""The pages of getting in: ask to join, claim, the facilitators' queue, a seeded entity's profile form."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from partnernet.directory import joining
from partnernet.directory.models import Claim, Entity, EntityProfile, JoinRequest, Membership
from tests.factories import (
    ClaimFactory,
    EntityFactory,
    MembershipFactory,
    UserFactory,
    facilitator,
    seeded_entity,
)

pytestmark = pytest.mark.django_db

SWEDEN = "wikimedia-sweden"
PEER = "pn-0123456789abcdef"


def test_entity_page_marks_cldr_languages_as_derived_and_offers_a_claim(client: Client) -> None:
    page = client.get(reverse("directory:entity", args=[SWEDEN])).content.decode()
    assert "derived from CLDR" in page
    assert reverse("directory:entity_claim", args=[SWEDEN]) not in page  # anonymous: log in first
    client.force_login(UserFactory())
    page = client.get(reverse("directory:entity", args=[SWEDEN])).content.decode()
    assert reverse("directory:entity_claim", args=[SWEDEN]) in page
    assert reverse("directory:entity_join", args=[SWEDEN]) not in page  # nobody could decide yet


def test_claim_form_without_evidence_shows_errors_and_stores_nothing(client: Client) -> None:
    client.force_login(UserFactory())
    answer = client.post(
        reverse("directory:entity_claim", args=[SWEDEN]), {"evidence_url": "", "statement": ""}
    )
    assert answer.status_code == 200
    assert "A claim needs evidence" in answer.content.decode()
    assert not Claim.objects.exists()


def test_claim_queue_is_for_facilitators_who_approve_there(client: Client) -> None:
    claim = ClaimFactory()
    client.force_login(claim.user)
    assert client.get(reverse("directory:claims")).status_code == 403
    reviewer = facilitator()
    client.force_login(reviewer)
    queue = client.get(reverse("directory:claims")).content.decode()
    assert claim.evidence_url in queue
    answer = client.post(reverse("directory:claim_decide", args=[claim.uuid, "approve"]), follow=True)
    assert "was told" in answer.content.decode()
    assert Membership.objects.get(user=claim.user).role == "admin"


def test_the_admin_of_a_claimed_affiliate_edits_its_profile(client: Client) -> None:
    claim = ClaimFactory()
    joining.decide_claim(facilitator(), claim, approve=True)
    client.force_login(claim.user)
    url = reverse("directory:entity_edit", args=[SWEDEN])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="contact"' in form.content.decode()
    answer = client.post(
        url,
        {"languages_text": "sv, en", "website": "https://wikimedia.se", "contact": "info@wikimedia.se",
         "description": "Free knowledge in Sweden.", "staff_fte": "12.5", "volunteers": "40",
         "founded": "2007", "legal_identity": "true", "wikidata": "Q15290276", "jurisdiction": "Sweden"},
    )  # fmt: skip
    assert answer.status_code == 302
    page = client.get(reverse("directory:entity", args=[SWEDEN])).content.decode()
    for shown in (
        "https://wikimedia.se",
        "info@wikimedia.se",
        "Free knowledge in Sweden.",
        "12.50",
        "en, sv",
    ):
        assert shown in page
    assert "derived from CLDR" not in page
    assert "Profile history" in page
    assert f"{claim.user.get_username()} changed" in page
    assert Entity.objects.get(origin="seed", key=SWEDEN).website == ""


def test_bad_profile_input_keeps_what_was_typed_and_changes_nothing(client: Client) -> None:
    claim = ClaimFactory()
    joining.decide_claim(facilitator(), claim, approve=True)
    client.force_login(claim.user)
    answer = client.post(
        reverse("directory:entity_edit", args=[SWEDEN]),
        {"website": "https://wikimedia.se", "wikidata": "nope", "contact": "nobody"},
    )
    assert answer.status_code == 200
    assert "https://wikimedia.se" in answer.content.decode()
    assert EntityProfile.objects.get().website == ""


def test_an_admin_without_a_home_here_or_of_a_peers_entity_gets_403(client: Client) -> None:
    admin = MembershipFactory(entity=seeded_entity(), role="admin").user
    client.force_login(admin)
    assert client.get(reverse("directory:entity_edit", args=[SWEDEN])).status_code == 403
    Entity.objects.filter(origin="seed", key=SWEDEN).update(home=PEER)
    assert (
        client.post(reverse("directory:entity_edit", args=[SWEDEN]), {"website": "https://x.se"}).status_code
        == 403
    )
    peer_entity = EntityFactory(origin=PEER, key="peer-group")
    MembershipFactory(entity=peer_entity, user=admin, role="admin")
    answer = client.post(reverse("directory:entity_edit", args=["peer-group"]), {"name": "Renamed"})
    assert answer.status_code == 403
    assert Entity.objects.get(pk=peer_entity.pk).name == peer_entity.name
    assert not EntityProfile.objects.exists()


def test_asking_to_join_twice_gets_a_clear_message_and_one_request(client: Client) -> None:
    admin = MembershipFactory(role="admin")
    client.force_login(UserFactory())
    url = reverse("directory:entity_join", args=[admin.entity.key])
    assert client.get(url).status_code == 200
    first = client.post(url, {"message": "Hello"}, follow=True).content.decode()
    assert "Your request was sent" in first
    second = client.post(url, {"message": "Hello again"}, follow=True).content.decode()
    assert "already asked to join" in second
    assert JoinRequest.objects.count() == 1


def test_admins_decide_join_requests_on_the_entity_page(client: Client) -> None:
    admin = MembershipFactory(role="admin")
    join = joining.ask_to_join(UserFactory(username="newcomer"), admin.entity, "I edit about birds.")
    client.force_login(admin.user)
    page = client.get(reverse("directory:entity", args=[admin.entity.key])).content.decode()
    assert "I edit about birds." in page
    client.post(reverse("directory:join_decide", args=[join.uuid, "refuse"]), {"reason": "Not now."})
    join.refresh_from_db()
    assert (join.status, join.reason) == ("refused", "Not now.")


def test_only_the_entitys_admins_decide_its_join_requests(client: Client, django_user_model: Any) -> None:
    admin = MembershipFactory(role="admin")
    join = joining.ask_to_join(UserFactory(), admin.entity)
    client.force_login(MembershipFactory(entity=admin.entity).user)
    assert client.post(reverse("directory:join_decide", args=[join.uuid, "approve"])).status_code == 403
    join.refresh_from_db()
    assert join.status == "pending"
