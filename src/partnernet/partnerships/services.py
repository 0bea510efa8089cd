"""Writes to the partnership registry: each use case is one transaction that also writes its audit event."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify

from partnernet.audit.services import diff, record, snapshot
from partnernet.federation.selectors import instance_id
from partnernet.partnerships.models import Agreement, Partnership

SCALAR_FIELDS = ("title", "description", "lead", "type", "region", "status", "start", "end", "visibility")
LIST_FIELDS = ("supporters", "partners", "themes")


def _free_key(title: str) -> str:
    """A stable key from the title, made unique among this instance's partnerships with a number."""
    base = (slugify(title)[:90] or "partnership").strip("-") or "partnership"
    taken = set(
        Partnership.objects.filter(origin=instance_id(), key__startswith=base).values_list("key", flat=True)
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _lists(partnership: Partnership) -> dict[str, Any]:
    return {name: sorted(str(item) for item in getattr(partnership, name).all()) for name in LIST_FIELDS}


@transaction.atomic
def create_partnership(actor: Any, data: dict[str, Any]) -> Partnership:
    """Record a new partnership of this instance from a validated form's data."""
    partnership = Partnership(key=_free_key(data["title"]))
    for name in SCALAR_FIELDS:
        setattr(partnership, name, data.get(name))
    partnership.description = data.get("description") or ""
    partnership.save()
    for name in LIST_FIELDS:
        getattr(partnership, name).set(data.get(name) or [])
    after = {**snapshot(partnership, SCALAR_FIELDS), **_lists(partnership)}
    record(actor, "create", "create_partnership", partnership, {k: [None, v] for k, v in after.items() if v})
    return partnership


@transaction.atomic
def update_partnership(actor: Any, partnership: Partnership, data: dict[str, Any]) -> Partnership:
    """Change a partnership; its ``updated_at`` moves even when only a list changed (facet caches rely on it)."""
    before = {**snapshot(partnership, SCALAR_FIELDS), **_lists(partnership)}
    for name in SCALAR_FIELDS:
        setattr(partnership, name, data.get(name))
    partnership.description = data.get("description") or ""
    partnership.save()
    for name in LIST_FIELDS:
        getattr(partnership, name).set(data.get(name) or [])
    after = {**snapshot(partnership, SCALAR_FIELDS), **_lists(partnership)}
    changes = diff(before, after)
    if changes:
        record(actor, "update", "update_partnership", partnership, changes)
    return partnership


@transaction.atomic
def add_agreement(actor: Any, partnership: Partnership, title: str, upload: UploadedFile) -> Agreement:
    """Attach an agreement file; stored privately, listed only to those allowed to see agreements."""
    agreement = Agreement.objects.create(
        partnership=partnership,
        title=title,
        file=upload,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    partnership.save(update_fields=["updated_at"])
    record(actor, "create", "add_agreement", agreement, {"title": [None, title]})
    return agreement
