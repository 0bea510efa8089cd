"""The last check before the database: no text longer than its limit is saved, whichever path wrote it.

Cleaners (``base.fields``), forms and API schemas each state their limits and answer with the field's name;
this check catches what they missed, on every ``save()`` of every model, so that a too-long value becomes a
``ValidationError`` naming the field — never a database error (PostgreSQL and MariaDB refuse an over-long
``varchar``; SQLite would store a million characters). A column of fixed width is limited by its width, a
``TextField`` by ``TEXT_LIMIT``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from partnernet.base.fields import TEXT_LIMIT

MACHINE_TEXT = {"document", "last_error", "problem", "explanation", "message"}
"""Text columns written by the instance itself, never typed by a person: signed documents (bounded by the
federation body limit), error reports, routing explanations. They keep no character limit."""


def limit_of(field: models.Field[Any, Any]) -> int | None:
    """The most characters a model field may hold, or None when it is not limited here."""
    if isinstance(field, models.CharField):
        return field.max_length or TEXT_LIMIT
    if isinstance(field, models.TextField):
        if field.max_length:
            return int(field.max_length)
        own = field.model.__module__.startswith("partnernet.")
        return TEXT_LIMIT if own and field.name not in MACHINE_TEXT else None
    return None


def too_long(instance: models.Model) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for field in instance._meta.concrete_fields:
        limit = limit_of(field)
        if limit is None:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and len(value) > limit:
            problems[field.name] = [f"is longer than {limit} characters"]
    return problems


def check_lengths(sender: type[models.Model], instance: models.Model, raw: bool = False, **_: Any) -> None:
    """``pre_save`` receiver: refuse the save before it reaches the database."""
    if raw:
        return
    problems = too_long(instance)
    if problems:
        raise ValidationError(problems)


def limited_formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> Any:
    """A model form's field with the model field's limit (``Meta.formfield_callback``): a ``TextField``
    gets ``TEXT_LIMIT``, so the form says "at most N characters" instead of the last check refusing."""
    limit = limit_of(db_field)
    if limit is not None and isinstance(db_field, models.TextField):
        kwargs.setdefault("max_length", limit)
    return db_field.formfield(**kwargs)
