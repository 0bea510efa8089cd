"""E-mails in each recipient's language.

One notification reaches people who read different languages, so it is rendered once per language from
stored sentences (``partnernet.i18n.sentences``) and sent to each group of recipients (blind copies), after
the transaction that caused it has committed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import get_supported_language_variant

from partnernet.i18n.models import LanguagePreference
from partnernet.i18n.sentences import Message, render

SUBJECT_PREFIX = "[Partnernet] "


def ui_language(tag: str | None) -> str:
    """The UI language closest to ``tag`` (``pt-PT`` → ``pt-br``); the default language when none is close."""
    if tag:
        try:
            return get_supported_language_variant(tag.lower())
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


def recipients_by_language(
    user_ids: Iterable[int], addresses: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """E-mail addresses grouped by the language to write to them in: a person's chosen language, else the
    default; ``addresses`` adds people without an account (address → language tag they wrote in)."""
    ids = set(user_ids)
    chosen = dict(LanguagePreference.objects.filter(user_id__in=ids).values_list("user_id", "language"))
    groups: dict[str, set[str]] = defaultdict(set)
    for pk, email in get_user_model().objects.filter(pk__in=ids).exclude(email="").values_list("pk", "email"):
        groups[ui_language(chosen.get(pk))].add(email)
    for email, tag in (addresses or {}).items():
        if email:
            groups[ui_language(tag)].add(email)
    return {language: sorted(emails) for language, emails in groups.items()}


def compose(
    subject: Message, body: list[Message], language: str, prefix: str = SUBJECT_PREFIX
) -> tuple[str, str]:
    """The subject and body in ``language``; body paragraphs are separated by a blank line."""
    text = "\n\n".join(part for part in (render(item, language) for item in body) if part)
    return prefix + render(subject, language), text.rstrip("\n") + "\n"


def send_localised(
    subject: Message,
    body: list[Message],
    *,
    user_ids: Iterable[int] = (),
    addresses: dict[str, str] | None = None,
    fail_silently: bool = True,
    each: bool = False,
    prefix: str = SUBJECT_PREFIX,
) -> int:
    """Send one message per language (blind copies), or with ``each`` one per recipient, once the current
    transaction commits; returns how many messages are queued."""
    groups = recipients_by_language(user_ids, addresses)
    messages = []
    for language, emails in sorted(groups.items()):
        title, text = compose(subject, body, language, prefix)
        if each:
            messages += [EmailMessage(subject=title, body=text, to=[email]) for email in emails]
        else:
            messages.append(EmailMessage(subject=title, body=text, bcc=emails))
    for item in messages:
        transaction.on_commit(lambda item=item: item.send(fail_silently=fail_silently))  # type: ignore[misc]
    return len(messages)
