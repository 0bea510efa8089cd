"""Writing records of a registered kind: one at a time (the API, forms), in bulk (import), or as a peer's
copy (federation apply).

Each app subclasses ``RecordWriter`` in its ``services`` for the kinds it owns and registers the writer
with the kind; every way a record comes in then goes through the owning app, which may add its rules and
side effects by overriding the hooks. The generic steps are here once: the kind's cleaner is the one
validation of fields; every write runs in one transaction with its audit event; observers of the kind
(``base.observers``, the registry's tally) watch it inside that transaction; rows made in bulk are announced
(``base.signals.records_created``) so federation can publish them, and single saves reach it through model
signals — the writer never imports federation.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Model, ProtectedError

from partnernet.audit.services import record
from partnernet.base.bulk import BATCH, bulk_links, insert_objects
from partnernet.base.cleaning import Clean, Kind, Problems
from partnernet.base.identity import instance_id
from partnernet.base.models import SEED_ORIGIN
from partnernet.base.observers import Watch, watching
from partnernet.base.references import CHUNK, References
from partnernet.base.registry import record_kind
from partnernet.base.signals import records_created


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


def grouped(errors: Problems) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name, message in errors:
        fields.setdefault(name, []).append(message)
    return fields


_IMPORTING: ContextVar[tuple[str, Watch] | None] = ContextVar("importing", default=None)
"""The kind and watch of the import running in this context (``RecordWriter.importing``)."""


@dataclass
class Planned:
    """One row of an import, cleaned and checked: ``existing`` is the stored row it updates, if any."""

    line: int
    clean: Clean
    present: frozenset[str]
    existing: Any | None


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class ForeignRow:
    """A peer's record as its activity carries it: global id parts and exchange values (key included)."""

    uuid: UUID
    values: dict[str, Any]


class RecordWriter:
    """The writes of one kind. Subclass in the owning app's services and register it with the kind."""

    kind_name: ClassVar[str]
    noun: ClassVar[str] = "record"
    audit_imports: ClassVar[bool] = False
    keyed_by_subject: ClassVar[bool] = False
    """True for a kind whose key names the record it describes (a profile is keyed by its entity): each
    origin keeps its own row under that key, and readers choose by origin, so a peer's row is no conflict."""
    """Whether an import records an audit event per row written (for kinds whose rows otherwise change only
    through a process, such as stewardships); bulk kinds leave it off to stay close to a raw insert."""

    @property
    def exchange(self) -> Kind:
        return record_kind(self.kind_name).exchange

    # -- hooks ---------------------------------------------------------------------------------------

    def before_save(self, obj: Any, clean: Clean, refs: References) -> None:
        """Checks and derived columns just before a row is saved (none by default)."""

    def references(self, values: dict[str, Any], preferred: str | None = None) -> References:
        refs = References(preferred)
        refs.load(**self.exchange.referenced(values))
        return refs

    # -- one record ----------------------------------------------------------------------------------

    def create(self, actor: Any, values: dict[str, Any], extra: dict[str, Any] | None = None) -> Any:
        """Create one row on this instance from exchange-form values; audited.

        ``extra`` sets model fields the exchange format does not carry (already validated by the caller's
        form), in the same transaction and audit event.
        """
        kind = self.exchange
        refs = self.references(values)
        clean, errors = kind.clean(values, refs)
        if errors:
            raise RecordRejected(grouped(errors))
        with transaction.atomic(), watching(self.kind_name) as watch:
            self._check_key_free(clean["key"])
            obj = kind.model()
            for name, value in (extra or {}).items():
                setattr(obj, name, value)
            self._save(obj, clean, frozenset(kind.fields), refs)
            watch.after([obj.pk])
            row = kind.row(kind.queryset().get(pk=obj.pk))
            made = {name: [None, row[name]] for name in kind.fields}
            made.update({name: [None, value] for name, value in (extra or {}).items() if value})
            record(actor, "create", self._verb("create"), obj, made)
        return obj

    def update(
        self,
        actor: Any,
        obj: Any,
        changes: dict[str, Any],
        extra: dict[str, Any] | None = None,
        verb: str | None = None,
    ) -> Any:
        """Change the given fields of a row of this instance; the whole row is checked as it would become.

        ``extra`` as for ``create``; the audit event (``verb``, by default ``update_<model>``) lists what
        really changed, extra fields included.
        """
        kind = self.exchange
        self.assert_local(obj)
        before = kind.row(obj)
        before_extra = {name: getattr(obj, name) for name in extra or {}}
        values = {**before, **changes}
        refs = self.references(values)
        clean, errors = kind.clean(values, refs)
        if errors:
            raise RecordRejected(grouped(errors))
        present = frozenset(name for name in changes if name in kind.fields)
        with transaction.atomic(), watching(self.kind_name) as watch:
            if clean["key"] != obj.key:
                self._check_key_free(clean["key"], exclude_pk=obj.pk)
            watch.before([obj.pk])
            for name, value in (extra or {}).items():
                setattr(obj, name, value)
            self._save(obj, clean, present, refs)
            watch.after([obj.pk])
            after = kind.row(kind.queryset().get(pk=obj.pk))
            changed = {n: [before[n], after[n]] for n in kind.fields if before[n] != after[n]}
            changed.update(
                {n: [before_extra[n], v] for n, v in (extra or {}).items() if before_extra[n] != v}
            )
            if changed:
                record(actor, "update", verb or self._verb("update"), obj, changed)
        return obj

    def delete(self, actor: Any, obj: Any) -> None:
        """Delete a row of this instance, unless other rows still need it (then nothing happens)."""
        kind = self.exchange
        self.assert_local(obj)
        row = kind.row(obj)
        try:
            with transaction.atomic(), watching(self.kind_name) as watch:
                record(
                    actor,
                    "delete",
                    self._verb("delete"),
                    obj,
                    {name: [row[name], None] for name in kind.fields},
                )
                watch.before([obj.pk])
                obj.delete()
                watch.after([])
        except ProtectedError as error:
            users = sorted({str(item._meta.verbose_name_plural) for item in error.protected_objects})
            raise RecordInUse(
                f"'{obj.key}' is still used by {', '.join(users)}; change those first."
            ) from None

    def assert_local(self, obj: Any) -> None:
        if obj.origin != instance_id():
            source = "reference data (origin seed)" if obj.origin == SEED_ORIGIN else f"from {obj.origin}"
            raise RecordReadOnly(f"'{obj.key}' is {source} and cannot be changed here.")

    def _check_key_free(self, key: str, exclude_pk: int | None = None) -> None:
        """A new key must be free here, in the seed and among peers' copies: keys are unique per origin,
        and a local record under a peer's key would shadow that record wherever a bare key is read."""
        taken = self.exchange.model._default_manager.filter(key=key)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        origins = set(taken.values_list("origin", flat=True))
        if origins & {instance_id(), SEED_ORIGIN}:
            raise RecordConflict({"key": [f"'{key}' is already taken"]}, "The key is already taken.")
        if origins and not self.keyed_by_subject:
            message = f"'{key}' is already the key of a record of {sorted(origins)[0]}; choose another key"
            raise RecordConflict({"key": [message]}, "The key is already taken.")

    def _key_taken(self, key: Any) -> bool:
        if not key:
            return False
        model = self.exchange.model._default_manager
        return bool(model.filter(key=key, origin__in=[instance_id(), SEED_ORIGIN]).exists())

    def _save(self, obj: Any, clean: Clean, present: frozenset[str], refs: References) -> None:
        kind = self.exchange
        kind.assign(obj, clean, present, refs)
        kind.prepare(obj, refs)
        self.before_save(obj, clean, refs)
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:
            # Two writers raced for one key (the check before the save saw it free), or a constraint the
            # cleaner does not know: the database's own words never reach a response.
            if obj.pk is None and self._key_taken(clean.get("key")):
                raise RecordConflict(
                    {"key": [f"'{clean['key']}' is already taken"]}, "The key is already taken."
                ) from None
            raise RecordConflict({}, "The row conflicts with another row; reload and try again.") from None
        for name, ids in kind.m2m_ids(clean, refs).items():
            if name in present:
                getattr(obj, kind.m2m[name]).set(ids)

    def _verb(self, action: str) -> str:
        return f"{action}_{self.exchange.model._meta.model_name}"

    # -- many at once (import) -----------------------------------------------------------------------

    def changes(self, obj: Any, clean: Clean, present: frozenset[str]) -> bool:
        stored = self.exchange.row(obj)
        return any(stored.get(name) != clean.get(name) for name in present)

    @contextmanager
    def importing(self) -> Iterator[None]:
        """One transaction around several ``write_plan`` calls (an import's chunks), watched as one write.

        The kind's observers watch the whole of it, ``held`` (``base.observers``): the registry's tally
        counts the rows once at the end instead of once per chunk.
        """
        with transaction.atomic(), watching(self.kind_name, repair=True, held=True) as watch:
            token = _IMPORTING.set((self.kind_name, watch))
            try:
                yield
            finally:
                _IMPORTING.reset(token)

    @contextmanager
    def _watching_plan(self) -> Iterator[Watch]:
        session = _IMPORTING.get()
        if session is not None and session[0] == self.kind_name:
            yield session[1]
            return
        with watching(self.kind_name, repair=True) as watch:
            yield watch

    def write_plan(self, plan: list[Planned], refs: References) -> WriteCounts:
        """Write an import's checked rows in one transaction: new rows in batches, changed rows one by one.

        Observers repair derived data that was stale before (an import is a bulk load).
        """
        kind = self.exchange
        counts = WriteCounts()
        full = frozenset(kind.fields)
        changing = [
            item.existing
            for item in plan
            if item.existing is not None and self.changes(item.existing, item.clean, item.present)
        ]
        before_rows = {obj.pk: kind.row(obj) for obj in changing} if self.audit_imports else {}
        with transaction.atomic(), self._watching_plan() as watch:
            watch.before([obj.pk for obj in changing])
            for item in plan:
                if item.existing is None:
                    counts.created += 1
                elif self.changes(item.existing, item.clean, item.present):
                    kind.assign(item.existing, item.clean, item.present, refs)
                    kind.prepare(item.existing, refs)
                    self.before_save(item.existing, item.clean, refs)
                    item.existing.save()
                    for name, ids in kind.m2m_ids(item.clean, refs).items():
                        if name in item.present:
                            getattr(item.existing, kind.m2m[name]).set(ids)
                    counts.updated += 1
                else:
                    counts.unchanged += 1
            # New rows become model objects one batch at a time and only their ids are kept: memory
            # holds the plan, not a model object per row of the file.
            made_ids: list[int] = []
            made: list[Model] = []
            batch: list[tuple[Model, Clean]] = []
            fresh = (item for item in plan if item.existing is None)
            while True:
                batch.clear()
                for item in fresh:
                    obj = kind.model()
                    kind.assign(obj, item.clean, full, refs)
                    kind.prepare(obj, refs)
                    self.before_save(obj, item.clean, refs)
                    batch.append((obj, item.clean))
                    if len(batch) == BATCH:
                        break
                if not batch:
                    break
                self.create_many(batch, refs)
                made_ids.extend(obj.pk for obj, _ in batch)
                if self.audit_imports:
                    made.extend(obj for obj, _ in batch)
            watch.after([obj.pk for obj in changing] + made_ids)
            if self.audit_imports:
                self._audit_import(before_rows, changing, made)
        return counts

    def _audit_import(self, before: dict[int, Clean], changed: list[Any], made: list[Any]) -> None:
        """One event per row an import wrote, by the operator (no person: the command line)."""
        kind = self.exchange
        verb = f"import_{kind.model._meta.model_name}"
        fresh = {obj.pk: obj for obj in kind.queryset().filter(pk__in=[o.pk for o in [*changed, *made]])}
        for obj in made:
            row = kind.row(fresh[obj.pk])
            record(None, "create", verb, obj, {name: [None, row[name]] for name in kind.fields})
        for obj in changed:
            row, old = kind.row(fresh[obj.pk]), before[obj.pk]
            record(None, "update", verb, obj, {n: [old[n], row[n]] for n in kind.fields if old[n] != row[n]})

    def create_many(self, rows: list[tuple[Model, Clean]], refs: References) -> None:
        """Insert rows made from clean rows, with their links, and announce them (no per-row signals)."""
        kind = self.exchange
        insert_objects(kind.model, [obj for obj, _ in rows])
        bulk_links(kind, rows, refs)
        exchange_rows = (
            [{name: clean.get(name) for name in kind.fields} for _, clean in rows]
            if kind.clean_is_row
            else None
        )
        records_created.send(sender=kind.model, records=[obj for obj, _ in rows], rows=exchange_rows)

    # -- a peer's copies (federation apply) ----------------------------------------------------------

    def upsert_foreign(self, origin: str, rows: list[ForeignRow]) -> tuple[dict[UUID, str], int, int]:
        """Create or update ``origin``'s copies of its records; returns problems by record, created, updated.

        Fields go through the kind's own cleaner, so a peer's row passes the same checks as an imported one;
        keys it names mean the peer's own rows first. Call inside the apply transaction (a savepoint). A kind
        with a wire form of its own (``RecordKind.wire``) is cleaned in that form, the one peers send.
        """
        kind = record_kind(self.kind_name).serializer
        refs = References(preferred=origin)
        wanted: dict[str, set[str]] = {}
        for row in rows:
            for ref_kind, keys in kind.referenced(row.values).items():
                wanted.setdefault(ref_kind, set()).update(keys)
        refs.load(**wanted)
        uuids = [row.uuid for row in rows]
        existing: dict[UUID, Any] = {}
        for start in range(0, len(uuids), CHUNK):
            chunk = uuids[start : start + CHUNK]
            for stored in kind.model._default_manager.filter(origin=origin, uuid__in=chunk):
                existing[stored.uuid] = stored  # type: ignore[attr-defined]
        problems: dict[UUID, str] = {}
        full = frozenset(kind.fields)
        new: list[tuple[Model, Clean]] = []
        updated = 0
        with watching(self.kind_name, repair=True) as watch:
            for row in rows:
                clean, errors = kind.clean(row.values, refs)
                if errors:
                    problems[row.uuid] = "; ".join(f"field '{name}': {message}" for name, message in errors)
                    continue
                obj: Any = existing.get(row.uuid)
                if obj is None:
                    obj = kind.model(origin=origin, uuid=row.uuid)
                    kind.assign(obj, clean, full, refs)
                    kind.prepare(obj, refs)
                    new.append((obj, clean))
                    continue
                watch.before([obj.pk])
                kind.assign(obj, clean, full, refs)
                kind.prepare(obj, refs)
                obj.save()
                for name, ids in kind.m2m_ids(clean, refs).items():
                    getattr(obj, kind.m2m[name]).set(ids)
                watch.after([obj.pk])
                updated += 1
            if new:
                insert_objects(kind.model, [obj for obj, _ in new])
                bulk_links(kind, new, refs)
                watch.after([obj.pk for obj, _ in new])
        return problems, len(new), updated

    def delete_foreign(self, origin: str, uuid: UUID) -> int:
        """Delete ``origin``'s copy of a record it deleted (``ProtectedError`` while rows here need it)."""
        rows = self.exchange.model._default_manager.filter(origin=origin, uuid=uuid)
        with transaction.atomic(), watching(self.kind_name, repair=True) as watch:
            ids = list(rows.values_list("pk", flat=True))
            watch.before(ids)
            rows.delete()
            watch.after([])
        return 1 if ids else 0
