"""Taxonomy names per language: seeded, edited by facilitators, carried by the agreement process."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from partnernet.audit.models import AuditEvent
from partnernet.framework.models import PartnershipType, Theme
from partnernet.framework.services import close_proposal, open_proposal, set_term_labels
from tests.factories import UserFactory, ptype, theme
from tests.framework.agreement import after_closing, entity_with_admin, vote

pytestmark = pytest.mark.django_db


def _facilitator() -> object:
    from django.contrib.auth.models import Group

    from partnernet.directory.rules import FACILITATORS

    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=FACILITATORS)[0])
    return user


def test_the_seed_ships_names_in_every_ui_language() -> None:
    assert ptype("education").labels["fr"] == "Éducation"
    assert theme("cultural_heritage").labels["ar"] == "التراث الثقافي"
    for code in ("fr", "es", "ar", "de", "pt-br"):
        assert all(code in t.labels for t in PartnershipType.objects.filter(origin="seed"))
        assert all(code in t.labels for t in Theme.objects.filter(origin="seed"))
    with translation.override("de"):
        assert ptype("education").label == "Bildung"
    with translation.override("pt-br"):
        assert theme("health").label == "Saúde"
    with translation.override("sv"):  # no label in Swedish: the stored English name
        assert theme("health").label == "Health"


def test_a_facilitator_translates_a_term_and_the_change_is_audited() -> None:
    set_term_labels(_facilitator(), theme("science"), {"fr": "Science ouverte", "de": ""})
    science = theme("science")
    assert science.labels["fr"] == "Science ouverte"
    assert "de" not in science.labels
    assert AuditEvent.objects.filter(verb="set_term_labels", object_pk=str(science.pk)).exists()
    with pytest.raises(PermissionDenied):
        set_term_labels(UserFactory(), science, {"fr": "x"})


def test_the_terms_page_lists_names_and_only_facilitators_edit(client: Client) -> None:
    page = client.get(reverse("framework:terms")).content.decode()
    assert "Éducation" in page
    url = reverse("framework:term_labels", args=["theme", "science"])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(_facilitator())
    response = client.post(url, {"label_fr": "Sciences ouvertes", "label_ar": "العلوم المفتوحة"})
    assert response.status_code == 302
    assert theme("science").labels["ar"] == "العلوم المفتوحة"
    client.cookies["partnernet_language"] = "ar"
    assert "العلوم المفتوحة" in client.get(reverse("framework:terms")).content.decode()


def test_a_new_term_and_a_rename_carry_their_names_through_the_agreement_process() -> None:
    user, entity = entity_with_admin()
    added = open_proposal(
        user,
        proposer=entity,
        kind="add_term",
        title="Games",
        rationale="R",
        data={
            "subject": "type",
            "new_key": "games",
            "name": "Games",
            "labels": {"fr": "Jeux", "es": "Juegos"},
        },
    )
    vote(added, *["support"] * 5)
    assert close_proposal(added.pk, now=after_closing(added)).outcome == "accepted"  # type: ignore[union-attr]
    assert ptype("games").labels == {"fr": "Jeux", "es": "Juegos"}
    renamed = open_proposal(
        user,
        proposer=entity,
        kind="rename_term",
        title="Media",
        rationale="R",
        data={
            "subject": "type",
            "term": "media",
            "name": "Media and broadcasting",
            "labels": {"fr": "Médias"},
        },
    )
    vote(renamed, *["support"] * 5)
    assert close_proposal(renamed.pk, now=after_closing(renamed)).outcome == "accepted"  # type: ignore[union-attr]
    media = ptype("media")
    assert media.name == "Media and broadcasting"
    assert media.labels["fr"] == "Médias"
    assert media.labels["de"] == "Medien"  # languages the proposal left alone keep their name


def test_bad_language_tags_in_a_proposal_are_refused_next_to_the_field() -> None:
    from django.core.exceptions import ValidationError

    user, entity = entity_with_admin()
    with pytest.raises(ValidationError) as refused:
        open_proposal(
            user,
            proposer=entity,
            kind="add_term",
            title="T",
            rationale="R",
            data={"subject": "theme", "new_key": "x", "name": "X", "labels": {"not a tag": "Y"}},
        )
    assert "labels" in refused.value.message_dict
