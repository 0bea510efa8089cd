"""Stored sentences: one decision, read by each person in their language; e-mails in each recipient's."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from partnernet.i18n.mail import send_localised
from partnernet.i18n.models import LanguagePreference
from partnernet.i18n.sentences import MESSAGES, message, render
from partnernet.support.models import RequestEvent, SupportRequest
from partnernet.support.services import create_request
from tests.factories import EntityFactory, MembershipFactory, StewardshipFactory, UserFactory, ptype, region

pytestmark = pytest.mark.django_db


def test_a_sentence_renders_in_each_language_with_names_resolved_when_read() -> None:
    sentence = message(
        "routing.for_region",
        role={"message": message("routing.lead", type={"type": "education", "name": "Education"})},
        region={"region": "154", "name": "Northern Europe"},
    )
    assert render(sentence, "en") == "Education lead for Northern Europe"
    assert "Nordeuropa" in render(sentence, "de")
    assert "Bildung" in render(sentence, "de")  # the type's label is read from the taxonomy, not stored


def test_an_unknown_id_is_refused_when_stored_and_an_old_text_row_still_reads() -> None:
    with pytest.raises(KeyError):
        message("no.such.message")
    assert render(None, fallback="routed to X: GLAM lead") == "routed to X: GLAM lead"
    assert render({"id": "gone.id", "params": {}}, fallback="kept") == "kept"


def test_every_message_has_named_placeholders_only() -> None:
    import re

    for key, text in MESSAGES.items():
        assert not re.search(r"%[sd]", str(text)), key


def _routed_request() -> SupportRequest:
    asker = UserFactory(email="asker@example.org")
    requester = EntityFactory(key="asker-entity", name="Ana (volunteer)")
    MembershipFactory(user=asker, entity=requester, role="admin")
    steward_entity = EntityFactory(key="wmse-x", name="Wikimedia Sverige")
    steward_user = UserFactory(email="steward@example.org")
    MembershipFactory(user=steward_user, entity=steward_entity, role="member")
    LanguagePreference.objects.create(user=steward_user, language="de")
    StewardshipFactory(entity=steward_entity, type=ptype("glam"), region=region("154"), languages=["sv"])
    return create_request(
        asker, requester=requester, type=ptype("glam"), region=region("SE"), need="tools", language="sv"
    )


def test_a_routing_decision_is_stored_as_a_sentence_and_each_recipient_reads_their_language(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        request = _routed_request()
    # The API and the command line keep the English text.
    assert request.explanation.startswith("routed to Wikimedia Sverige: GLAM lead")
    assert request.explanation_message["id"] == "routing.routed_to"
    event = RequestEvent.objects.filter(request=request, kind="offered").get()
    assert event.message == request.explanation_message
    by_language = {m.bcc[0]: m for m in mail.outbox}
    assert "Why: GLAM lead for Northern Europe" in by_language["asker@example.org"].body
    german = by_language["steward@example.org"]
    assert "Nordeuropa" in german.body
    assert "schwedisch" in german.body.lower()


def test_the_language_switch_remembers_a_persons_language_for_e_mails(client: Client) -> None:
    user = UserFactory(email="p@example.org")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    assert LanguagePreference.objects.get(user=user).language == "ar"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert LanguagePreference.objects.get(user=user).language == "ar"


def test_send_localised_groups_recipients_by_language(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    french, english = UserFactory(email="fr@example.org"), UserFactory(email="en@example.org")
    LanguagePreference.objects.create(user=french, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_localised(
            message("mail.started.subject"),
            [message("mail.started.body")],
            user_ids=[french.pk, english.pk],
            addresses={"guest@example.org": "fr-CA"},
        )
    assert sent == 2
    groups = {tuple(m.bcc): m.subject for m in mail.outbox}
    assert groups[("en@example.org",)] == "[Partnernet] Work started on your support request"
    assert set(groups) == {("en@example.org",), ("fr@example.org", "guest@example.org")}
