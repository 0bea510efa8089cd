"""The network and the page's report, kept per process while the rows they read are unchanged.

The analytics page used to read the whole network (every partnership's lead and supporters, every resolved
request) and rebuild its report on every request: about a second alone at 100,000 partnerships, so a few
readers at once queued for seconds. ``base.versions`` keeps them until one of the tables below changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import Any

from partnernet.analytics.graph import graph_elements
from partnernet.analytics.models import Snapshot
from partnernet.analytics.report import PageReport, page_report
from partnernet.analytics.selectors import NetworkData, network_data
from partnernet.base.versions import Table, reuse, version_of
from partnernet.directory.models import Entity
from partnernet.framework.models import PartnershipType, Stewardship, Theme
from partnernet.partnerships.models import Partnership
from partnernet.support.models import SupportRequest

READS: tuple[Table, ...] = (
    (Partnership, "updated_at"),
    (Partnership.supporters.through, None),
    (Entity, "updated_at"),
    (Entity.regions.through, None),
    (SupportRequest, "updated_at"),
    (Stewardship, "updated_at"),
    (PartnershipType, "updated_at"),
    (Theme, "updated_at"),
    (Snapshot, "taken"),
)
"""Every table ``network_data`` and ``page_report`` read (regions are reference data: ``seed`` forgets)."""


def network_version() -> tuple[Any, ...]:
    return version_of(READS)


def current_network() -> tuple[Hashable, NetworkData]:
    """The network as ``network_data`` reads it, and the version it was read at."""
    version = network_version()
    return version, reuse("network", version, network_data)


def current_page_report(version: Hashable, data: NetworkData, level: str) -> PageReport:
    """``page_report(data, level=level)`` for ``data`` read at ``version``, made once per version, level and
    day."""
    return reuse(("report", level), (version, dt.date.today()), lambda: page_report(data, level=level))


def current_graph(version: Hashable, data: NetworkData, over_capacity: set[str]) -> dict[str, Any]:
    """``graph_elements`` for ``data`` read at ``version``: ranking every tie of the network costs 60 ms at a
    million partnerships, which every view of the page paid again."""
    held = (version, tuple(sorted(over_capacity)))
    return reuse("graph", held, lambda: graph_elements(data, over_capacity))


def current_names(version: Hashable, data: NetworkData) -> dict[str, str]:
    """Every entity's name by key, for ``data`` read at ``version`` (20,000 of them at a million rows)."""
    return reuse("names", version, lambda: {row.key: row.name for row in data.rows})
