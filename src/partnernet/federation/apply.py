"""Applying a verified page of a peer's activities to this instance's rows, all in one transaction.

The pure reducer (``core.federation.changes.plan_changes``) decides what each activity does given the
versions already held; this module carries the decisions out. Rows are upserted by global id with the
peer's instance id as their origin, so everywhere else they are read-only (``is_local_row``). Fields are
written by the owning app's writer (``RecordKind.writer``, found in ``base.registry``), whose cleaner checks a
peer's row exactly as an imported one; keys it names resolve to the peer's own rows first, then reference
data, then any other copy. This module imports no domain app.

An activity that cannot be applied (an unknown key, a value this instance refuses) does not stop the page:
its version is recorded with the problem and the activity kept, and ``retry_problems`` applies it once
the missing record has arrived. Runs of one kind are written in bulk; if the database refuses a bulk write
the run is redone row by row so one bad row cannot take the others with it. Whatever the owning apps derive
from their rows (the registry's facet tally) follows in the same transaction and savepoints, through the
writers' observers.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone

from partnernet.base.bulk import insert_rows
from partnernet.base.records import ForeignRow
from partnernet.base.references import CHUNK, preferred_ids
from partnernet.base.registry import RecordKind, find_kind
from partnernet.core.federation.activities import Activity, parse_activity
from partnernet.core.federation.canonical import JsonValue, canonical_json, parse_json
from partnernet.core.federation.changes import Action, Change, KnownVersion, plan_changes
from partnernet.federation.models import ForeignRecord, Peer
from partnernet.federation.registry import federated_kind

logger = logging.getLogger("partnernet.federation")


@dataclass
class PageResult:
    """What applying one page did, for the sync report and the log."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    ignored: int = 0
    refused: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return self.created + self.updated + self.deleted


def apply_page(
    peer: Peer, activities: Sequence[Activity], cursor: int, documents: dict[int, JsonValue]
) -> PageResult:
    """Apply ``activities`` (verified, in feed order) and move the peer's cursor to ``cursor``, atomically.

    ``documents`` maps sequence numbers to the activity documents as received; the ones that hit a problem
    are kept so they can be applied later.
    """
    result = PageResult()
    with transaction.atomic():
        known = _known_versions(peer.instance_id, activities)
        plan = plan_changes(known, activities)
        problems: dict[str, str] = {}
        for change in plan.changes:
            if change.action is Action.IGNORE:
                result.ignored += 1
                logger.info("peer %s: %s", peer.instance_id, change.reason)
            elif change.action is Action.REFUSE:
                result.refused += 1
                logger.warning("peer %s: refused %s", peer.instance_id, change.reason)
        effective = [c for c in plan.changes if c.action in (Action.CREATE, Action.UPDATE, Action.DELETE)]
        for run in _runs(effective):
            problems.update(_apply_run(peer, run, result))
        _store_versions(peer.instance_id, plan.versions, problems, documents, known)
        for global_id, problem in problems.items():
            message = f"{global_id}: {problem}"
            result.problems.append(message)
            logger.warning("peer %s: could not apply %s (kept, will retry)", peer.instance_id, message)
        Peer.objects.filter(pk=peer.pk).update(
            cursor=cursor, records_applied=F("records_applied") + result.applied
        )
    peer.cursor = cursor
    return result


def _known_versions(origin: str, activities: Sequence[Activity]) -> dict[str, KnownVersion]:
    uuids = sorted({a.record.uuid for a in activities})
    known: dict[str, KnownVersion] = {}
    for start in range(0, len(uuids), CHUNK):
        rows = ForeignRecord.objects.filter(origin=origin, uuid__in=uuids[start : start + CHUNK])
        for row in rows.only("uuid", "kind", "sequence", "deleted"):
            known[f"{origin}:{row.uuid}"] = KnownVersion(row.kind, row.sequence, row.deleted)
    return known


def _runs(changes: list[Change]) -> list[list[Change]]:
    """Consecutive changes of one kind and one sort (upsert or delete), each record once (its last change).

    Order between runs is feed order, so a record is written before the records that name it.
    """
    runs: list[list[Change]] = []
    for change in changes:
        sort = (change.activity.kind, change.action is Action.DELETE)
        last = runs[-1] if runs else None
        if last is not None and (last[0].activity.kind, last[0].action is Action.DELETE) == sort:
            last.append(change)
        else:
            runs.append([change])
    deduplicated: list[list[Change]] = []
    for run in runs:
        latest = {change.activity.global_id: change for change in run}
        deduplicated.append(list(latest.values()))
    return deduplicated


def _apply_run(peer: Peer, run: list[Change], result: PageResult) -> dict[str, str]:
    kind = federated_kind(run[0].activity.kind)
    if kind is None or (kind.writer is None and not kind.applies_locally):
        return {c.activity.global_id: f"kind {run[0].activity.kind} does not federate here" for c in run}
    if kind.applies_locally:
        from partnernet.federation.delivery import apply_request_status  # the one such kind: requests

        refused: dict[str, str] = {}
        for change in run:
            try:
                with transaction.atomic():
                    problem = apply_request_status(peer, change.activity)
            except DatabaseError as exc:
                problem = f"the database refused it: {exc}"
            if problem:
                refused[change.activity.global_id] = problem
            else:
                result.updated += 1
        return refused
    if run[0].action is Action.DELETE:
        return _delete(peer, kind, run, result)
    try:
        with transaction.atomic():
            return _upsert(peer, kind, run, result)
    except (IntegrityError, DatabaseError) as exc:
        logger.info(
            "peer %s: bulk write of %s refused (%s); applying one by one", peer.instance_id, kind.name, exc
        )
    problems: dict[str, str] = {}
    for change in run:
        try:
            with transaction.atomic():
                problems.update(_upsert(peer, kind, [change], result))
        except (IntegrityError, DatabaseError) as exc:
            problems[change.activity.global_id] = f"the database refused it: {exc}"
    return problems


def _values(activity: Activity) -> dict[str, Any]:
    return {**dict(activity.fields or {}), "key": activity.key}


def _upsert(peer: Peer, kind: RecordKind, run: list[Change], result: PageResult) -> dict[str, str]:
    """Create or update the run's rows through the owning app's writer, in the caller's savepoint; rows
    about an entity the peer is not the home of are refused (kept as problems, never written)."""
    assert kind.writer is not None
    rows = [ForeignRow(change.activity.record.uuid, _values(change.activity)) for change in run]
    refused = _not_homed_there(peer.instance_id, kind, rows)
    problems, created, updated = kind.writer.upsert_foreign(
        peer.instance_id, [row for row in rows if row.uuid not in refused]
    )
    result.created += created
    result.updated += updated
    problems.update(refused)
    return {f"{peer.instance_id}:{uuid}": problem for uuid, problem in problems.items()}


def _not_homed_there(origin: str, kind: RecordKind, rows: list[ForeignRow]) -> dict[UUID, str]:
    """The rows of a kind with a ``home_field`` whose entity is homed elsewhere than ``origin`` (or, for a
    seeded entity no claim homed anywhere, nowhere): a peer speaks only for the entities it is home to.

    The entity a key means is found as the writer finds it (the peer's own rows, then the seed's, then any
    other copy); an unknown key is left to the writer, which reports it and keeps the activity."""
    field = kind.home_field
    entities = find_kind("entities")
    if field is None or entities is None:
        return {}
    keys = {str(row.values.get(field)) for row in rows if row.values.get(field)}
    ids = preferred_ids(entities.model, keys, preferred=origin)
    homes = {
        entity.pk: getattr(entity, "home_instance", "")
        for entity in entities.model._default_manager.filter(pk__in=list(ids.values())).only("home", "origin")
    }
    refused: dict[UUID, str] = {}
    for row in rows:
        key = row.values.get(field)
        pk = ids.get(str(key)) if key else None
        if pk is None:
            continue
        home = homes.get(pk, "")
        if home != origin:
            where = f"homed at {home}" if home else "reference data no claim has homed on any instance"
            refused[row.uuid] = (
                f"field '{field}': entity '{key}' is {where}; {origin} may publish {kind.name} only for "
                "entities homed there"
            )
    return refused


def _delete(peer: Peer, kind: RecordKind, run: list[Change], result: PageResult) -> dict[str, str]:
    assert kind.writer is not None
    problems: dict[str, str] = {}
    for change in run:
        try:
            with transaction.atomic():
                kind.writer.delete_foreign(peer.instance_id, change.activity.record.uuid)
        except ProtectedError as exc:
            names = ", ".join(sorted({str(obj) for obj in exc.protected_objects})[:3])
            problems[change.activity.global_id] = (
                f"deleted at its origin but still referenced here by {names}"
            )
            continue
        result.deleted += 1
    return problems


def _store_versions(
    origin: str,
    versions: Mapping[str, KnownVersion],
    problems: dict[str, str],
    documents: dict[int, JsonValue],
    known: Mapping[str, KnownVersion],
) -> None:
    """Record the version now held of every record the page named; ``known`` (read at the start of the
    page) says which have a row already, so a first pull reads nothing back and inserts plain rows."""
    uuids = {global_id: UUID(global_id.split(":", 1)[1]) for global_id in versions}
    stored = [uuids[global_id] for global_id in versions if global_id in known]
    current = {
        row.uuid: row
        for start in range(0, len(stored), CHUNK)
        for row in ForeignRecord.objects.filter(origin=origin, uuid__in=stored[start : start + CHUNK])
    }
    now = timezone.now()
    changed: list[ForeignRecord] = []
    made: list[tuple[object, ...]] = []
    for global_id, version in versions.items():
        problem = problems.get(global_id, "")
        kept = documents.get(version.sequence) if problem else None
        document = "" if kept is None else activity_text(kept)
        row = current.get(uuids[global_id])
        if row is None:
            made.append(
                (
                    origin,
                    uuids[global_id],
                    version.kind,
                    version.sequence,
                    version.deleted,
                    problem,
                    document,
                    now,
                )
            )
        else:
            row.kind, row.sequence, row.deleted = version.kind, version.sequence, version.deleted
            row.problem, row.document, row.updated_at = problem, document, now
            changed.append(row)
    insert_rows(ForeignRecord, VERSION_FIELDS, made)
    ForeignRecord.objects.bulk_update(
        changed, ["kind", "sequence", "deleted", "problem", "document", "updated_at"], batch_size=500
    )


VERSION_FIELDS = ("origin", "uuid", "kind", "sequence", "deleted", "problem", "document", "updated_at")


def retry_problems(peer: Peer) -> PageResult:
    """Apply again the kept activities of ``peer`` that hit a problem (a record they name may be here now).

    Each is reapplied as if its version were not yet known, in feed order, in one transaction.
    """
    rows = list(
        ForeignRecord.objects.filter(origin=peer.instance_id, deleted=False)
        .exclude(problem="")
        .order_by("sequence")
    )
    activities: list[Activity] = []
    documents: dict[int, JsonValue] = {}
    for row in rows:
        if not row.document:
            continue
        document = parse_json(row.document)
        activity = parse_activity(document)
        activities.append(activity)
        documents[activity.sequence] = document
    if not activities:
        return PageResult()
    with transaction.atomic():
        ForeignRecord.objects.filter(pk__in=[row.pk for row in rows]).delete()
        return apply_page(peer, activities, peer.cursor, documents)


def activity_text(document: JsonValue) -> str:
    """The canonical text of a parsed activity document, as kept for later reapplication."""
    return canonical_json(document).decode("utf-8")
