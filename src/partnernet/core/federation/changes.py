"""What verified activities do to the records a peer already holds.

A peer keeps, for every foreign record it has seen, the record's kind, its version (the sequence number of
the last activity applied to it) and whether it is deleted; a deleted record stays behind as a tombstone.
From that alone the outcome of each activity follows:

- an activity at or below the known version is a replay or an older state: ignored, so applying the same
  page twice changes nothing;
- a tombstone is final against everything older: a replayed or late Create or Update at or below the
  tombstone's version never brings the record back; a *newer* Create or Update does — the origin published
  the record again (a partnership made private, then public again), and only the origin can sign a newer
  version;
- a Create or Update of an unknown record creates it (a feed compacted by its origin may start a record
  with an Update), of a live record updates it; a Delete deletes it, or records the tombstone of a
  record never seen, so an older Create arriving later cannot resurrect it;
- an activity whose kind differs from the record's known kind is refused: a global id names one record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from partnernet.core.federation.activities import Activity, Verb


class Action(StrEnum):
    """What the caller does with one activity."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    IGNORE = "ignore"
    REFUSE = "refuse"


@dataclass(frozen=True)
class KnownVersion:
    """What a peer holds about one foreign record."""

    kind: str
    sequence: int
    deleted: bool = False


@dataclass(frozen=True)
class Change:
    """The decision for one activity, with a reason fit for a sync log."""

    action: Action
    activity: Activity
    reason: str


@dataclass(frozen=True)
class ChangePlan:
    """Decisions in activity order, and the versions to store for the records they touch.

    ``versions`` maps global ids (``origin:uuid``) to their state after the whole plan; it holds only
    records that a create, update or delete touched. Apply ``changes`` in order, in one transaction with
    the versions and the feed cursor.
    """

    changes: tuple[Change, ...]
    versions: Mapping[str, KnownVersion]


def plan_changes(known: Mapping[str, KnownVersion], activities: Iterable[Activity]) -> ChangePlan:
    """Decide every activity against ``known`` (global id → version) and the activities before it."""
    current = dict(known)
    touched: dict[str, KnownVersion] = {}
    changes: list[Change] = []
    for activity in activities:
        change = decide(current.get(activity.global_id), activity)
        changes.append(change)
        if change.action in (Action.CREATE, Action.UPDATE, Action.DELETE):
            version = KnownVersion(activity.kind, activity.sequence, deleted=change.action is Action.DELETE)
            current[activity.global_id] = touched[activity.global_id] = version
    return ChangePlan(changes=tuple(changes), versions=touched)


def decide(known: KnownVersion | None, activity: Activity) -> Change:
    """The decision for one activity given what is known of its record (``None``: never seen)."""
    record = activity.global_id
    if known is not None and known.kind != activity.kind:
        return Change(Action.REFUSE, activity, f"{record} is {known.kind}, not {activity.kind}")
    if known is not None and known.deleted and activity.sequence <= known.sequence:
        return Change(Action.IGNORE, activity, f"{record} was deleted at {known.sequence}; it stays deleted")
    if known is not None and activity.sequence <= known.sequence:
        return Change(Action.IGNORE, activity, f"{record} is already at {known.sequence}")
    if known is not None and known.deleted:
        if activity.verb is Verb.DELETE:
            return Change(Action.IGNORE, activity, f"{record} is already deleted")
        return Change(
            Action.CREATE, activity, f"{record} published again at {activity.sequence} after its deletion"
        )
    if activity.verb is Verb.DELETE:
        if known is None:
            return Change(Action.DELETE, activity, f"{record} deleted before it was seen; tombstone kept")
        return Change(Action.DELETE, activity, f"{record} deleted at {activity.sequence}")
    if known is None:
        return Change(Action.CREATE, activity, f"{record} created at {activity.sequence}")
    return Change(Action.UPDATE, activity, f"{record} updated from {known.sequence} to {activity.sequence}")
