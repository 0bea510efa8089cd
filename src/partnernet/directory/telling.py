"""Telling people about join requests and claims: the one place where the directory reaches people.

Both sides of a join request or a claim are told of it and of its decision. Today that is an e-mail in each
person's language; an in-app notification belongs here too, so every way of telling stays in one function.
"""

from __future__ import annotations

from collections.abc import Iterable

from partnernet.i18n.mail import send_localised
from partnernet.i18n.sentences import Message


def tell(user_ids: Iterable[int], subject: Message, body: list[Message]) -> None:
    """Tell these people (by account id) what happened, once the current transaction commits."""
    ids = sorted(set(user_ids))
    if ids:
        send_localised(subject, body, user_ids=ids)
