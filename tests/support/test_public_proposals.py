"""An institution proposes a partnership: consent, reference, steward's name, private link, duplicates."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from partnernet.audit.models import AuditEvent
from partnernet.directory.models import Partner
from partnernet.support import services
from partnernet.support.models import SupportRequest
from partnernet.support.selectors import matching_partners
from tests.factories import PartnerFactory, UserFactory, ptype, region
from tests.support.conftest import World

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "institution": "Tropenmuseum",
    "kind": "museum",
    "country": "SE",
    "website": "https://museum.example",
    "wikidata": "",
    "contact_name": "Eva Berg",
    "contact_email": "eva@museum.example",
    "type": "glam",
    "theme": "",
    "region": "SE",
    "language": "sv",
    "description": "We hold 10,000 photographs.",
    "consent": "on",
    "homepage": "",
}


@pytest.fixture(autouse=True)
def no_rate_limit() -> None:
    cache.clear()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _propose(**overrides: Any) -> SupportRequest:
    values: dict[str, Any] = {
        "institution": "Tropenmuseum",
        "kind": "museum",
        "country": region("SE"),
        "website": "",
        "contact_name": "Eva",
        "contact_email": "eva@museum.example",
        "consent": True,
        "type": ptype("glam"),
        "region": region("SE"),
    }
    values.update(overrides)
    return services.submit_public_proposal(**values)


def test_thank_you_gives_the_reference_the_steward_and_the_private_link(world: World) -> None:
    client = Client()
    response = client.post("/support/propose/", PROPOSAL, follow=True)
    request = SupportRequest.objects.get()
    page = response.content.decode()
    assert request.key in page
    assert "Wikimedia Sverige" in page
    assert request.follow_path in page
    assert AuditEvent.objects.filter(
        verb="submit_public_proposal", changes__contact_consent=[None, True]
    ).exists()


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("consent", "", "Without your agreement the steward cannot write back"),
        ("contact_email", "not an address", "Enter a valid email address."),
        ("institution", "", "This field is required."),
        ("contact_name", "", "This field is required."),
        ("wikidata", "Tropenmuseum", "A Wikidata item looks like Q190804."),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(
    world: World, field: str, value: str, problem: str
) -> None:
    data = {**PROPOSAL, field: value}
    if not value:
        data.pop(field)
    response = Client().post("/support/propose/", data)
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not SupportRequest.objects.exists()
    assert not Partner.objects.filter(name="Tropenmuseum").exists()


def test_the_service_refuses_without_consent(world: World) -> None:
    with pytest.raises(services.WorkflowError):
        _propose(consent=False)
    assert not SupportRequest.objects.exists()


def test_the_contact_gets_the_private_link_by_email(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = _propose()
    to_contact = [m for m in mail.outbox if "eva@museum.example" in m.bcc]
    assert len(to_contact) == 1
    assert request.follow_path in to_contact[0].body
    assert "Wikimedia Sverige" in to_contact[0].subject
    members = [m for m in mail.outbox if "steward@wmse.example" in m.bcc]
    assert request.follow_path not in members[0].body


def test_the_private_link_shows_the_state_and_a_wrong_token_nothing(world: World) -> None:
    request = _propose()
    page = Client().get(request.follow_path)
    assert page.status_code == 200
    assert "Wikimedia Sverige" in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    wrong = request.follow_path.replace(request.follow_token, "0" * 40)
    assert Client().get(wrong).status_code == 404
    assert len(request.follow_token) == 40


def test_only_the_steward_and_facilitators_see_the_contact(world: World) -> None:
    request = _propose()
    path = f"/support/r/{request.key}/"
    assert "eva@museum.example" in _client(world.first_user).get(path).content.decode()
    assert "eva@museum.example" in _client(world.facilitator).get(path).content.decode()
    assert _client(world.second_user).get(path).status_code == 404
    assert _client(world.asker).get(path).status_code == 404
    assert _client(UserFactory()).get(path).status_code == 404


def test_a_close_name_or_the_same_qid_is_offered_and_linking_removes_the_new_record(world: World) -> None:
    recorded = PartnerFactory(key="tropenmuseum", name="Tropenmuseum Amsterdam", kind="museum")
    by_qid = PartnerFactory(key="tm-qid", name="Museum of the Tropics", kind="museum", wikidata="Q1131589")
    PartnerFactory(key="other", name="Rijksmuseum", kind="museum")
    request = _propose(wikidata="Q1131589")
    made = request.partner
    assert [p.key for p in matching_partners(made)] == ["tm-qid", "tropenmuseum"]
    steward = _client(world.first_user)
    page = steward.get(f"/support/r/{request.key}/").content.decode()
    assert "Link to Tropenmuseum Amsterdam" in page
    assert "Rijksmuseum" not in page
    steward.post(f"/support/r/{request.key}/link-partner/", {"partner": recorded.pk})
    request.refresh_from_db()
    assert request.partner == recorded
    assert not Partner.objects.filter(pk=made.pk).exists()
    assert AuditEvent.objects.filter(verb="link_partner").count() == 1
    with pytest.raises(services.WorkflowError, match="already linked"):
        services.link_partner(world.first_user, request.key, by_qid)
    request.refresh_from_db()
    assert request.partner == recorded


def test_nobody_else_links_and_a_partner_not_offered_is_refused(world: World) -> None:
    PartnerFactory(key="tropenmuseum", name="Tropen museum", kind="museum")
    unrelated = PartnerFactory(key="other", name="Rijksmuseum", kind="museum")
    request = _propose()
    made = request.partner
    assert (
        _client(world.second_user)
        .post(f"/support/r/{request.key}/link-partner/", {"partner": unrelated.pk})
        .status_code
        == 404
    )
    _client(world.first_user).post(f"/support/r/{request.key}/link-partner/", {"partner": unrelated.pk})
    request.refresh_from_db()
    assert request.partner == made


def test_partner_pages_link_to_the_form_filled_in(world: World) -> None:
    PartnerFactory(key="tropenmuseum", name="Tropenmuseum", kind="museum", wikidata="Q1131589")
    assert (
        "/support/propose/?partner=tropenmuseum"
        in Client().get("/directory/partners/tropenmuseum/").content.decode()
    )
    form = Client().get("/support/propose/?partner=tropenmuseum").content.decode()
    assert 'value="Q1131589"' in form
    assert "/support/propose/" in Client().get("/").content.decode()
    assert "/support/propose/" in Client().get("/directory/entities/").content.decode()
