"""Figures computed once per *version* of the rows they read, and kept per process until it moves.

Some pages compute the same figures from many rows on every request: the coverage matrix from every active
stewardship and its load, the analytics from the whole network. What they read changes only when one of
its tables does, and each table tells cheaply that it changed: its delete mark (``base.deletions``), highest
id and latest ``updated_at`` (tables whose rows are only ever inserted or deleted, such as many-to-many
links, by delete mark and highest id). Read together, in one statement, these figures are the version. A
request that finds figures made at the current version reuses them; a write in any process — a row saved,
created or deleted, a link added or removed — moves the version, and the next request computes afresh.

A bulk ``update()`` that deletes nothing and sets no ``updated_at`` would not move it; callers name the
tables and say which are written that way (the taxonomy merges are, and they delete the merged term, which
moves its table's delete mark). The version is read before the figures, so held figures are never older
than their version. One slot per kind of figure: a process keeps only the latest.

A stamp is taken when a row is saved, not when its transaction commits, and an id when it is drawn. Where
two writes overlap (on PostgreSQL or MariaDB; SQLite writes one transaction at a time), the one stamped or
numbered earlier may commit later, under a version a reader has already seen; held figures would then miss
it until the next write. ``MAX_AGE`` bounds that: figures are made afresh at least once a minute.

One thread makes a slot's figures at a time. Under load every thread of a worker would otherwise find the
figures missing at the same moment and compute them side by side, each slowed by the others (the analytics
page: eight threads each spending a second's CPU at 100,000 partnerships, so some readers waited several
seconds). Threads that need figures of a new version wait for the one making them. Figures that are only
older than ``MAX_AGE``, at an unchanged version, are renewed by a background thread while every request
keeps answering with the held ones, which nothing has shown to be out of date: at 1,000,000 partnerships
the analytics' network takes four seconds to read, and the request that happened to find it aged waited
for all of them, once a minute per worker.

Figures of which there are many (a registry filter's facet counts, a page's ids) are not held in the process
but in the instance's cache, shared by every process, with the version in their key (``kept``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection, connections
from django.db.models import Model
from django.utils import translation

from partnernet.base.deletions import mark_sql

T = TypeVar("T")
Table = tuple[type[Model], str | None]
"""A model and the column that every save stamps (``updated_at``), or ``None`` for insert-only rows."""

MAX_AGE = 60.0
"""Seconds after which held figures are made afresh whatever the version (see above)."""

_held: dict[Hashable, tuple[Hashable, float, Any]] = {}
_making: dict[Hashable, threading.RLock] = {}
_renewals: dict[Hashable, threading.Thread] = {}
_locks_lock = threading.Lock()
logger = logging.getLogger("partnernet.versions")


def version_of(tables: Sequence[Table]) -> tuple[Any, ...]:
    """The delete mark, highest id and latest stamp of each table, in one statement (each part is answered
    from a counter, the table's primary key or the stamp's index; ``base.deletions`` says why not a count)."""
    quote = connection.ops.quote_name
    parts: list[str] = []
    params: list[Any] = []
    # Every name comes from the models' metadata, quoted by the backend; the only values are bound.
    for model, stamp in tables:
        table, pk = quote(model._meta.db_table), quote(str(model._meta.pk.column))
        mark, mark_params = mark_sql(connection, model._meta.db_table)
        parts.append(mark)
        params.extend(mark_params)
        parts.append(f"(SELECT MAX({pk}) FROM {table})")  # noqa: S608
        if stamp:
            parts.append(f"(SELECT MAX({quote(stamp)}) FROM {table})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return (connection.alias, *row)


def reuse(slot: Hashable, version: Hashable, make: Callable[[], T]) -> T:
    """What ``make()`` returned for ``slot`` at ``version``, made now if this process holds none; held
    figures older than ``MAX_AGE`` are answered at once and renewed in the background (see above)."""
    held = _held.get(slot)
    if held is not None and held[0] == version:
        if time.monotonic() - held[1] >= MAX_AGE:
            _renew_in_background(slot, version, make)
        return _value(held)
    lock = _lock(slot)
    with lock:
        held = _held.get(slot)
        if held is not None and held[0] == version:
            return _value(held)  # made by the thread this one waited for
        started = time.monotonic()
        value = make()
        _held[slot] = (version, started, value)
        return value


def _renew_in_background(slot: Hashable, version: Hashable, make: Callable[[], Any]) -> None:
    """Make ``slot``'s figures afresh in a thread of their own, once at a time per slot, in the language of
    the request that found them aged (figures carry labels). Its database connection is its own and closed
    when it ends; a failure is logged and the held figures stay until the next attempt."""
    with _locks_lock:
        if slot in _renewals:
            return
        language = translation.get_language()

        def renew() -> None:
            try:
                with _lock(slot), translation.override(language):
                    held = _held.get(slot)
                    if held is None or held[0] != version or time.monotonic() - held[1] < MAX_AGE:
                        return  # a newer version, or figures renewed by another path, are held meanwhile
                    started = time.monotonic()
                    value = make()
                    if _held.get(slot, held)[0] == version:
                        _held[slot] = (version, started, value)
            except Exception:
                logger.exception("renewing the kept figures of %r failed; the held ones stay", slot)
            finally:
                connections.close_all()
                with _locks_lock:
                    _renewals.pop(slot, None)

        worker = threading.Thread(target=renew, name=f"renew {slot!r}", daemon=True)
        _renewals[slot] = worker
    worker.start()


def settle(timeout: float = 10.0) -> None:
    """Wait for the background renewals under way (tests; a worker never needs to)."""
    with _locks_lock:
        running = list(_renewals.values())
    for worker in running:
        worker.join(timeout)


def _value(held: tuple[Hashable, float, Any]) -> Any:
    return held[2]


def _lock(slot: Hashable) -> threading.RLock:
    """The slot's lock; re-entrant, so a ``make`` that reads its own slot again cannot deadlock its thread."""
    lock = _making.get(slot)
    if lock is None:
        with _locks_lock:
            lock = _making.setdefault(slot, threading.RLock())
    return lock


def forget() -> None:
    """Drop everything this process holds (tests start from nothing with it)."""
    _held.clear()


def cache_key(prefix: str, parts: Sequence[Any]) -> str:
    """A key of the instance's cache for what ``parts`` name (JSON; versions included by the caller)."""
    raw = json.dumps(parts, sort_keys=True)
    return f"{prefix}:{hashlib.sha256(raw.encode()).hexdigest()}"


_MISSING = object()


def kept(prefix: str, parts: Sequence[Any], make: Callable[[], T], timeout: int) -> T:
    """What ``make()`` returned for ``parts``, from the instance's cache (shared by every process), made
    now if the cache holds none. Unlike ``reuse``, the version is one of ``parts``: a new version is a new
    key, and the old entry ages out of the cache. ``None`` is kept like any other value."""
    key = cache_key(prefix, parts)
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found
    value = make()
    cache.set(key, value, timeout)
    return value
