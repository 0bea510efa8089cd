"""notify stores a notification per person and e-mails them; mark_read touches only the person's own."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from partnernet.i18n.models import LanguagePreference
from partnernet.i18n.sentences import message
from partnernet.notifications.models import Notification
from partnernet.notifications.selectors import unread_count
from partnernet.notifications.services import mark_read, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_stores_one_per_person_and_mails_them_in_their_language(
    django_capture_on_commit_callbacks: Any,
) -> None:
    ana = UserFactory(email="ana@example.org")
    bo = UserFactory(email="bo@example.org")
    LanguagePreference.objects.create(user=bo, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        made = notify(
            [ana, bo.pk, ana],
            message("mail.started.subject"),
            "/support/r/r-1/",
            body=[message("mail.started.body")],
        )
    assert sorted(n.user_id for n in made) == sorted([ana.pk, bo.pk])
    assert Notification.objects.get(user=ana).url == "/support/r/r-1/"
    by_address = {m.bcc[0]: m for m in mail.outbox}
    assert set(by_address) == {"ana@example.org", "bo@example.org"}
    assert by_address["ana@example.org"].subject == "[Partnernet] Work started on your support request"
    assert by_address["bo@example.org"].subject != by_address["ana@example.org"].subject
    assert "/support/r/r-1/" in by_address["ana@example.org"].body


def test_inactive_people_are_not_told_and_email_false_stores_only(
    django_capture_on_commit_callbacks: Any,
) -> None:
    gone = UserFactory(email="gone@example.org", is_active=False)
    here = UserFactory(email="here@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        notify([gone, here], message("mail.started.subject"), email=False)
    assert list(Notification.objects.values_list("user_id", flat=True)) == [here.pk]
    assert mail.outbox == []


def test_people_without_an_account_get_the_mail_only(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify([], message("mail.started.subject"), addresses={"curator@museum.example": "sv"})
    assert Notification.objects.count() == 0
    assert mail.outbox[0].bcc == ["curator@museum.example"]


def test_a_rollback_takes_the_notifications_back() -> None:
    person = UserFactory()

    def tell_then_fail() -> None:
        with transaction.atomic():
            notify([person], message("mail.started.subject"))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        tell_then_fail()
    assert Notification.objects.count() == 0


def test_mark_read_marks_only_the_persons_own() -> None:
    ana, bo = UserFactory(), UserFactory()
    first, _second = [notify([ana], message("mail.started.subject"))[0] for _ in range(2)]
    (other,) = notify([bo], message("mail.started.subject"))
    assert mark_read(ana, [first.pk, other.pk]) == 1
    assert unread_count(ana) == 1
    assert unread_count(bo) == 1
    assert mark_read(ana) == 1
    assert unread_count(ana) == 0
