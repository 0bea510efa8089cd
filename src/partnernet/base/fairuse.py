"""Fair use of the expensive anonymous downloads: a few slots per server process, then 429.

Why: a full export streams every visible row and holds a worker thread for its whole length. Left unlimited,
a handful of anonymous clients asking for it at once occupy every thread, and the pages stop answering for
everybody. People with an account are known and accountable, so they are not limited here; anonymous clients
share ``PARTNERNET_ANONYMOUS_EXPORTS`` slots per process and are told plainly when to come back.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 30

_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None


def _semaphore() -> threading.BoundedSemaphore:
    global _slots
    with _lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(max(1, settings.PARTNERNET_ANONYMOUS_EXPORTS))
        return _slots


def take_slot(request: HttpRequest) -> bool | None:
    """Take an export slot for an anonymous request: True when taken, False when none is free, None when the
    request is not limited (a logged-in person)."""
    if request.user.is_authenticated:
        return None
    return _semaphore().acquire(blocking=False)


def release_slot() -> None:
    _semaphore().release()


class _Holding:
    """Stream ``lines`` while holding a slot, and give it back exactly once: when the stream ends or fails,
    when Django closes the response (the client went away), or when the response is dropped unread."""

    def __init__(self, lines: Iterable[str], taken: bool | None) -> None:
        self._lines = iter(lines)
        self._release = weakref.finalize(self, _semaphore().release) if taken else None

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        try:
            return next(self._lines)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._release is not None:
            self._release()


def holding_slot(lines: Iterable[str], taken: bool | None) -> Iterator[str]:
    """``lines`` as an iterator that gives the export slot back when done (see :class:`_Holding`)."""
    return _Holding(lines, taken)


def busy() -> HttpResponse:
    """The 429 an anonymous client gets while every slot streams: what happened, and when to retry."""
    response = HttpResponse(
        _("Too many anonymous downloads are running right now. Try again in %(seconds)s seconds, or log in.")
        % {"seconds": RETRY_AFTER_SECONDS},
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
