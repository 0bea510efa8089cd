"""Writing rows of FORMATS.md: import a file all or nothing, or create, update and delete one record.

Every row is read, cleaned and checked against what is stored before a single write happens; then all
writes run in one transaction. So a file with one bad line changes nothing, and the report names every bad
line at once rather than the first. Single-record writes (the API) use the same cleaners and write an audit
event each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model, ProtectedError

from partnernet.audit.services import record
from partnernet.exchange.formats import FileProblems, Problem, SourceRow, format_of, read_rows
from partnernet.exchange.kinds import Clean, Kind, RequestKind, kind_named
from partnernet.exchange.planner import BULK_ROWS, refresh_planner_statistics
from partnernet.exchange.references import CHUNK, References, origin_rank
from partnernet.federation.models import SEED_ORIGIN
from partnernet.federation.outbox import publish_new
from partnernet.federation.selectors import instance_id
from partnernet.partnerships.services import (
    IDLE_TALLY,
    TALLIED_KINDS,
    TallyUpdate,
    registry_tally_kept,
    tallied_partnerships,
)
from partnernet.support.selectors import covering_stewardship

BATCH = 1000


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int | str]:
        return {
            "kind": self.kind,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


@dataclass
class ImportRejected(Exception):
    """The file has problems; nothing was written."""

    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Planned:
    line: int
    clean: Clean
    present: frozenset[str]
    existing: Any | None


def import_file(kind_name: str, path: Path, fmt: str | None = None) -> ImportResult:
    """Upsert every row of ``path`` into ``kind_name``; raise ``ImportRejected`` listing all problems."""
    kind = kind_named(kind_name)
    try:
        fmt = format_of(path, fmt)
        columns, rows, problems = read_rows(path, fmt, kind.fields)
    except FileProblems as error:
        raise ImportRejected(error.problems) from None
    if fmt == "csv":
        problems.extend(
            Problem(1, name, "required column is missing") for name in sorted(kind.required - set(columns))
        )
    plan = _plan(kind, rows, problems)
    if problems:
        raise ImportRejected(
            sorted(
                problems, key=lambda p: (p.line, kind.fields.index(p.field) if p.field in kind.fields else -1)
            )
        )
    result = _write(kind, plan)
    if result.created + result.updated >= BULK_ROWS:
        refresh_planner_statistics()
    return result


def _plan(kind: Kind, rows: list[SourceRow], problems: list[Problem]) -> list[_Planned]:
    refs = References()
    wanted: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for ref_kind, keys in kind.referenced(row.values).items():
            wanted[ref_kind].update(keys)
    refs.load(entities=wanted["entities"], partners=wanted["partners"], partnerships=wanted["partnerships"])
    cleaned: list[tuple[SourceRow, Clean]] = []
    first_line: dict[str, int] = {}
    for row in rows:
        clean, errors = kind.clean(row.values, refs)
        problems.extend(Problem(row.line, name, message) for name, message in errors)
        row_key = clean.get("key")
        if row_key:
            if row_key in first_line:
                problems.append(
                    Problem(
                        row.line, "key", f"duplicate key '{row_key}' (first on line {first_line[row_key]})"
                    )
                )
                continue
            first_line[row_key] = row.line
        if not errors:
            cleaned.append((row, clean))
    existing = _existing(kind, [clean["key"] for _, clean in cleaned])
    plan: list[_Planned] = []
    for row, clean in cleaned:
        present = frozenset(name for name in kind.fields if name in row.values)
        current = existing.get(clean["key"])
        if current is not None and current.origin == SEED_ORIGIN and _changes(kind, current, clean, present):
            problems.append(
                Problem(
                    row.line,
                    "key",
                    f"'{clean['key']}' is reference data (origin seed) and cannot be changed here",
                )
            )
            continue
        plan.append(_Planned(row.line, clean, present, current))
    return plan


def _existing(kind: Kind, keys: Iterable[str]) -> dict[str, Any]:
    """Stored rows of this instance or of the seed, by key, ready for ``kind.row``."""
    local = instance_id()
    found: dict[str, Any] = {}
    wanted = sorted(set(keys))
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for obj in kind.queryset().filter(key__in=chunk, origin__in=[local, SEED_ORIGIN]):
            current = found.get(obj.key)
            if current is None or origin_rank(obj.origin, local) < origin_rank(current.origin, local):
                found[obj.key] = obj
    return found


def _changes(kind: Kind, obj: Any, clean: Clean, present: frozenset[str]) -> bool:
    stored = kind.row(obj)
    return any(stored.get(name) != clean.get(name) for name in present)


def _write(kind: Kind, plan: list[_Planned]) -> ImportResult:
    result = ImportResult(kind.name)
    refs = References()
    refs.load(
        entities=_all_keys(plan, ("entity", "lead", "supporters", "requester", "steward")),
        partners=_all_keys(plan, ("partners",)),
        partnerships=_all_keys(plan, ("partnership",)),
    )
    full = frozenset(kind.fields)
    changing = [
        item.existing
        for item in plan
        if item.existing is not None and _changes(kind, item.existing, item.clean, item.present)
    ]
    with transaction.atomic(), _tally_kept(kind, repair=True) as tally:
        touched = _tallied_partnerships(kind, changing)
        tally.remove(touched)
        new: list[tuple[Model, Clean]] = []
        for item in plan:
            if item.existing is None:
                obj = kind.model()
                kind.assign(obj, item.clean, full, refs)
                _after_assign(kind, obj, refs)
                new.append((obj, item.clean))
                result.created += 1
            elif _changes(kind, item.existing, item.clean, item.present):
                kind.assign(item.existing, item.clean, item.present, refs)
                _after_assign(kind, item.existing, refs)
                item.existing.save()
                for name, ids in kind.m2m_ids(item.clean, refs).items():
                    if name in item.present:
                        getattr(item.existing, kind.m2m[name]).set(ids)
                result.updated += 1
            else:
                result.unchanged += 1
        for start in range(0, len(new), BATCH):
            batch = new[start : start + BATCH]
            kind.model._default_manager.bulk_create([obj for obj, _ in batch])
            _bulk_m2m(kind, batch, refs)
            publish_new(kind.model, [obj for obj, _ in batch])
        tally.add(touched + _tallied_partnerships(kind, [obj for obj, _ in new]))
    return result


def _tally_kept(kind: Kind, *, repair: bool = False) -> AbstractContextManager[TallyUpdate]:
    """Keep the registry's facet tally exact through this write (most kinds cannot change it); an import
    also repairs a tally that was stale before it, so no page has to recount after it."""
    return registry_tally_kept(repair=repair) if kind.name in TALLIED_KINDS else nullcontext(IDLE_TALLY)


def _tallied_partnerships(kind: Kind, objs: list[Any]) -> list[int]:
    return tallied_partnerships(kind.name, [obj.pk for obj in objs])


def _all_keys(plan: list[_Planned], names: tuple[str, ...]) -> set[str]:
    keys: set[str] = set()
    for item in plan:
        for name in names:
            value = item.clean.get(name)
            if isinstance(value, list):
                keys.update(value)
            elif value:
                keys.add(value)
    return keys


def _after_assign(kind: Kind, obj: Any, refs: References) -> None:
    """Derived columns: a routed request counts against the stewardship routing would pick (FORMATS.md)."""
    if isinstance(kind, RequestKind):
        region_code = refs.regions_by_id[obj.region_id].code
        obj.stewardship = (
            covering_stewardship(obj.steward_id, obj.type_id, obj.theme_id, region_code)
            if obj.steward_id
            else None
        )


def _bulk_m2m(kind: Kind, batch: list[tuple[Model, Clean]], refs: References) -> None:
    for name, field_name in kind.m2m.items():
        relation = kind.model._meta.get_field(field_name)
        through: type[Model] = relation.remote_field.through  # type: ignore[union-attr]
        source = relation.m2m_field_name()  # type: ignore[union-attr]
        target = relation.m2m_reverse_field_name()  # type: ignore[union-attr]
        links = [
            through(**{f"{source}_id": obj.pk, f"{target}_id": target_id})
            for obj, clean in batch
            for target_id in kind.m2m_ids(clean, refs)[name]
        ]
        through._default_manager.bulk_create(links, batch_size=BATCH)


# One record at a time (the API, and any form that edits a row of FORMATS.md). The same cleaners as import,
# so every way in rejects the same values with the same words.


class RecordRejected(Exception):
    """Values that cannot be stored; ``fields`` maps each field to its messages. Nothing was written."""

    def __init__(self, fields: dict[str, list[str]], message: str = "Some fields are invalid."):
        super().__init__(message)
        self.fields = fields
        self.message = message


class RecordConflict(RecordRejected):
    """The key is already used by another row of this instance or of the seed."""


class RecordReadOnly(Exception):
    """The row belongs to another origin (the seed, or a federated peer) and cannot be changed here."""


class RecordInUse(Exception):
    """The row cannot be deleted because other rows still refer to it."""


def _grouped(errors: list[tuple[str, str]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name, message in errors:
        fields.setdefault(name, []).append(message)
    return fields


def _references(kind: Kind, values: dict[str, Any]) -> References:
    refs = References()
    wanted = kind.referenced(values)
    refs.load(
        entities=wanted.get("entities", ()),
        partners=wanted.get("partners", ()),
        partnerships=wanted.get("partnerships", ()),
    )
    return refs


def _check_key_free(kind: Kind, key: str, exclude_pk: int | None = None) -> None:
    taken = kind.model._default_manager.filter(key=key, origin__in=[instance_id(), SEED_ORIGIN])
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise RecordConflict({"key": [f"'{key}' is already taken"]}, "The key is already taken.")


def _assert_local(obj: Any) -> None:
    if obj.origin != instance_id():
        source = "reference data (origin seed)" if obj.origin == SEED_ORIGIN else f"from {obj.origin}"
        raise RecordReadOnly(f"'{obj.key}' is {source} and cannot be changed here.")


def _save(kind: Kind, obj: Any, clean: Clean, present: frozenset[str], refs: References) -> None:
    kind.assign(obj, clean, present, refs)
    _after_assign(kind, obj, refs)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        raise RecordRejected({}, f"The database refused the row: {error}") from None
    for name, ids in kind.m2m_ids(clean, refs).items():
        if name in present:
            getattr(obj, kind.m2m[name]).set(ids)


def _verb(action: str, kind: Kind) -> str:
    return f"{action}_{kind.model._meta.model_name}"


def create_record(actor: Any, kind_name: str, values: dict[str, Any]) -> Any:
    """Create one row of ``kind_name`` on this instance from exchange-form values; audit it."""
    kind = kind_named(kind_name)
    refs = _references(kind, values)
    clean, errors = kind.clean(values, refs)
    if errors:
        raise RecordRejected(_grouped(errors))
    with transaction.atomic(), _tally_kept(kind) as tally:
        _check_key_free(kind, clean["key"])
        obj = kind.model()
        _save(kind, obj, clean, frozenset(kind.fields), refs)
        tally.add(_tallied_partnerships(kind, [obj]))
        row = kind.row(kind.queryset().get(pk=obj.pk))
        record(actor, "create", _verb("create", kind), obj, {name: [None, row[name]] for name in kind.fields})
    return obj


def update_record(actor: Any, kind_name: str, obj: Any, changes: dict[str, Any]) -> Any:
    """Change the given fields of a row of this instance; the whole row is checked as it would become."""
    kind = kind_named(kind_name)
    _assert_local(obj)
    before = kind.row(obj)
    values = {**before, **changes}
    refs = _references(kind, values)
    clean, errors = kind.clean(values, refs)
    if errors:
        raise RecordRejected(_grouped(errors))
    present = frozenset(name for name in changes if name in kind.fields)
    with transaction.atomic(), _tally_kept(kind) as tally:
        if clean["key"] != obj.key:
            _check_key_free(kind, clean["key"], exclude_pk=obj.pk)
        touched = _tallied_partnerships(kind, [obj])
        tally.remove(touched)
        _save(kind, obj, clean, present, refs)
        tally.add(touched)
        after = kind.row(kind.queryset().get(pk=obj.pk))
        changed = {name: [before[name], after[name]] for name in kind.fields if before[name] != after[name]}
        if changed:
            record(actor, "update", _verb("update", kind), obj, changed)
    return obj


def delete_record(actor: Any, kind_name: str, obj: Any) -> None:
    """Delete a row of this instance, unless other rows still need it (then nothing happens)."""
    kind = kind_named(kind_name)
    _assert_local(obj)
    row = kind.row(obj)
    try:
        with transaction.atomic(), _tally_kept(kind) as tally:
            record(
                actor, "delete", _verb("delete", kind), obj, {name: [row[name], None] for name in kind.fields}
            )
            touched = _tallied_partnerships(kind, [obj])
            tally.remove(touched)
            obj.delete()
            if kind.name == "partners":  # its partnerships remain, without its kind
                tally.add(touched)
    except ProtectedError as error:
        users = sorted({str(item._meta.verbose_name_plural) for item in error.protected_objects})
        raise RecordInUse(f"'{obj.key}' is still used by {', '.join(users)}; change those first.") from None
