"""Differences between two snapshots of the framework, for the versioned history.

A snapshot is plain data: ``{section: {key: {field: value}}}`` with sections such as ``types``, ``themes``
and ``stewardships``. Comparing whole snapshots (rather than replaying changelogs) lets a reader compare any
two versions, not only neighbours, and keeps the answer right whatever happened in between.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

Snapshot = Mapping[str, Mapping[str, Mapping[str, Any]]]


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class Change:
    section: str
    key: str
    kind: ChangeKind
    fields: tuple[tuple[str, Any, Any], ...] = ()
    """For a change: (field, before, after) in field order; for an addition or removal, empty."""


def diff_snapshots(before: Snapshot, after: Snapshot) -> list[Change]:
    """Every row added, removed or changed from ``before`` to ``after``, by section then key."""
    changes: list[Change] = []
    for section in sorted(set(before) | set(after)):
        old_rows, new_rows = before.get(section, {}), after.get(section, {})
        for key in sorted(set(old_rows) | set(new_rows)):
            if key not in old_rows:
                changes.append(Change(section, key, ChangeKind.ADDED))
            elif key not in new_rows:
                changes.append(Change(section, key, ChangeKind.REMOVED))
            else:
                old, new = old_rows[key], new_rows[key]
                fields = tuple(
                    (name, old.get(name), new.get(name))
                    for name in sorted(set(old) | set(new))
                    if old.get(name) != new.get(name)
                )
                if fields:
                    changes.append(Change(section, key, ChangeKind.CHANGED, fields))
    return changes
