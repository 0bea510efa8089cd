"""Wikimedia Commons: the files in a category tree, and how many of them articles use (globalusage)."""

from __future__ import annotations

import datetime as dt
from collections import deque
from decimal import Decimal
from urllib.parse import quote

import httpx
from django.conf import settings

from partnernet.impact.connectors.http import ConnectorError, Measurement, mediawiki_query

MAX_DEPTH = 3
"""Subcategory levels followed below the partnership's category; deep trees drift off topic."""
BATCH = 50
"""Titles per globalusage request (the API's limit for ordinary clients)."""
MAX_CATEGORIES = 2_000
MAX_FILES = 200_000
"""Beyond these a tree is too broad to be one partnership's work; the source should name a narrower one."""


def _timestamp(value: str) -> dt.date:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()


def category_files(client: httpx.Client, category: str, depth: int = MAX_DEPTH) -> dict[str, dt.date]:
    """File title -> the day it was added to the tree (earliest, if in several categories)."""
    api = settings.IMPACT_COMMONS_API
    title = category if category.startswith("Category:") else f"Category:{category}"
    files: dict[str, dt.date] = {}
    seen = {title}
    queue: deque[tuple[str, int]] = deque([(title, 0)])
    while queue:
        current, level = queue.popleft()
        batches = mediawiki_query(
            client,
            api,
            {
                "list": "categorymembers",
                "cmtitle": current,
                "cmtype": "file|subcat",
                "cmprop": "title|type|timestamp",
                "cmlimit": "max",
            },
        )
        for batch in batches:
            for member in batch.get("categorymembers", []):
                if member.get("type") == "subcat":
                    if level < depth and member["title"] not in seen:
                        seen.add(member["title"])
                        queue.append((member["title"], level + 1))
                        if len(seen) > MAX_CATEGORIES:
                            raise ConnectorError(
                                f"{title} has over {MAX_CATEGORIES} subcategories: name a narrower category"
                            )
                elif member.get("type") == "file":
                    added = _timestamp(member["timestamp"])
                    previous = files.get(member["title"])
                    files[member["title"]] = added if previous is None else min(previous, added)
                    if len(files) > MAX_FILES:
                        raise ConnectorError(
                            f"{title} holds more than {MAX_FILES} files: name a narrower category"
                        )
    return files


def files_used_in_articles(client: httpx.Client, titles: list[str]) -> int:
    """How many of ``titles`` are used in at least one article (namespace 0) of any Wikimedia wiki."""
    api = settings.IMPACT_COMMONS_API
    used: set[str] = set()
    for start in range(0, len(titles), BATCH):
        batches = mediawiki_query(
            client,
            api,
            {
                "prop": "globalusage",
                "titles": "|".join(titles[start : start + BATCH]),
                "guprop": "namespace",
                "gunamespace": "0",
                "gulimit": "max",
            },
        )
        for batch in batches:
            for page in batch.get("pages", []):
                if any(str(usage.get("ns", "0")) == "0" for usage in page.get("globalusage", [])):
                    used.add(page["title"])
    return len(used)


def fetch(client: httpx.Client, target: str, start: dt.date, end: dt.date) -> list[Measurement]:
    category = target.strip()
    if not category:
        raise ConnectorError("a Commons source needs a category name")
    files = category_files(client, category)
    title = category if category.startswith("Category:") else f"Category:{category}"
    url = f"https://commons.wikimedia.org/wiki/{quote(title.replace(' ', '_'))}"
    uploaded = sum(1 for added in files.values() if start <= added <= end)
    in_use = files_used_in_articles(client, sorted(files))
    return [
        Measurement("media_uploaded", Decimal(uploaded), start, end, url, f"{len(files)} files in the tree"),
        Measurement("files_in_use", Decimal(in_use), start, end, url, f"of {len(files)} files in the tree"),
    ]
