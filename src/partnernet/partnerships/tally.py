"""The registry's facet tally: pre-aggregated partnership counts, kept exact by every writer.

``RegistryTally`` holds partnership counts per (visibility, type, status, region), and per theme and partner
kind, so that the registry's facets over a million partnerships are a sum of a few thousand rows. This module
is the one place that knows the tally's layout and the one way to change it:

- **Writers** never call it by hand: every write of partnerships or partners — whichever app writes them, and
  whichever way (a form, the API, an import, ``generate``, a peer's feed, a taxonomy merge) — announces what
  it is about to change and what it wrote through ``base.observers.watching``, and ``tally_observer`` (which
  the app's ``ready`` registers) turns that into ``registry_tally_kept()``: ``remove`` the partnerships as
  stored before, ``add`` them as stored after. Counts go to the table inside the writer's transaction, so a
  rollback takes them back.
- **Readers** sum it with ``tally_counts``, and only when ``tally_is_fresh()``: a read never writes. The tally
  is exact for one *fingerprint* of the partnership table (row count, highest id, latest ``updated_at``),
  which every write moves and every writer records again. Rows changed by other means (raw SQL, a restore)
  leave it stale: readers then count live, and the operator's ``partnernet rebuild_registry_tally``
  (``rebuild_registry_tally``) repairs it. Bulk writers pass ``repair`` and rebuild a stale tally at the end.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, QuerySet, Sum

from partnernet.base.inlists import among
from partnernet.base.versions import version_of
from partnernet.partnerships.models import Partnership, RegistryTally, RegistryTallyState

TallyKey = tuple[str, str, str, str, str, str]
ALL = "_all"
"""Suffix of the summed tally dimensions that pages without a region filter read (a few thousand rows)."""
TALLY_FIELDS = ("dimension", "value", "visibility", "type_key", "status", "region_code")
TALLY_CHUNK = 2000
TALLIED_KINDS = ("partnerships", "partners")
"""Exchange kinds whose writes change the tally: partnerships, and partners (their kind is a facet)."""
FACETS = ("type", "status", "region", "theme", "partner_kind")


def table_fingerprint() -> str:
    """Changes whenever a partnership is inserted, updated or deleted: the table's delete mark
    (``base.deletions``; a row count where the database keeps none), highest id and latest ``updated_at``,
    read as ``base.versions`` reads them (one statement, each part answered from an index).
    """
    _, mark, top, changed = version_of(((Partnership, "updated_at"),))
    return fingerprint_of(mark, top, changed)


def fingerprint_of(mark: Any, top: Any, changed: Any) -> str:
    """The fingerprint from the partnership table's delete mark, highest id and latest ``updated_at`` (for a
    caller that read them with other tables' versions, ``selectors.registry_version``)."""
    return f"{mark}:{top}:{changed}"


def legacy_fingerprint() -> str:
    """The fingerprint as versions before the delete marks wrote it (row count, highest id, latest
    ``updated_at``, three aggregates), so that ``migrate`` can carry a fresh tally over
    (``carry_tally_state``)."""
    rows = Partnership.objects.order_by()
    top = rows.aggregate(top=Max("pk"))["top"]
    changed = rows.aggregate(changed=Max("updated_at"))["changed"]
    return f"{rows.count()}:{top}:{changed}"


def carry_tally_state(**_: Any) -> None:
    """After ``migrate``: a tally that was exact under the old fingerprint is exact under the new one (the
    rows did not change in between), so it is marked fresh again instead of being counted live until an
    operator rebuilds it."""
    state = RegistryTallyState.objects.first()
    if state is not None and state.fingerprint == legacy_fingerprint():
        RegistryTallyState.objects.filter(pk=state.pk).update(fingerprint=table_fingerprint())


def tally_is_fresh(fingerprint: str | None = None) -> bool:
    """True when the tally is exact for the partnership table as it is now (``fingerprint``, when the caller
    has just read it)."""
    state = RegistryTallyState.objects.first()
    return state is not None and state.fingerprint == (fingerprint or table_fingerprint())


def _mark_fresh() -> None:
    fingerprint = table_fingerprint()
    if not RegistryTallyState.objects.update(fingerprint=fingerprint):
        RegistryTallyState.objects.create(fingerprint=fingerprint)


# ---- Writing ------------------------------------------------------------------------------------------


class TallyUpdate:
    """Keeps the tally exact through a write, inside that write's transaction: ``remove`` the partnerships
    about to change or go (as stored now), write, then ``add`` the ones written (as stored then). Counts go to
    the table at once, so a savepoint rolled back takes its counts with it. Use ``registry_tally_kept``;
    ``finish`` marks the tally fresh for the table as written.

    ``held``: the write is one long transaction of many rounds that is never partly rolled back (an import,
    chunk by chunk). Each round's counts are then taken as it happens but summed in memory (one number per
    tally cell, however many rows) and written once by ``finish``, instead of upserting most of the cells
    again every round.

    When the tally was not exact before the write (rows were written around it by other means), deltas
    would keep it wrong. Bulk writers (imports, ``generate``, federation) pass ``repair`` and rebuild it
    once at the end; a single-row write leaves it stale, and readers count live until the operator rebuilds.
    """

    def __init__(self, *, active: bool = True, repair: bool = False, held: bool = False) -> None:
        self.active = active
        self.repair = repair
        self.fresh = active and tally_is_fresh()
        self.held: dict[TallyKey, int] | None = {} if held else None

    def remove(self, partnership_ids: Collection[int]) -> None:
        if self.fresh and partnership_ids:
            self._count(partnership_ids, -1)

    def add(self, partnership_ids: Collection[int]) -> None:
        if self.fresh and partnership_ids:
            self._count(partnership_ids, +1)

    def _count(self, partnership_ids: Collection[int], sign: int) -> None:
        if self.held is None:
            _apply_deltas(_tally_deltas(partnership_ids, sign))
        else:
            _tally_deltas(partnership_ids, sign, self.held)

    def finish(self) -> None:
        if self.fresh:
            if self.held:
                _apply_deltas(self.held)
            _mark_fresh()
        elif self.active and self.repair:
            rebuild_registry_tally()


IDLE_TALLY = TallyUpdate(active=False)
"""For writes that cannot change the tally: counts nothing, checks nothing."""


@contextmanager
def registry_tally_kept(*, repair: bool = False, held: bool = False) -> Iterator[TallyUpdate]:
    """``with registry_tally_kept() as tally:`` around a write of partnerships (see ``TallyUpdate``)."""
    with transaction.atomic():
        update = TallyUpdate(repair=repair, held=held)
        yield update
        update.finish()


def tallied_partnerships(kind_name: str, pks: Collection[int]) -> list[int]:
    """The partnerships whose tally cells a write of these rows of ``kind_name`` may change."""
    if kind_name == "partnerships":
        return sorted(set(pks))
    if kind_name == "partners" and pks:
        links = Partnership.partners.through.objects.filter(partner_id__in=list(pks))
        return sorted(set(links.values_list("partnership_id", flat=True)))
    return []


def _coarse(fine: list[TallyKey]) -> list[TallyKey]:
    """The summed rows a fine row also counts in: per dimension over every region, and per region alone."""
    summed: list[TallyKey] = [(f"{d}{ALL}", value, vis, t, st, "") for d, value, vis, t, st, _ in fine]
    summed += [(f"region{ALL}", "", vis, "", "", region) for d, _, vis, _, _, region in fine if d == "row"]
    return summed


def _tally_row(key: TallyKey, count: int) -> RegistryTally:
    return RegistryTally(**dict(zip(TALLY_FIELDS, key, strict=True)), count=count)


@transaction.atomic
def rebuild_registry_tally() -> None:
    """Count every partnership into the tally from scratch (after writes that bypassed the writers).

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


class _TallyWatch:
    """The tally following one write of partnerships or partners (``base.observers``)."""

    def __init__(self, kind_name: str, tally: TallyUpdate) -> None:
        self.kind_name = kind_name
        self.tally = tally
        self.pending: set[int] = set()

    def before(self, ids: Collection[int]) -> None:
        touched = tallied_partnerships(self.kind_name, ids)
        self.tally.remove(touched)
        self.pending.update(touched)

    def after(self, ids: Collection[int]) -> None:
        self.tally.add(sorted(self.pending | set(tallied_partnerships(self.kind_name, ids))))
        self.pending.clear()


def tally_observer(kind_name: str) -> Any:
    """The factory ``base.observers.observe_writes`` calls for each write of ``kind_name``."""

    @contextmanager
    def observe(*, repair: bool = False, held: bool = False) -> Iterator[_TallyWatch]:
        with registry_tally_kept(repair=repair, held=held) as tally:
            yield _TallyWatch(kind_name, tally)

    return observe


def _tally_deltas(
    partnership_ids: Collection[int], sign: int, deltas: dict[TallyKey, int] | None = None
) -> dict[TallyKey, int]:
    """``sign`` times the cells of these partnerships (as stored now), grouped in SQL, added to ``deltas``."""
    ids = sorted(set(partnership_ids))
    deltas = {} if deltas is None else deltas

    def add(key: TallyKey, n: int) -> None:
        for cell in [key, *_coarse([key])]:
            deltas[cell] = deltas.get(cell, 0) + sign * n

    cell = ("visibility", "type__key", "status", "region__code")
    through_cell = tuple(f"partnership__{name}" for name in cell)
    for start in range(0, len(ids), TALLY_CHUNK):
        chunk = ids[start : start + TALLY_CHUNK]
        partnerships = Partnership.objects.filter(among("pk", chunk)).order_by()
        rows = partnerships.values_list(*cell).annotate(n=Count("pk"))
        for vis, type_key, status, region, n in rows:
            add(("row", "", vis, type_key, status, region or ""), n)
        themes = (
            Partnership.themes.through.objects.filter(among("partnership_id", chunk))
            .order_by()
            .values_list("theme__key", *through_cell)
            .annotate(n=Count("pk"))
        )
        for value, vis, type_key, status, region, n in themes:
            add(("theme", value, vis, type_key, status, region or ""), n)
        kinds = (
            Partnership.partners.through.objects.filter(among("partnership_id", chunk))
            .order_by()
            .values_list("partner__kind", *through_cell)
            .annotate(n=Count("partnership_id", distinct=True))
        )
        for value, vis, type_key, status, region, n in kinds:
            add(("partner_kind", value, vis, type_key, status, region or ""), n)
    return deltas


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
    insert = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s) "  # noqa: S608
    upsert = f"ON CONFLICT ({cell}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement over arrays, not one per cell: 12,000 cells took a second as single upserts.
            # The cells are distinct (``deltas`` is keyed by them), as one upsert statement requires.
            arrays = ", ".join(["%s::varchar[]"] * len(TALLY_FIELDS) + ["%s::integer[]"])
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) {upsert}",  # noqa: S608
                [list(column) for column in zip(*changed, strict=True)],
            )
        elif connection.vendor == "mysql":  # MariaDB's upsert names no conflict target: the cell's unique key
            duplicate = f"ON DUPLICATE KEY UPDATE {count} = {count} + VALUES({count})"
            cursor.executemany(insert + duplicate, changed)
        else:
            cursor.executemany(insert + upsert, changed)


# ---- Reading ------------------------------------------------------------------------------------------


def tally_counts(
    visibilities: Collection[str], *, type: str = "", status: str = "", region_codes: Any = None
) -> dict[str, dict[Any, int]]:
    """Counts per facet value (``FACETS``; regions by code) of the partnerships of ``visibilities``, with
    the type and status given, inside ``region_codes`` (codes, or a query of codes) when given.

    Read only; the caller checks ``tally_is_fresh()`` first, and counts live when it is not.
    """
    tally = RegistryTally.objects.filter(visibility__in=list(visibilities))
    if type:
        tally = tally.filter(type_key=type)
    if status:
        tally = tally.filter(status=status)

    def sums(rows: QuerySet[RegistryTally], dimension: str, by: str) -> dict[Any, int]:
        grouped = rows.filter(dimension=dimension).order_by().values_list(by).annotate(n=Sum("count"))
        return {key: n for key, n in grouped.values_list(by, "n") if n}

    if region_codes is not None:
        inside = tally.filter(region_code__in=region_codes)
        return {
            "type": sums(inside, "row", "type_key"),
            "status": sums(inside, "row", "status"),
            "region": sums(inside, "row", "region_code"),
            "theme": sums(inside, "theme", "value"),
            "partner_kind": sums(inside, "partner_kind", "value"),
        }
    return {
        "type": sums(tally, f"row{ALL}", "type_key"),
        "status": sums(tally, f"row{ALL}", "status"),
        "region": sums(tally, "row", "region_code")
        if type or status
        else sums(tally, f"region{ALL}", "region_code"),
        "theme": sums(tally, f"theme{ALL}", "value"),
        "partner_kind": sums(tally, f"partner_kind{ALL}", "value"),
    }
