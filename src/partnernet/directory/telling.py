"""Telling people about join requests and claims: the one place where the directory reaches people.

Both sides of a join request or a claim are told of it and of its decision: an in-app notification and an
e-mail in each person's language (``notifications.services.notify``), so every way of telling stays here.
"""

from __future__ import annotations

from collections.abc import Iterable

from partnernet.i18n.sentences import Message
from partnernet.notifications.services import notify


def tell(user_ids: Iterable[int], subject: Message, body: list[Message], url: str = "") -> None:
    """Tell these people (by account id) what happened; the e-mail leaves once the transaction commits."""
    ids = sorted(set(user_ids))
    if ids:
        notify(ids, subject, url, body=body)
