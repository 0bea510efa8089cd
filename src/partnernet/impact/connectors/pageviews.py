"""Page views of articles, from the Wikimedia Pageviews REST API (per article, monthly, people only)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import quote

import httpx
from django.conf import settings
from django.utils.translation import gettext

from partnernet.impact.connectors.http import ConnectorError, Measurement, get_json

PROJECT = re.compile(
    r"^[a-z0-9-]+\.(wikipedia|wikimedia|wikisource|wikivoyage|wiktionary|wikibooks|wikiquote|wikinews|wikiversity)(\.org)?$|^(commons|meta|www)\.wikimedia(\.org)?$|^www\.wikidata(\.org)?$"
)


def parse_target(target: str) -> tuple[str, list[str]]:
    """``de.wikipedia: Bundesarchiv; Berlin`` -> ("de.wikipedia", ["Bundesarchiv", "Berlin"])."""
    project, sep, rest = target.partition(":")
    project = project.strip().lower()
    articles = [a.strip().replace(" ", "_") for a in rest.split(";") if a.strip()]
    if not sep or not PROJECT.match(project) or not articles:
        raise ConnectorError(
            gettext("a page-view source reads 'project: Article; Article', not %(target)r")
            % {"target": target}
        )
    return project, list(dict.fromkeys(articles))


def article_views(client: httpx.Client, project: str, article: str, start: dt.date, end: dt.date) -> int:
    url = (
        f"{settings.IMPACT_PAGEVIEWS_API.rstrip('/')}/per-article/{project}/all-access/user/"
        f"{quote(article, safe='')}/monthly/{start:%Y%m%d}00/{end:%Y%m%d}00"
    )
    data = get_json(client, url, missing_ok=True)
    if data is None:
        return 0  # the API answers 404 when it has no views for the article in the period
    return sum(int(item.get("views", 0)) for item in data.get("items", []))


def fetch(client: httpx.Client, target: str, start: dt.date, end: dt.date) -> list[Measurement]:
    project, articles = parse_target(target)
    views = sum(article_views(client, project, article, start, end) for article in articles)
    host = project if project.endswith(".org") else f"{project}.org"
    url = f"https://pageviews.wmcloud.org/?project={host}&pages={quote('|'.join(articles))}"
    return [Measurement("page_views", Decimal(views), start, end, url, f"{len(articles)} articles")]
