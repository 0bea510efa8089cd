"""Writes to the partnership registry: each use case is one transaction that also writes its audit event
and keeps the registry's facet tally exact (``tally.py``)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify

from partnernet.audit.services import record
from partnernet.base.cleaning import exchange_value
from partnernet.base.identity import instance_id
from partnernet.base.observers import watching
from partnernet.base.records import RecordWriter
from partnernet.base.signals import records_changed
from partnernet.directory.services import create_partner
from partnernet.partnerships.models import Agreement, Partnership


class PartnershipWriter(RecordWriter):
    kind_name = "partnerships"
    noun = "partnership"


PARTNERSHIPS = PartnershipWriter()

EXCHANGE_FIELDS = (
    "title", "lead", "supporters", "partners", "type", "themes", "region", "status", "start", "end",
    "visibility",
)  # fmt: skip


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


def _values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: exchange_value(data.get(name)) for name in EXCHANGE_FIELDS}


def _with_new_partner(actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the partner of ``data["new_partner"]`` created and added to its partners."""
    new = data.get("new_partner")
    if not new:
        return data
    partner = create_partner(actor, new)
    return {**data, "partners": [*(data.get("partners") or []), partner]}


@transaction.atomic
def create_partnership(actor: Any, data: dict[str, Any]) -> Partnership:
    """Record a new partnership of this instance from a validated form's data (through ``PARTNERSHIPS``);
    with ``new_partner``, a partner institution is added to the directory and to it in the same
    transaction."""
    data = _with_new_partner(actor, data)
    values = {**_values(data), "key": _free_key(data["title"])}
    obj: Partnership = PARTNERSHIPS.create(
        actor, values, extra={"description": data.get("description") or ""}
    )
    return obj


@transaction.atomic
def update_partnership(actor: Any, partnership: Partnership, data: dict[str, Any]) -> Partnership:
    """Change a partnership from a validated form's data (through ``PARTNERSHIPS``; ``new_partner`` as for
    ``create_partnership``).

    The stored row is written, not ``partnership``: a bound ModelForm has already put the new values on it.
    """
    data = _with_new_partner(actor, data)
    stored = Partnership.objects.get(pk=partnership.pk)
    PARTNERSHIPS.update(actor, stored, _values(data), extra={"description": data.get("description") or ""})
    partnership.refresh_from_db()
    return partnership


def retag_partnerships(subject: str, source: Any, target: Any, moved: dict[str, int], **_: Any) -> None:
    """Receiver of ``framework.signals.terms_merged``: partnerships of a merged type or theme now carry the
    term it merged into, counted in the registry's tally and sent to peers like any change."""
    if subject == "type":
        ids = list(Partnership.objects.filter(type=source).values_list("pk", flat=True))
        with transaction.atomic(), watching("partnerships") as watch:
            watch.before(ids)
            moved["partnerships"] = Partnership.objects.filter(pk__in=ids).update(type=target)
            watch.after(ids)
        records_changed.send(sender=Partnership, ids=ids)
    elif subject == "theme":
        through = Partnership.themes.through
        tagged = through.objects.filter(theme_id=source.pk)
        already = set(through.objects.filter(theme_id=target.pk).values_list("partnership_id", flat=True))
        ids = list(tagged.values_list("partnership_id", flat=True))
        with transaction.atomic(), watching("partnerships") as watch:
            watch.before(ids)
            through.objects.bulk_create(
                [through(partnership_id=pk, theme_id=target.pk) for pk in ids if pk not in already]
            )
            moved["partnerships"] = tagged.delete()[0]
            watch.after(ids)
        records_changed.send(sender=Partnership, ids=ids)


@transaction.atomic
def add_agreement(actor: Any, partnership: Partnership, title: str, upload: UploadedFile) -> Agreement:
    """Attach an agreement file; stored privately, listed only to those allowed to see agreements."""
    agreement = Agreement.objects.create(
        partnership=partnership,
        title=title,
        file=upload,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    with watching("partnerships") as watch:  # its facets stay as they were; the tally stays fresh
        watch.before([partnership.pk])
        partnership.save(update_fields=["updated_at"])
        watch.after([partnership.pk])
    record(actor, "create", "add_agreement", agreement, {"title": [None, title]})
    return agreement
