"""Watching writes of a kind from the app that needs to follow them, without the writer knowing that app.

The registry's facet tally belongs to the partnerships app, but a partner's kind is one of its facets, and
partners are written by the directory app, which sits below partnerships. So the writers of every kind
announce what they are about to change and what they changed, inside their own transaction, and the apps
that keep derived data (the tally) watch the kinds they follow:

    with watching("partners") as watch:
        watch.before(ids_about_to_change)
        ... write ...
        watch.after(ids_written)

An observer is a factory registered with ``observe_writes(kind, factory)``; ``factory(repair=..., held=...)``
returns a context manager giving a ``Watch``. ``repair`` says the write is a bulk load that may fix derived
data that was stale before it (instead of keeping it stale). ``held`` says the write is one long
transaction of many ``before``/``after`` rounds (an import, chunk by chunk) that is never partly rolled
back: the observer may hold what it saw until the watch ends instead of writing after every round.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from typing import Protocol


class Watch(Protocol):
    def before(self, ids: Collection[int]) -> None:
        """Rows about to change or go, as stored now."""

    def after(self, ids: Collection[int]) -> None:
        """Rows written, as stored now (rows deleted since ``before`` are simply gone)."""


ObserverFactory = Callable[..., AbstractContextManager[Watch]]

_OBSERVERS: dict[str, list[ObserverFactory]] = {}


def observe_writes(kind_name: str, factory: ObserverFactory) -> None:
    """Follow every write of ``kind_name`` (called from the observing app's ``ready``; idempotent)."""
    factories = _OBSERVERS.setdefault(kind_name, [])
    if factory not in factories:
        factories.append(factory)


def is_watched(kind_name: str) -> bool:
    return bool(_OBSERVERS.get(kind_name))


class _Watches:
    def __init__(self, watches: list[Watch]):
        self.watches = watches

    def before(self, ids: Collection[int]) -> None:
        for watch in self.watches:
            watch.before(ids)

    def after(self, ids: Collection[int]) -> None:
        for watch in self.watches:
            watch.after(ids)


@contextmanager
def watching(kind_name: str, *, repair: bool = False, held: bool = False) -> Iterator[Watch]:
    """Every observer of ``kind_name`` watching one write; call inside the write's transaction."""
    with ExitStack() as stack:
        watches = [
            stack.enter_context(factory(repair=repair, held=held))
            for factory in _OBSERVERS.get(kind_name, [])
        ]
        yield _Watches(watches)
