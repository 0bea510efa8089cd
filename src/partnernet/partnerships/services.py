"""Writes to the partnership registry: each use case is one transaction that also writes its audit event."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
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


TALLY_CHUNK = 2000


class TallyUpdate:
    """Keeps the tally exact through a write that goes around the services, inside that write's transaction:
    ``remove`` the partnerships about to change or go (as stored now), write, then ``add`` the ones written
    (as stored then). Counts go to the table at once, so a savepoint rolled back takes its counts with it.
    Use ``registry_tally_kept``; ``finish`` marks the tally fresh for the table as written.

    When the tally was not exact before the write (rows were written around it by other means), deltas
    would keep it wrong. Bulk writers (imports, ``generate``, federation) pass ``repair`` and rebuild it
    once at the end; a single-row write leaves it stale, and the next read recounts as before.
    """

    def __init__(self, *, active: bool = True, repair: bool = False) -> None:
        self.active = active
        self.repair = repair
        self.fresh = active and tally_is_fresh()

    def remove(self, partnership_ids: Collection[int]) -> None:
        if self.fresh and partnership_ids:
            _count_into_tally(partnership_ids, -1)

    def add(self, partnership_ids: Collection[int]) -> None:
        if self.fresh and partnership_ids:
            _count_into_tally(partnership_ids, +1)

    def finish(self) -> None:
        if self.fresh:
            _mark_fresh()
        elif self.active and self.repair:
            rebuild_registry_tally()


IDLE_TALLY = TallyUpdate(active=False)
"""For writes that cannot change the tally: counts nothing, checks nothing."""


@contextmanager
def registry_tally_kept(*, repair: bool = False) -> Iterator[TallyUpdate]:
    """``with registry_tally_kept() as tally:`` around a write of partnerships (see ``TallyUpdate``)."""
    with transaction.atomic():
        update = TallyUpdate(repair=repair)
        yield update
        update.finish()


TALLIED_KINDS = ("partnerships", "partners")
"""Exchange kinds whose writes change the tally: partnerships, and partners (their kind is a facet)."""


def tallied_partnerships(kind_name: str, pks: Collection[int]) -> list[int]:
    """The partnerships whose tally cells a write of these rows of ``kind_name`` may change."""
    if kind_name == "partnerships":
        return sorted(set(pks))
    if kind_name == "partners" and pks:
        links = Partnership.partners.through.objects.filter(partner_id__in=list(pks))
        return sorted(set(links.values_list("partnership_id", flat=True)))
    return []


def _count_into_tally(partnership_ids: Collection[int], sign: int) -> None:
    """Add ``sign`` times the cells of these partnerships (as stored now) to the tally, grouped in SQL."""
    ids = sorted(set(partnership_ids))
    deltas: dict[TallyKey, int] = {}

    def add(key: TallyKey, n: int) -> None:
        for cell in [key, *_coarse([key])]:
            deltas[cell] = deltas.get(cell, 0) + sign * n

    cell = ("visibility", "type__key", "status", "region__code")
    through_cell = tuple(f"partnership__{name}" for name in cell)
    for start in range(0, len(ids), TALLY_CHUNK):
        chunk = ids[start : start + TALLY_CHUNK]
        rows = Partnership.objects.filter(pk__in=chunk).order_by().values_list(*cell).annotate(n=Count("pk"))
        for vis, type_key, status, region, n in rows:
            add(("row", "", vis, type_key, status, region or ""), n)
        themes = (
            Partnership.themes.through.objects.filter(partnership_id__in=chunk)
            .order_by()
            .values_list("theme__key", *through_cell)
            .annotate(n=Count("pk"))
        )
        for value, vis, type_key, status, region, n in themes:
            add(("theme", value, vis, type_key, status, region or ""), n)
        kinds = (
            Partnership.partners.through.objects.filter(partnership_id__in=chunk)
            .order_by()
            .values_list("partner__kind", *through_cell)
            .annotate(n=Count("partnership_id", distinct=True))
        )
        for value, vis, type_key, status, region, n in kinds:
            add(("partner_kind", value, vis, type_key, status, region or ""), n)
    _apply_deltas(deltas)


def _apply_deltas(deltas: dict[TallyKey, int]) -> None:
    """Add the counts to their cells in one batched upsert (a cell missing so far is created)."""
    changed = [(*key, n) for key, n in deltas.items() if n]
    if not changed:
        return
    table = connection.ops.quote_name(RegistryTally._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in (*TALLY_FIELDS, "count"))
    cell = ", ".join(connection.ops.quote_name(name) for name in TALLY_FIELDS)
    count = connection.ops.quote_name("count")
    # Only names from the model's metadata are interpolated; the counts are parameters.
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({cell}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, changed)
