"""The HTTP client every connector shares: timeouts, retries with backoff, and an honest User-Agent.

Wikimedia's API etiquette asks for a User-Agent that names the tool and a way to reach its operator, and
for backing off when told to (429, 503 with Retry-After). Transport failures that outlast the retries become
``NetworkUnreachable`` so the command line can say so plainly and exit 1 (FORMATS.md).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
from django.conf import settings

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0


class ConnectorError(Exception):
    """The service answered, but not with what the connector can use (bad status, bad JSON, bad target)."""


class NetworkUnreachable(ConnectorError):
    """No answer at all after every retry: DNS, refused connection, timeout."""


@dataclass(frozen=True)
class Measurement:
    """One figure a connector read, for one indicator and period, with where it came from."""

    indicator: str
    value: Decimal
    period_start: dt.date
    period_end: dt.date
    source_url: str
    note: str = ""


def make_client() -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(settings.IMPACT_HTTP_TIMEOUT),
        headers={"User-Agent": settings.IMPACT_USER_AGENT, "Accept": "application/json"},
        follow_redirects=True,
    )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(value)))
    except ValueError:
        return None


def get_json(
    client: httpx.Client,
    url: str,
    params: dict[str, Any] | None = None,
    *,
    missing_ok: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> Any:
    """GET ``url`` and decode JSON, retrying 429/5xx and transport errors with exponential backoff.

    With ``missing_ok`` a 404 returns ``None`` (the Pageviews API answers 404 for articles without data).
    """
    retries = max(0, int(settings.IMPACT_HTTP_RETRIES))
    backoff = float(getattr(settings, "IMPACT_HTTP_BACKOFF", 1.0))
    last_error = ""
    for attempt in range(retries + 1):
        delay = backoff * (2**attempt)
        try:
            response = client.get(url, params=params)
        except httpx.TransportError as exc:
            last_error = f"{type(exc).__name__}: {exc}"
            if attempt < retries:
                sleep(delay)
                continue
            raise NetworkUnreachable(f"cannot reach {_host(url)} ({last_error})") from exc
        if response.status_code in RETRY_STATUSES and attempt < retries:
            sleep(_retry_after(response) or delay)
            last_error = f"HTTP {response.status_code}"
            continue
        if response.status_code == 404 and missing_ok:
            return None
        if response.status_code >= 400:
            raise ConnectorError(f"{_host(url)} answered HTTP {response.status_code} for {response.url}")
        try:
            return response.json()
        except ValueError as exc:
            raise ConnectorError(f"{_host(url)} did not answer JSON for {response.url}") from exc
    raise ConnectorError(f"{_host(url)} kept failing ({last_error})")  # pragma: no cover - loop returns


def _host(url: str) -> str:
    return httpx.URL(url).host or url


def mediawiki_query(client: httpx.Client, api: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """All result batches of a MediaWiki ``action=query``, following ``continue`` until done."""
    return list(mediawiki_batches(client, api, params))


def mediawiki_batches(client: httpx.Client, api: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Result batches of a MediaWiki ``action=query`` one by one, so a caller can stop early."""
    base = {"action": "query", "format": "json", "formatversion": "2", **params}
    cont: dict[str, Any] = {}
    for _ in range(10_000):
        data = get_json(client, api, {**base, **cont})
        if not isinstance(data, dict):
            raise ConnectorError(f"{_host(api)} answered something that is not a query result")
        if "error" in data:
            error = data["error"]
            raise ConnectorError(f"{_host(api)}: {error.get('code', 'error')}: {error.get('info', '')}")
        yield data.get("query", {})
        if "continue" not in data:
            return
        cont = dict(data["continue"])
    raise ConnectorError(f"{_host(api)} kept asking to continue")  # pragma: no cover - defensive bound
