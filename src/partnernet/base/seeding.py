"""Loading rows that every instance (reference data) or every demo holds identically, idempotently.

A seeded row's UUID is derived from its kind and key (``seed_uuid``), so the same row has the same global id
on every instance and a second load finds it; ``upsert`` writes only what differs, so loading twice changes
nothing. The loaders themselves belong to the apps whose rows they load and to ``exchange``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

SEED_NAMESPACE = uuid.UUID("0b6f2c1e-4d1a-5c55-9a57-70a7e1e7d5a1")


def seed_uuid(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(SEED_NAMESPACE, f"{kind}:{key}")


@dataclass
class SeedCounts:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, outcome: str) -> None:
        target = self.created if outcome == "created" else self.updated if outcome == "updated" else None
        if target is not None:
            target[label] = target.get(label, 0) + 1


def upsert(
    model: type[Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    m2m: dict[str, list[int]] | None = None,
) -> tuple[Any, str]:
    """Create the row, or update it only where it differs; returns the row and created/updated/unchanged."""
    obj = model._default_manager.filter(**lookup).first()
    outcome = "unchanged"
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        outcome = "created"
    elif any(getattr(obj, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
        outcome = "updated"
    for name, ids in (m2m or {}).items():
        manager = getattr(obj, name)
        if set(manager.values_list("pk", flat=True)) != set(ids):
            manager.set(ids)
            outcome = "updated" if outcome == "unchanged" else outcome
    return obj, outcome
