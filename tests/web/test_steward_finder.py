"""Find a steward: the stewards of a place and a type, ranked exactly as routing ranks them, each with a way
to ask it; unknown codes are errors on the page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from partnernet.core.routing import RoutingRequest
from partnernet.support.candidates import route_candidates
from partnernet.support.models import SupportRequest
from tests.factories import EntityFactory, MembershipFactory, StewardshipFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def stewards() -> dict[str, object]:
    sweden = EntityFactory(
        key="wm-se", name="Wikimedia Sverige", kind="chapter", website="https://wikimedia.se/"
    )
    nordic = EntityFactory(key="wm-no", name="Wikimedia Norge", kind="chapter")
    europe = EntityFactory(key="wm-eu", name="Europe group", kind="user_group")
    StewardshipFactory(key="se-glam", entity=sweden, region=region("SE"), level="lead")
    StewardshipFactory(key="no-glam", entity=nordic, region=region("154"), level="co_lead")
    StewardshipFactory(key="eu-glam", entity=europe, region=region("150"), level="supporter")
    return {"sweden": sweden}


def test_the_finder_ranks_exactly_as_routing_does(client: Client, stewards: dict[str, object]) -> None:
    page = client.get(reverse("web:find_steward"), {"place": "se", "type": "glam"})
    assert page.status_code == 200
    html = page.content.decode()
    expected = [c.entity_name for c in route_candidates(RoutingRequest("glam", None, "SE"))]
    assert expected == ["Wikimedia Sverige", "Wikimedia Norge", "Europe group"]
    positions = [html.index(name) for name in expected]
    assert positions == sorted(positions)
    assert "https://wikimedia.se/" in html
    assert "Log in to ask this steward" in html
    assert "steward%3Dse-glam" in html  # the login's next leads to the request form, steward chosen


def test_a_member_asking_from_the_finder_is_not_offered_its_own_stewardship(
    client: Client, stewards: dict[str, object]
) -> None:
    client.force_login(MembershipFactory(entity=stewards["sweden"]).user)
    html = client.get(reverse("web:find_steward"), {"place": "SE", "type": "glam"}).content.decode()
    assert "Wikimedia Norge" in html
    assert "steward=se-glam" not in html


def test_asking_a_chosen_steward_offers_it_the_request(client: Client, stewards: dict[str, object]) -> None:
    asker = MembershipFactory(entity=EntityFactory(key="ana", kind="individual")).user
    client.force_login(asker)
    form = client.get(reverse("support:new"), {"type": "glam", "region": "SE", "steward": "eu-glam"})
    assert 'value="eu-glam"' in form.content.decode()
    sent = client.post(
        reverse("support:new"),
        {"requester": "ana", "need": "tools", "type": "glam", "region": "SE", "description": "Photos",
         "steward": "eu-glam"},
    )  # fmt: skip
    assert sent.status_code == 302
    request = SupportRequest.objects.get()
    assert request.stewardship.key == "eu-glam"
    assert "asked for by the requester" in request.explanation


def test_unknown_codes_are_field_errors_not_an_empty_list(
    client: Client, stewards: dict[str, object]
) -> None:
    page = client.get(reverse("web:find_steward"), {"place": "ZZ", "type": "glam"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Nothing called “ZZ” can be picked here" in html
    assert 'aria-invalid="true"' in html


def test_the_directory_tells_based_in_from_serves(client: Client, stewards: dict[str, object]) -> None:
    url = reverse("directory:entities")
    based = client.get(url, {"region": "SE"}).content.decode()
    serves = client.get(url, {"serves": "NO"}).content.decode()
    assert "Wikimedia Sverige" in based  # the factory's entities are based in Sweden
    assert "Wikimedia Norge" in serves
    assert "Europe group" in serves
    assert "Wikimedia Sverige" not in serves
    part = client.get(url, {"serves": "150", "type": "glam"}).content.decode()
    assert all(name in part for name in ("Wikimedia Sverige", "Wikimedia Norge", "Europe group"))
    unknown = client.get(url, {"serves": "XX"}).content.decode()
    assert "Nothing called “XX” can be picked here" in unknown
    assert "No entity matches these filters." in unknown
