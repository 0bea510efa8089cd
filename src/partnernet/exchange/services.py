"""Importing a file of FORMATS.md rows: all or nothing, every problem reported at once.

Rows are read, cleaned and checked against what is stored a chunk at a time, and the owning app's writer
(``RecordKind.writer``) writes each chunk while the file has shown no problem, all in one transaction that
a problem rolls back. So a file with one bad line changes nothing, the report names every bad line at once
rather than the first, and memory holds one chunk, not the file. This module knows the kinds only through
``base.registry``: it imports no domain app.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from partnernet.base.cleaning import Clean
from partnernet.base.formats import FileProblems, Problem, RowStream, SourceRow, format_of
from partnernet.base.identity import instance_id
from partnernet.base.inlists import among
from partnernet.base.models import SEED_ORIGIN
from partnernet.base.records import Planned, RecordWriter, WriteCounts
from partnernet.base.references import CHUNK, References, origin_rank
from partnernet.base.registry import RecordKind, record_kind
from partnernet.exchange.keys import SeenKeys, seen_keys
from partnernet.exchange.planner import BULK_ROWS, refresh_planner_statistics


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


def importable(kind_name: str) -> tuple[RecordKind, RecordWriter]:
    """The kind of FORMATS.md named ``kind_name`` with its writer (``FieldError`` for an unknown name)."""
    kind = record_kind(kind_name)
    if not kind.file_kind or kind.writer is None:
        from partnernet.base.fields import FieldError
        from partnernet.base.registry import file_kind_names

        raise FieldError(f"unknown kind '{kind_name}' (one of: {', '.join(file_kind_names())})")
    return kind, kind.writer


def import_file(kind_name: str, path: Path, fmt: str | None = None) -> ImportResult:
    """Upsert every row of ``path`` into ``kind_name``; raise ``ImportRejected`` listing all problems.

    The file is read, checked and written ``IMPORT_CHUNK`` rows at a time inside one transaction, so memory
    holds one chunk whatever the file's size. Once a problem is found nothing more is written, the rest of
    the file is still checked (every problem is reported at once), and the transaction is rolled back: a
    file with one bad line changes nothing.
    """
    kind, writer = importable(kind_name)
    spec = kind.exchange
    try:
        with RowStream(path, format_of(path, fmt), spec.fields) as stream, writer.importing():
            if stream.fmt == "csv":
                stream.problems.extend(
                    Problem(1, name, "required column is missing")
                    for name in sorted(spec.required - set(stream.columns))
                )
            counts = _write_checked(writer, stream)
            if stream.problems:
                raise ImportRejected(
                    sorted(
                        stream.problems,
                        key=lambda p: (p.line, spec.fields.index(p.field) if p.field in spec.fields else -1),
                    )
                )
    except FileProblems as error:
        raise ImportRejected(error.problems) from None
    result = ImportResult(kind.name, counts.created, counts.updated, counts.unchanged)
    if result.created + result.updated >= BULK_ROWS:
        refresh_planner_statistics()
    return result


IMPORT_CHUNK = 5000
"""Rows read, checked and written together: enough to batch every query, few enough to hold in memory."""


def _write_checked(writer: RecordWriter, stream: RowStream) -> WriteCounts:
    """Check every row of ``stream``; write each chunk while no problem has been found (``_Checker``)."""
    with seen_keys() as seen:
        return _write_chunks(_Checker(writer, seen), stream)


def _write_chunks(checker: _Checker, stream: RowStream) -> WriteCounts:
    writer = checker.writer
    counts = WriteCounts()
    rows = iter(stream)
    while chunk := list(islice(rows, IMPORT_CHUNK)):
        plan = checker.plan(chunk, stream.problems)
        if not stream.problems:
            written = writer.write_plan(plan, checker.refs)
            counts.created += written.created
            counts.updated += written.updated
            counts.unchanged += written.unchanged
    return counts


class _Checker:
    """Checks an import's chunks as one file, remembering across them only what ``SeenKeys`` keeps.

    That is each key's first line (to report a key given twice) and which keys this import created: for a
    kind that names rows of its own kind (a resource's ``translation_of``), a row may not name a record
    that exists only because an earlier line of the same file created it, so the outcome does not depend on
    the order of the lines or the size of the chunks.
    """

    def __init__(self, writer: RecordWriter, seen: SeenKeys):
        self.writer = writer
        self.seen = seen
        self.refs = References()

    def plan(self, rows: list[SourceRow], problems: list[Problem]) -> list[Planned]:
        """The chunk's rows that can be written, each problem of the others added to ``problems``."""
        names_own_kind = self._load_references(rows)
        cleaned, first_lines = self._clean(rows, problems)
        plan = self._against_stored(cleaned, problems)
        made = {item.clean["key"] for item in plan if item.existing is None} if names_own_kind else set()
        self.seen.add((key, line, key in made) for key, line in first_lines.items())
        return plan

    def _load_references(self, rows: list[SourceRow]) -> bool:
        """Resolve every key the rows name; whether the kind names rows of its own kind."""
        writer, refs = self.writer, self.refs
        refs.keys.clear()
        wanted: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            for ref_kind, keys in writer.exchange.referenced(row.values).items():
                wanted[ref_kind].update(keys)
        refs.load(**wanted)
        if writer.kind_name not in wanted:
            return False
        own = refs.ids(writer.kind_name)
        for key in self.seen.created(list(own)):
            del own[key]
        return True

    def _clean(
        self, rows: list[SourceRow], problems: list[Problem]
    ) -> tuple[list[tuple[SourceRow, Clean]], dict[str, int]]:
        """The rows that clean without a problem, and the first line of each key new in this chunk."""
        kind = self.writer.exchange
        checked = [(row, *kind.clean(row.values, self.refs)) for row in rows]
        earlier = self.seen.first_lines([clean["key"] for _, clean, _ in checked if clean.get("key")])
        here: dict[str, int] = {}
        cleaned: list[tuple[SourceRow, Clean]] = []
        for row, clean, errors in checked:
            problems.extend(Problem(row.line, name, message) for name, message in errors)
            row_key = clean.get("key")
            if row_key:
                first = earlier.get(row_key) or here.get(row_key)
                if first:
                    problems.append(
                        Problem(row.line, "key", f"duplicate key '{row_key}' (first on line {first})")
                    )
                    continue
                here[row_key] = row.line
            if not errors:
                cleaned.append((row, clean))
        return cleaned, here

    def _against_stored(
        self, cleaned: list[tuple[SourceRow, Clean]], problems: list[Problem]
    ) -> list[Planned]:
        """Clean rows checked against the stored ones: no peer's key taken, no reference data changed."""
        writer = self.writer
        kind = writer.exchange
        existing, peers = _stored(writer, [clean["key"] for _, clean in cleaned])
        plan: list[Planned] = []
        for row, clean in cleaned:
            present = frozenset(name for name in kind.fields if name in row.values)
            current = existing.get(clean["key"])
            if current is None and clean["key"] in peers:
                problems.append(
                    Problem(
                        row.line,
                        "key",
                        f"'{clean['key']}' is already the key of a record of {peers[clean['key']]} (keys are "
                        "unique per origin, and a record of this instance must not shadow a peer's): choose "
                        "another key",
                    )
                )
                continue
            if (
                current is not None
                and current.origin == SEED_ORIGIN
                and writer.changes(current, clean, present)
            ):
                problems.append(
                    Problem(
                        row.line,
                        "key",
                        f"'{clean['key']}' is reference data (origin seed) and cannot be changed here",
                    )
                )
                continue
            plan.append(Planned(row.line, clean, present, current))
        return plan


def _stored(writer: RecordWriter, keys: Iterable[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """What is stored under ``keys``: this instance's or the seed's rows by key, ready for the kind's
    ``row``, and of the other keys those a peer's record uses, with that peer's id.

    One query of keys and origins first: a new key (most of a first import) costs no row read.
    """
    local = instance_id()
    model = writer.exchange.model
    origins: dict[str, list[str]] = defaultdict(list)
    for key, origin in (
        model._default_manager.filter(among("key", sorted(set(keys))))
        .values_list("key", "origin")
        .order_by("origin")
    ):
        origins[key].append(origin)
    ours = sorted(key for key, found in origins.items() if local in found or SEED_ORIGIN in found)
    existing: dict[str, Any] = {}
    for start in range(0, len(ours), CHUNK):
        chunk = ours[start : start + CHUNK]
        for obj in writer.exchange.queryset().filter(among("key", chunk), origin__in=[local, SEED_ORIGIN]):
            current = existing.get(obj.key)
            if current is None or origin_rank(obj.origin, local) < origin_rank(current.origin, local):
                existing[obj.key] = obj
    peers = {
        key: others[0]
        for key, found in origins.items()
        if key not in existing
        and (others := [origin for origin in found if origin not in (local, SEED_ORIGIN)])
    }
    return existing, peers
