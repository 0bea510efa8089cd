"""Remembering the language a person chose."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from partnernet.audit.services import record
from partnernet.i18n.models import LanguagePreference


@transaction.atomic
def remember_language(user: Any, language: str) -> None:
    """Keep ``language`` (a UI language) as the person's language for e-mails; other values are ignored."""
    if not getattr(user, "is_authenticated", False) or language not in dict(settings.LANGUAGES):
        return
    preference, created = LanguagePreference.objects.get_or_create(user=user, defaults={"language": language})
    if not created and preference.language != language:
        before = preference.language
        preference.language = language
        preference.save(update_fields=["language", "updated_at"])
        record(user, "update", "remember_language", preference, {"language": [before, language]})
    elif created:
        record(user, "create", "remember_language", preference)
