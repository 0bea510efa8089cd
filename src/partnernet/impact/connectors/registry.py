"""Which connector reads which kind of source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import httpx

from partnernet.impact.connectors import commons, dashboard, pageviews, wikidata
from partnernet.impact.connectors.http import Measurement

Fetcher = Callable[[httpx.Client, str, dt.date, dt.date], list[Measurement]]

CONNECTORS: dict[str, Fetcher] = {
    "commons": commons.fetch,
    "wikidata": wikidata.fetch,
    "pageviews": pageviews.fetch,
    "dashboard": dashboard.fetch,
}
