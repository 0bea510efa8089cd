"""The operators' peers page, and a partner reconciled across instances by its Wikidata QID."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from partnernet.base.identity import instance_id
from partnernet.directory.models import Entity
from partnernet.federation.models import ForeignRecord, Peer
from partnernet.federation.selectors import partner_across_instances
from tests.factories import EntityFactory, PartnerFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

FAR = "pn-far-away"


@pytest.fixture
def peer() -> Peer:
    return Peer.objects.create(
        instance_id=FAR,
        base_url="http://far.example",
        public_key="A" * 43 + "=",
        fingerprint="ab" * 32,
        cursor=40,
        remote_head=55,
        failures=2,
        last_error="network error: connection refused",
        last_success_at=timezone.now(),
    )


def test_peers_page_is_for_facilitators_only(client: Client, peer: Peer) -> None:
    assert client.get("/federation/peers/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/federation/peers/").status_code == 403


def test_peers_page_shows_last_sync_lag_errors_and_records_held(client: Client, peer: Peer) -> None:
    ForeignRecord.objects.create(
        origin=FAR, uuid="7d7a3b5e-1f7e-4f7e-9b1a-0a0a0a0a0a0a", kind="entities", sequence=3
    )
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get("/federation/peers/").content.decode()
    assert FAR in page
    assert "network error: connection refused" in page
    assert ">15<" in page  # lag: 55 - 40
    assert "1 entities" in page
    assert "pn-badge-foreign" in page
    assert instance_id() in page


def test_the_same_museum_on_two_instances_is_one_partner_with_both_partnerships(client: Client) -> None:
    local = PartnerFactory(name="Nordiska museet", wikidata="Q1146494")
    copy = PartnerFactory(name="Nordic Museum", wikidata="Q1146494", origin=FAR)
    ours = PartnershipFactory(title="Our upload")
    ours.partners.add(local)
    theirs = PartnershipFactory(title="Their edit-a-thon", origin=FAR, lead=EntityFactory(origin=FAR))
    theirs.partners.add(copy)
    hidden = PartnershipFactory(title="Their private talks", origin=FAR, visibility="private")
    hidden.partners.add(copy)
    partner = partner_across_instances("Q1146494", None)
    assert partner is not None
    assert partner.origins == sorted([instance_id(), FAR])
    assert {p.title for p in partner.partnerships} == {"Our upload", "Their edit-a-thon"}
    page = client.get("/federation/partners/Q1146494/").content.decode()
    assert "Our upload" in page
    assert "Their edit-a-thon" in page
    assert "Their private talks" not in page
    assert f"from {FAR}" in page
    assert client.get("/federation/partners/Q1/").status_code == 404


def test_a_peers_record_opens_read_only_in_the_admin_with_its_origin(client: Client) -> None:
    copy = EntityFactory(origin=FAR, name="Far chapter")
    own = EntityFactory(name="Our chapter")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(f"/admin/directory/entity/{copy.pk}/change/").content.decode()
    assert f"read-only copy from {FAR}" in page
    assert 'name="_save"' not in page
    assert client.post(f"/admin/directory/entity/{copy.pk}/change/", {"name": "Hijacked"}).status_code == 403
    assert 'name="_save"' in client.get(f"/admin/directory/entity/{own.pk}/change/").content.decode()


def test_the_partner_page_lists_every_instances_partnerships_with_the_same_institution(
    client: Client,
) -> None:
    local = PartnerFactory(name="Nordiska museet", wikidata="Q1146494")
    copy = PartnerFactory(name="Nordic Museum", wikidata="Q1146494", origin=FAR, key=local.key)
    other = PartnerFactory(name="Unrelated archive", origin=FAR)
    PartnershipFactory(title="Our upload").partners.add(local)
    far_lead = EntityFactory(origin=FAR, name="Far chapter")
    theirs = PartnershipFactory(title="Their edit-a-thon", origin=FAR, lead=far_lead)
    theirs.partners.add(copy)
    PartnershipFactory(title="Their private talks", origin=FAR, visibility="private").partners.add(copy)
    PartnershipFactory(title="Elsewhere", origin=FAR, lead=far_lead).partners.add(other)
    page = client.get(f"/directory/partners/{local.key}/").content.decode()
    assert "Our upload" in page
    assert "Their edit-a-thon" in page
    assert "Far chapter" in page  # two entities see they approach the same museum
    assert "Their private talks" not in page
    assert "Elsewhere" not in page
    assert f"from {FAR}" in page
    assert f"/partnerships/{theirs.key}/?origin={FAR}" in page
    assert "/federation/partners/Q1146494/" in page
    from_far = client.get(f"/directory/partners/{copy.key}/?origin={FAR}").content.decode()
    assert "Nordic Museum" in from_far
    assert "Our upload" in from_far


def test_a_partner_without_a_qid_lists_only_its_own_partnerships(client: Client) -> None:
    museum = PartnerFactory(name="Small museum", wikidata="")
    namesake = PartnerFactory(name="Small museum", wikidata="", origin=FAR, key=museum.key)
    PartnershipFactory(title="Ours").partners.add(museum)
    PartnershipFactory(title="Namesake's", origin=FAR).partners.add(namesake)
    page = client.get(f"/directory/partners/{museum.key}/").content.decode()
    assert "Ours" in page
    assert "Namesake's" not in page
    assert "Recorded on" not in page


def test_a_facilitator_suspends_resumes_and_removes_a_peer_from_the_page_with_csrf(peer: Peer) -> None:
    from django.test import Client as CsrfClient

    browser = CsrfClient(enforce_csrf_checks=True)
    browser.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = browser.get("/federation/peers/")
    assert "Suspend" in page.content.decode()
    token = page.cookies["csrftoken"].value
    assert browser.post(f"/federation/peers/{peer.pk}/suspend").status_code == 403  # no CSRF token
    answer = browser.post(f"/federation/peers/{peer.pk}/suspend", {"csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    peer.refresh_from_db()
    assert peer.suspended_at is not None
    assert "Resume" in browser.get("/federation/peers/").content.decode()
    browser.post(f"/federation/peers/{peer.pk}/resume", {"csrfmiddlewaretoken": token})
    peer.refresh_from_db()
    assert peer.suspended_at is None
    EntityFactory(origin=FAR, key="far-entity")
    confirm = browser.get(f"/federation/peers/{peer.pk}/remove").content.decode()
    assert "entities" in confirm
    browser.post(f"/federation/peers/{peer.pk}/remove", {"csrfmiddlewaretoken": token})
    assert not Peer.objects.filter(pk=peer.pk).exists()
    assert not Entity.objects.filter(origin=FAR).exists()


def test_people_who_are_not_facilitators_cannot_act_on_peers(client: Client, peer: Peer) -> None:
    client.force_login(UserFactory())
    assert client.post(f"/federation/peers/{peer.pk}/suspend").status_code == 403
    peer.refresh_from_db()
    assert peer.suspended_at is None
