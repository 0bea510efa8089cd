"""The network and the page's report, computed once per version of the data they read, in each process.

The analytics page used to read the whole network (every partnership's lead and supporters, every resolved
request) and rebuild its report on every request: about half a second alone at 100,000 partnerships, so a
few readers at once queued for seconds. What those figures read changes only when one of its tables does,
and each table tells cheaply that it changed: its row count, highest id and latest ``updated_at`` (the link
tables, whose rows are only ever inserted or deleted, by count and highest id). Together these are the
*version*. A request that finds figures made at the current version reuses them; a write in any process —
a row saved, created or deleted, a link added or removed — moves the version, and the next request reads
afresh. A bulk ``update()`` that changes no count and no ``updated_at`` would not move it: the only ones on
these tables are the taxonomy merges, which also delete the merged term (and so move the version).

The version is read before the figures, so figures are never older than the version they are held under.
One slot per kind of figure: a process holds the latest network, and a report per level and day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db.models import Count, Max, Model

from partnernet.analytics.models import Snapshot
from partnernet.analytics.report import PageReport, page_report
from partnernet.analytics.selectors import NetworkData, network_data
from partnernet.directory.models import Entity
from partnernet.framework.models import PartnershipType, Stewardship, Theme
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.tally import table_fingerprint
from partnernet.support.models import SupportRequest

T = TypeVar("T")
_held: dict[Hashable, tuple[Hashable, Any]] = {}


def _changed(model: type[Model], stamp: str | None = "updated_at") -> tuple[Any, ...]:
    figures: dict[str, Any] = {"n": Count("pk"), "top": Max("pk")}
    if stamp:
        figures["changed"] = Max(stamp)
    return tuple(model._default_manager.order_by().aggregate(**figures).values())


def network_version() -> tuple[Any, ...]:
    """Moves whenever a row that ``network_data`` or ``page_report`` reads is written."""
    return (
        table_fingerprint(),
        _changed(Partnership.supporters.through, None),
        _changed(Entity),
        _changed(Entity.regions.through, None),
        _changed(SupportRequest),
        _changed(Stewardship),
        _changed(PartnershipType),
        _changed(Theme),
        _changed(Snapshot, "taken"),
    )


def _reuse(slot: Hashable, version: Hashable, make: Callable[[], T]) -> T:
    held = _held.get(slot)
    if held is not None and held[0] == version:
        value: T = held[1]
        return value
    value = make()
    _held[slot] = (version, value)
    return value


def current_network() -> tuple[Hashable, NetworkData]:
    """The network as ``network_data`` reads it, and the version it was read at."""
    version = network_version()
    return version, _reuse("network", version, network_data)


def current_page_report(version: Hashable, data: NetworkData, level: str) -> PageReport:
    """``page_report(data, level=level)`` for ``data`` read at ``version``, made once per version, level and
    day."""
    return _reuse(("report", level), (version, dt.date.today()), lambda: page_report(data, level=level))


def forget() -> None:
    """Drop what this process holds (tests that change the data under a fixed clock)."""
    _held.clear()
