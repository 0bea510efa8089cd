"""Writing audit events. Call ``record`` inside the same transaction as the change it describes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from partnernet.audit.models import AuditEvent


def _plain(value: Any) -> Any:
    """JSON-friendly form of a field value (model instances by their string, dates as ISO)."""
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    return value


def snapshot(obj: Model, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The values of ``fields`` now, to diff against after a change."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def record(
    actor: Any,
    action: str,
    verb: str,
    obj: Model,
    changes: dict[str, list[Any]] | None = None,
    label: str | None = None,
) -> AuditEvent:
    """Append one event: ``actor`` (a user, or None for the system), what happened, to which object.

    ``label`` replaces the object's own name where that name is personal data (a deleted account).
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    who = user.get_username() if user is not None else ("system" if actor is None else str(actor))
    return AuditEvent.objects.create(
        actor=user,
        actor_label=who[:200],
        action=action,
        verb=verb[:100],
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_pk=str(obj.pk),
        object_label=(str(obj) if label is None else label)[:300],
        changes={key: [_plain(a), _plain(b)] for key, (a, b) in (changes or {}).items()},
    )
