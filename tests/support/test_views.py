"""The support pages: request form, status page, inbox, queue, public form and hosting, through the client."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from partnernet.support import services
from partnernet.support.models import SupportRequest
from tests.support.conftest import World, new_request

pytestmark = pytest.mark.django_db


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_member_asks_for_support_and_sees_where_it_went_and_why(world: World) -> None:
    client = logged_in(world.asker)
    form = client.get("/support/new/")
    assert form.status_code == 200
    assert b'name="requester"' in form.content
    response = client.post(
        "/support/new/",
        {
            "requester": "volunteer-ana",
            "need": "co_signing",
            "type": "glam",
            "theme": "",
            "region": "SE",
            "language": "sv",
            "partnership": "",
            "description": "A museum wants to upload photos.",
        },
    )
    request = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/support/r/{request.key}/"
    page = client.get(response["Location"]).content.decode()
    because = "GLAM lead for Northern Europe, load 0/3, and shares Swedish"
    assert f"Offered to Wikimedia Sverige because: {because}" in page
    assert "Timeline" in page
    assert "Withdraw request" in page
    assert "Accept" not in page


def test_request_form_shows_errors_next_to_the_field_and_saves_nothing(world: World) -> None:
    response = logged_in(world.asker).post(
        "/support/new/",
        {
            "requester": "volunteer-ana",
            "need": "co_signing",
            "type": "glam",
            "region": "XX",
            "language": "??",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing called “XX” can be picked here." in page
    assert "is not a BCP 47 language tag" in page
    assert not SupportRequest.objects.exists()


def test_request_form_needs_a_login_and_offers_a_person_without_an_entity_their_profile(world: World) -> None:
    assert Client().get("/support/new/").status_code == 302
    page = logged_in(world.facilitator).get("/support/new/")
    assert page.status_code == 200
    assert "Your individual profile" in page.content.decode()


def test_steward_accepts_from_the_page_and_a_second_tab_gets_a_message(world: World) -> None:
    request = new_request(world)
    first_tab, second_tab = logged_in(world.first_user), logged_in(world.first_user)
    inbox = first_tab.get("/support/inbox/").content.decode()
    assert request.key in inbox
    assert first_tab.post(f"/support/r/{request.key}/accept/").status_code == 302
    followed = second_tab.post(f"/support/r/{request.key}/decline/", {"reason": "No."}, follow=True)
    assert (
        "Cannot decline it: the request is already accepted (Wikimedia Sverige)." in followed.content.decode()
    )
    request.refresh_from_db()
    assert request.status == "accepted"


def test_decline_from_the_page_needs_a_reason_and_passes_it_on(world: World) -> None:
    request = new_request(world)
    client = logged_in(world.first_user)
    client.post(f"/support/r/{request.key}/decline/", {"reason": ""})
    request.refresh_from_db()
    assert request.steward.name == "Wikimedia Sverige"
    client.post(f"/support/r/{request.key}/decline/", {"reason": "Full this month."})
    request.refresh_from_db()
    assert request.steward.name == "Wikimedia Norge"
    assert client.get(f"/support/r/{request.key}/").status_code == 404


def test_strangers_cannot_see_or_act_on_a_request(world: World) -> None:
    request = new_request(world)
    stranger = logged_in(world.second_user)
    assert stranger.get(f"/support/r/{request.key}/").status_code == 404
    assert stranger.post(f"/support/r/{request.key}/accept/").status_code == 404
    assert Client().get(f"/support/r/{request.key}/").status_code == 302


def test_facilitators_queue_lists_what_nobody_holds_and_offers_by_hand(world: World) -> None:
    request = new_request(world)
    services.decline_offer(world.first_user, request.key, "No.")
    services.decline_offer(world.second_user, request.key, "No.")
    assert logged_in(world.asker).get("/support/queue/").status_code == 403
    client = logged_in(world.facilitator)
    assert request.key in client.get("/support/queue/").content.decode()
    page = client.get(f"/support/r/{request.key}/").content.decode()
    assert "Facilitators: find a steward" in page
    client.post(f"/support/r/{request.key}/offer/", {"stewardship": "no-glam"})
    request.refresh_from_db()
    assert request.status == "offered"
    assert request.steward.name == "Wikimedia Norge"


def test_resolve_and_host_from_the_page_then_the_hosted_side_ends_it(world: World) -> None:
    request = new_request(world)
    steward = logged_in(world.first_user)
    steward.post(f"/support/r/{request.key}/accept/")
    steward.post(f"/support/r/{request.key}/start/")
    steward.post(f"/support/r/{request.key}/resolve/", {"outcome": "Agreement co-signed."})
    page = steward.get(f"/support/r/{request.key}/").content.decode()
    assert "Establish hosting" in page
    steward.post(f"/support/r/{request.key}/host/", {"term_end": "2030-12-31"})
    host_page = Client().get("/support/entity/wm-se/").content.decode()
    assert "Hosts Ana (volunteer)" in host_page
    assert "2030-12-31" in host_page
    hosted = logged_in(world.asker)
    hosted_page = hosted.get("/support/entity/volunteer-ana/").content.decode()
    assert "Hosted by Wikimedia Sverige" in hosted_page
    assert "End hosting" in hosted_page
    hosting = request.hostings.get()
    hosted.post(f"/support/hosting/{hosting.pk}/end/", {"reason": "We have our own association now."})
    hosting.refresh_from_db()
    assert hosting.status == "ended"
    assert "ended by Ana (volunteer)" in Client().get("/support/entity/wm-se/").content.decode()


PROPOSAL = {
    "institution": "Uppsala City Museum",
    "kind": "museum",
    "country": "SE",
    "website": "https://museum.example",
    "contact_name": "Eva",
    "contact_email": "eva@museum.example",
    "type": "glam",
    "theme": "",
    "region": "SE",
    "language": "sv",
    "description": "We hold 10,000 photographs.",
    "consent": "on",
    "homepage": "",
}


def test_public_proposal_without_account_is_routed(world: World) -> None:
    cache.clear()
    response = Client().post("/support/propose/", PROPOSAL)
    assert response.status_code == 302
    request = SupportRequest.objects.get()
    assert request.partner.name == "Uppsala City Museum"
    assert request.steward.name == "Wikimedia Sverige"


def test_public_form_honeypot_stores_nothing_and_rate_limit_stops_floods(world: World) -> None:
    cache.clear()
    assert Client().post("/support/propose/", {**PROPOSAL, "homepage": "http://spam"}).status_code == 302
    assert not SupportRequest.objects.exists()
    for _ in range(5):
        assert Client().post("/support/propose/", PROPOSAL).status_code == 302
    blocked = Client().post("/support/propose/", PROPOSAL)
    assert blocked.status_code == 400
    assert "Too many proposals" in blocked.content.decode()
    assert SupportRequest.objects.count() == 5


def test_support_pages_render_for_anonymous_visitors(db: Any) -> None:
    assert Client().get("/support/").status_code == 200
    assert Client().get("/support/propose/").status_code == 200
    assert b'href="/support/"' in Client().get("/").content
