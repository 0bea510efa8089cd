"""The notification pages: the list, opening one, marking read, the header's unread count."""

from __future__ import annotations

import pytest
from django.test import Client

from partnernet.i18n.sentences import message
from partnernet.notifications.models import Notification
from partnernet.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_header_shows_the_unread_count_and_the_list_shows_the_sentence() -> None:
    person = UserFactory()
    notify([person], message("mail.accepted.subject", steward="Wikimedia Sverige"), "/support/", email=False)
    client = _client(person)
    home = client.get("/").content.decode()
    assert "1 unread" in home
    page = client.get("/notifications/").content.decode()
    assert "Support request accepted by Wikimedia Sverige" in page


def test_the_list_is_in_the_readers_language() -> None:
    person = UserFactory()
    notify([person], message("mail.started.subject"), email=False)
    page = _client(person).get("/notifications/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Work started on your support request" not in page


def test_opening_a_notification_marks_it_read_and_follows_its_link() -> None:
    person = UserFactory()
    (made,) = notify([person], message("mail.started.subject"), "/support/", email=False)
    response = _client(person).get(f"/notifications/{made.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/support/"
    made.refresh_from_db()
    assert made.is_read


def test_nobody_opens_or_marks_another_persons_notification() -> None:
    owner, other = UserFactory(), UserFactory()
    (made,) = notify([owner], message("mail.started.subject"), "/support/", email=False)
    client = _client(other)
    assert client.get(f"/notifications/{made.pk}/").status_code == 404
    client.post("/notifications/read/", {"id": made.pk})
    client.post("/notifications/read/")
    made.refresh_from_db()
    assert not made.is_read


def test_mark_all_read_then_go_back_only_to_this_site() -> None:
    person = UserFactory()
    notify([person], message("mail.started.subject"), email=False)
    client = _client(person)
    response = client.post("/notifications/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_anonymous_people_are_sent_to_the_login() -> None:
    response = Client().get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
