"""Telling people what happened: one call stores an in-app notification for each person and e-mails them.

Every app that tells someone something calls :func:`notify` (never ``send_localised`` directly for people
with an account), so everything e-mailed also waits in the app, with an unread count in the header::

    from partnernet.i18n.sentences import message
    from partnernet.notifications.services import notify

    notify(user_ids, message("mail.accepted.subject", steward=name), f"/support/r/{key}/",
           body=[message("mail.accepted.body", steward=name)])

- ``users``: people (user objects or their ids); inactive accounts and duplicates are skipped.
- ``sentence``: a stored sentence (``i18n.sentences.message``), the notification's text and the e-mail's
  subject, each read in the reader's language.
- ``url``: where the notification leads, a path of this site (``/support/r/r-1/``); its full address is
  added at the end of the e-mail unless the body already gives it.
- ``body``: further stored sentences, the e-mail's paragraphs (also shown under the notification).
- ``email=False`` stores the notifications only; ``addresses`` e-mails people without an account (address →
  language tag they wrote in), who get no in-app notification; ``each``, ``prefix`` and ``fail_silently``
  are ``send_localised``'s.

The notifications are written in the caller's transaction (a rollback takes them back); the e-mails leave
after it commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from partnernet.i18n.mail import SUBJECT_PREFIX, send_localised
from partnernet.i18n.sentences import Message, message
from partnernet.notifications.models import Notification


def _user_ids(users: Iterable[Any]) -> list[int]:
    ids = {int(getattr(user, "pk", user)) for user in users if user is not None}
    active = get_user_model().objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True)
    return sorted(active)


def _mentions(body: Sequence[Message], text: str) -> bool:
    return any(text in str(item.get("params", {})) for item in body)


def notify(
    users: Iterable[Any],
    sentence: Message,
    url: str = "",
    *,
    body: Sequence[Message] = (),
    email: bool = True,
    addresses: dict[str, str] | None = None,
    each: bool = False,
    prefix: str = SUBJECT_PREFIX,
    fail_silently: bool = True,
) -> list[Notification]:
    """Store ``sentence`` for each of ``users`` and (``email``) e-mail it; returns what was stored."""
    ids = _user_ids(users)
    details = list(body)
    made = Notification.objects.bulk_create(
        [Notification(user_id=pk, sentence=sentence, details=details, url=url[:500]) for pk in ids],
    )
    if email and (ids or addresses):
        paragraphs = list(details)
        if url:
            link = url if url.startswith(("http://", "https://")) else settings.BASE_URL + url
            if not _mentions(details, link):
                paragraphs.append(message("text", text=link))
        send_localised(
            sentence,
            paragraphs,
            user_ids=ids,
            addresses=addresses,
            each=each,
            prefix=prefix,
            fail_silently=fail_silently,
        )
    return made


@transaction.atomic
def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications ``ids`` (all of them when ``None``) read; returns how many changed.
    Ids of other people's notifications are ignored."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
