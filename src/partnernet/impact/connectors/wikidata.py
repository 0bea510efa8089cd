"""Wikidata: items created and edited, and edits made, for a list of items or for one property."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import httpx
from django.conf import settings
from django.utils.translation import gettext

from partnernet.impact.connectors.http import (
    ConnectorError,
    Measurement,
    get_json,
    mediawiki_query,
)

QID = re.compile(r"^Q[1-9][0-9]*$")
PID = re.compile(r"^P[1-9][0-9]*$")
BATCH = 50
MAX_ITEMS = 2000
"""Items read per source: beyond this a property is better served by a query service dump."""


def parse_target(target: str) -> tuple[list[str], str | None]:
    """``Q1; Q2`` -> (items, None); ``P123`` -> ([], property). Anything else is an error."""
    parts = [part.strip().upper() for part in re.split(r"[;,\s]+", target) if part.strip()]
    if len(parts) == 1 and PID.match(parts[0]):
        return [], parts[0]
    bad = [part for part in parts if not QID.match(part)]
    if bad or not parts:
        raise ConnectorError(
            gettext("a Wikidata source needs item ids (Q123) or one property (P123), not %(target)r")
            % {"target": target}
        )
    return list(dict.fromkeys(parts)), None


def items_with_property(client: httpx.Client, prop: str) -> list[str]:
    batches = mediawiki_query(
        client,
        settings.IMPACT_WIKIDATA_API,
        {
            "list": "search",
            "srsearch": f"haswbstatement:{prop}",
            "srnamespace": "0",
            "srlimit": "max",
            "srinfo": "",
        },
    )
    items: list[str] = []
    for batch in batches:
        items.extend(hit["title"] for hit in batch.get("search", []))
        if len(items) >= MAX_ITEMS:
            break
    return items[:MAX_ITEMS]


def last_modified(client: httpx.Client, items: list[str]) -> dict[str, dt.datetime]:
    """Existing items -> their last modification (wbgetentities); missing or deleted items are left out."""
    modified: dict[str, dt.datetime] = {}
    for start in range(0, len(items), BATCH):
        data: Any = get_json(
            client,
            settings.IMPACT_WIKIDATA_API,
            {
                "action": "wbgetentities",
                "ids": "|".join(items[start : start + BATCH]),
                "props": "info",
                "format": "json",
            },
        )
        if not isinstance(data, dict) or "entities" not in data:
            raise ConnectorError("Wikidata answered wbgetentities without entities")
        for qid, entity in data["entities"].items():
            if "missing" in entity or "modified" not in entity:
                continue
            modified[qid] = dt.datetime.fromisoformat(entity["modified"].replace("Z", "+00:00"))
    return modified


def revisions_in(client: httpx.Client, item: str, start: dt.date, end: dt.date) -> tuple[int, bool]:
    """(edits to ``item`` within the period, whether its creation is one of them)."""
    batches = mediawiki_query(
        client,
        settings.IMPACT_WIKIDATA_API,
        {
            "prop": "revisions",
            "titles": item,
            "rvprop": "ids|timestamp",
            "rvdir": "newer",
            "rvstart": f"{start.isoformat()}T00:00:00Z",
            "rvend": f"{end.isoformat()}T23:59:59Z",
            "rvlimit": "max",
        },
    )
    edits = 0
    created = False
    for batch in batches:
        for page in batch.get("pages", []):
            for revision in page.get("revisions", []):
                edits += 1
                created = created or revision.get("parentid") == 0
    return edits, created


def fetch(client: httpx.Client, target: str, start: dt.date, end: dt.date) -> list[Measurement]:
    items, prop = parse_target(target)
    if prop:
        items = items_with_property(client, prop)
        url = f"https://www.wikidata.org/wiki/Property:{prop}"
    else:
        url = "https://www.wikidata.org/wiki/" + items[0] if len(items) == 1 else "https://www.wikidata.org/"
    modified = last_modified(client, items)
    since = dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC)
    created = edited = edits = 0
    for item, when in modified.items():
        if when < since:
            continue  # untouched since before the period: neither created nor edited in it
        count, was_created = revisions_in(client, item, start, end)
        edits += count
        edited += 1 if count else 0
        created += 1 if was_created else 0
    note = f"{len(modified)} of {len(items)} items exist"
    return [
        Measurement("wikidata_items_created", Decimal(created), start, end, url, note),
        Measurement("wikidata_items_edited", Decimal(edited), start, end, url, note),
        Measurement("wikidata_edits", Decimal(edits), start, end, url, note),
    ]
