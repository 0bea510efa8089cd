"""Writes to the partnership registry: each use case is one transaction that also writes its audit event."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, F
from django.utils.text import slugify

from partnernet.audit.services import diff, record, snapshot
from partnernet.federation.selectors import instance_id
from partnernet.partnerships.models import Agreement, Partnership, RegistryTally, RegistryTallyState
from partnernet.partnerships.selectors import table_fingerprint

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
    fresh = tally_is_fresh()
    partnership.save()
    for name in LIST_FIELDS:
        getattr(partnership, name).set(data.get(name) or [])
    if fresh:
        _shift(tally_keys(partnership), +1)
        _mark_fresh()
    after = {**snapshot(partnership, SCALAR_FIELDS), **_lists(partnership)}
    record(actor, "create", "create_partnership", partnership, {k: [None, v] for k, v in after.items() if v})
    return partnership


@transaction.atomic
def update_partnership(actor: Any, partnership: Partnership, data: dict[str, Any]) -> Partnership:
    """Change a partnership; ``updated_at`` moves even when only a list changed (the facets rely on it)."""
    # The stored state, not ``partnership``'s attributes: a bound ModelForm has already written the new
    # values onto the instance it was given.
    stored = Partnership.objects.select_related("lead", "type", "region").get(pk=partnership.pk)
    before = {**snapshot(stored, SCALAR_FIELDS), **_lists(stored)}
    fresh = tally_is_fresh()
    old_keys = tally_keys(stored) if fresh else []
    for name in SCALAR_FIELDS:
        setattr(partnership, name, data.get(name))
    partnership.description = data.get("description") or ""
    partnership.save()
    for name in LIST_FIELDS:
        getattr(partnership, name).set(data.get(name) or [])
    if fresh:
        _shift(old_keys, -1)
        _shift(tally_keys(partnership), +1)
        _mark_fresh()
    after = {**snapshot(partnership, SCALAR_FIELDS), **_lists(partnership)}
    changes = diff(before, after)
    if changes:
        record(actor, "update", "update_partnership", partnership, changes)
    return partnership


@transaction.atomic
def add_agreement(actor: Any, partnership: Partnership, title: str, upload: UploadedFile) -> Agreement:
    """Attach an agreement file; stored privately, listed only to those allowed to see agreements."""
    fresh = tally_is_fresh()
    agreement = Agreement.objects.create(
        partnership=partnership,
        title=title,
        file=upload,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    partnership.save(update_fields=["updated_at"])
    if fresh:
        _mark_fresh()
    record(actor, "create", "add_agreement", agreement, {"title": [None, title]})
    return agreement


TallyKey = tuple[str, str, str, str, str, str]
ALL = "_all"
"""Suffix of the summed tally dimensions that pages without a region filter read (a few thousand rows)."""


def tally_keys(partnership: Partnership) -> list[TallyKey]:
    """The tally cells one partnership counts in, in its current state."""
    cell = (
        partnership.visibility,
        partnership.type.key,
        partnership.status,
        partnership.region.code if partnership.region else "",
    )
    kinds = sorted(set(partnership.partners.values_list("kind", flat=True)))
    themes = sorted(partnership.themes.values_list("key", flat=True))
    fine = [
        ("row", "", *cell),
        *[("theme", key, *cell) for key in themes],
        *[("partner_kind", kind, *cell) for kind in kinds],
    ]
    return fine + _coarse(fine)


def _coarse(fine: list[TallyKey]) -> list[TallyKey]:
    """The summed rows a fine row also counts in: per dimension over every region, and per region alone."""
    summed: list[TallyKey] = [(f"{d}{ALL}", value, vis, t, st, "") for d, value, vis, t, st, _ in fine]
    summed += [(f"region{ALL}", "", vis, "", "", region) for d, _, vis, _, _, region in fine if d == "row"]
    return summed


TALLY_FIELDS = ("dimension", "value", "visibility", "type_key", "status", "region_code")


def _tally_row(key: TallyKey, count: int) -> RegistryTally:
    return RegistryTally(**dict(zip(TALLY_FIELDS, key, strict=True)), count=count)


def _shift(keys: list[TallyKey], delta: int) -> None:
    for key in keys:
        lookup = dict(zip(TALLY_FIELDS, key, strict=True))
        updated = RegistryTally.objects.filter(**lookup).update(count=F("count") + delta)
        if not updated:
            RegistryTally.objects.create(**lookup, count=delta)


def tally_is_fresh() -> bool:
    state = RegistryTallyState.objects.first()
    return state is not None and state.fingerprint == table_fingerprint()


def _mark_fresh() -> None:
    fingerprint = table_fingerprint()
    if not RegistryTallyState.objects.update(fingerprint=fingerprint):
        RegistryTallyState.objects.create(fingerprint=fingerprint)


@transaction.atomic
def rebuild_registry_tally() -> None:
    """Count every partnership into the tally from scratch (after writes that bypassed the services).

    The state row is locked first, so concurrent rebuilds queue; a rebuild that finds the tally already
    fresh (another one just finished) does nothing.
    """
    state = RegistryTallyState.objects.select_for_update().first()
    if state is not None and state.fingerprint == table_fingerprint():
        return
    RegistryTally.objects.all().delete()
    cell = ("visibility", "type__key", "status", "region__code")
    through_cell = tuple(f"partnership__{name}" for name in cell)
    rows = Partnership.objects.order_by().values_list(*cell).annotate(n=Count("pk"))
    themes = (
        Partnership.themes.through.objects.order_by()
        .values_list("theme__key", *through_cell)
        .annotate(n=Count("pk"))
    )
    kinds = (
        Partnership.partners.through.objects.order_by()
        .values_list("partner__kind", *through_cell)
        .annotate(n=Count("partnership_id", distinct=True))
    )
    batch: list[RegistryTally] = []
    coarse: dict[TallyKey, int] = {}

    def add(
        dimension: str, value: str, vis: str, type_key: str, status: str, region: str | None, n: int
    ) -> None:
        key: TallyKey = (dimension, value, vis, type_key, status, region or "")
        batch.append(_tally_row(key, n))
        for summed in _coarse([key]):
            coarse[summed] = coarse.get(summed, 0) + n
        if len(batch) >= 5000:
            RegistryTally.objects.bulk_create(batch)
            batch.clear()

    for vis, type_key, status, region, n in rows:
        add("row", "", vis, type_key, status, region, n)
    for value, vis, type_key, status, region, n in themes:
        add("theme", value, vis, type_key, status, region, n)
    for value, vis, type_key, status, region, n in kinds:
        add("partner_kind", value, vis, type_key, status, region, n)
    batch.extend(_tally_row(key, n) for key, n in coarse.items())
    RegistryTally.objects.bulk_create(batch, batch_size=5000)
    _mark_fresh()
