"""The registry's facet counts: how many partnerships of each type, status, theme, partner kind and region
the current filter selects, as the user may see them.

Facet counts are the expensive part of the registry at a million rows. Filters on type, status and region sum
the pre-aggregated tally (``tally.py``); other filters (search, theme, partner kind, lead) count the filtered
rows in one statement and cache the result under a *fingerprint* of the table (its delete mark, highest id and
latest ``updated_at``), which every insert, update and delete changes (services touch ``updated_at`` when
they change a partnership's themes or partners). With a search, the names of partners and entities are
searched too, so their fingerprints join the key. A write therefore makes the next read recount: cached
counts never go stale, and no read writes anything but the cache.

A broad search (``selectors.BROAD_SEARCH``) is counted from a sample of the index's hits, and its counts are
marked as estimates (``estimated_facets``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import F, QuerySet
from django.utils.translation import get_language

from partnernet.base.versions import kept, reuse
from partnernet.core.search import TextQuery, parse_text_query
from partnernet.directory.models import Partner
from partnernet.directory.rules import entity_ids_of, is_movement_member
from partnernet.framework.models import PartnershipType, Region, Theme
from partnernet.i18n.names import label_for, region_name
from partnernet.partnerships import selectors
from partnernet.partnerships.models import Partnership, PartnershipStatus, Visibility
from partnernet.partnerships.search_triggers import SAMPLE_SPACE
from partnernet.partnerships.selectors import (
    SAMPLE_CAP,
    RegistryFilter,
    RegistryVersion,
    broad_search,
    driven_by_hits,
    registry_version,
)
from partnernet.partnerships.tally import tally_counts, tally_is_fresh

FACET_TIMEOUT = 3600


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int


@dataclass
class Facets:
    total: int
    type: list[FacetOption] = field(default_factory=list)
    status: list[FacetOption] = field(default_factory=list)
    theme: list[FacetOption] = field(default_factory=list)
    region: list[FacetOption] = field(default_factory=list)
    partner_kind: list[FacetOption] = field(default_factory=list)
    broad: bool = False
    """The search is broad (``selectors.BROAD_SEARCH``): its rows are listed in date order, not ranked."""
    estimated: bool = False
    """The counts are estimated from a sample of a broad search's matches (``estimated_facets``)."""


def _visibility_scope(user: Any) -> str:
    """A name for the set of rows ``user`` may see: users with the same scope share cached counts."""
    if getattr(user, "is_superuser", False):
        return "all"
    scope = "movement" if is_movement_member(user) else "public"
    own = sorted(entity_ids_of(user))
    return f"{scope}:{','.join(map(str, own))}" if own else scope


def _labels() -> dict[str, dict[str, str]]:
    """Names of the facet values, from the small reference tables (cached with the counts)."""
    return {
        "type": {
            k: label_for(v, n) for k, n, v in PartnershipType.objects.values_list("key", "name", "labels")
        },
        "theme": {k: label_for(v, n) for k, n, v in Theme.objects.values_list("key", "name", "labels")},
        "status": {value: str(label) for value, label in PartnershipStatus.choices},
        "partner_kind": {value: str(label) for value, label in Partner.Kind.choices},
    }


def _live_counts(
    rows: QuerySet[Partnership], query: TextQuery | None = None, sample: int | None = None
) -> dict[str, dict[Any, int]]:
    """Every facet's counts over the filtered rows (and, with ``query``, matching it), in one statement.

    The matching rows are read once into a common table expression, which both engines materialise because
    it is used three times; types, statuses and regions (by id) are counted in one ``GROUP BY``, themes and
    partner kinds through the link tables' indexes. One pass over the matches instead of one per facet is
    what keeps a search that matches a large part of the registry fast.

    With a search, the index's hits drive the join (``driven_by_hits``), only those in ``sample`` buckets
    when it is given.
    """
    connection = connections[rows.db]
    quote = connection.ops.quote_name
    filtered = rows.order_by().values(
        m_id=F("pk"), m_type=F("type__key"), m_status=F("status"), m_region=F("region_id")
    )
    if query:
        matched, params = driven_by_hits(filtered, query, sample=sample)
    else:
        matched, params = filtered.query.sql_with_params()
    themes = Partnership.themes.through._meta
    partners = Partnership.partners.through._meta
    theme_table, partner_table = Theme._meta.db_table, Partner._meta.db_table
    text = "CHAR" if connection.vendor == "mysql" else "TEXT"  # MariaDB casts to CHAR, not TEXT
    # Only table names from the models' metadata are interpolated; the filter values stay parameters.
    sql = (
        f"WITH matched (id, type_key, status, region_id) AS ({matched}) "  # noqa: S608
        f"SELECT 'cell', type_key, status, CAST(region_id AS {text}), COUNT(*) FROM matched "
        "GROUP BY type_key, status, region_id "
        "UNION ALL "
        f"SELECT 'theme', th.{quote('key')}, NULL, NULL, COUNT(*) FROM matched m "
        f"JOIN {quote(themes.db_table)} link ON link.partnership_id = m.id "
        f"JOIN {quote(theme_table)} th ON th.id = link.theme_id GROUP BY th.{quote('key')} "
        "UNION ALL "
        "SELECT 'partner_kind', pa.kind, NULL, NULL, COUNT(DISTINCT m.id) FROM matched m "
        f"JOIN {quote(partners.db_table)} link ON link.partnership_id = m.id "
        f"JOIN {quote(partner_table)} pa ON pa.id = link.partner_id GROUP BY pa.kind"
    )
    counts: dict[str, dict[Any, int]] = {
        name: {} for name in ("type", "status", "region", "theme", "partner_kind")
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for dimension, key, status, region, n in cursor.fetchall():
            if dimension != "cell":
                counts[dimension][key] = n
                continue
            for name, value in (
                ("type", key),
                ("status", status),
                ("region", int(region) if region else None),
            ):
                counts[name][value] = counts[name].get(value, 0) + n
    return counts


def _facets_from(counts: dict[str, dict[Any, int]], *, by_region_code: bool) -> Facets:
    """Label the counts; regions are rolled up to the continent-level regions people filter by."""
    regions = Region.objects.filter(code__in=[k for k in counts["region"] if k] if by_region_code else [])
    if not by_region_code:
        regions = Region.objects.filter(pk__in=[k for k in counts["region"] if k])
    paths = {(r.code if by_region_code else r.pk): r.path for r in regions.only("pk", "code", "path")}
    macro = {
        code: region_name(code, name)
        for code, name in Region.objects.filter(
            level__in=[Region.Level.REGION, Region.Level.WORLD]
        ).values_list("code", "name")
    }
    by_macro: dict[str, int] = {}
    for region, count in counts["region"].items():
        parts = paths.get(region, "").strip("/").split("/") if region else []
        code = parts[1] if len(parts) > 1 else "001"
        by_macro[code] = by_macro.get(code, 0) + count
    labels = _labels()

    def options(found: dict[Any, int], names: dict[str, str]) -> list[FacetOption]:
        items = [FacetOption(str(k), names.get(str(k), str(k)), n) for k, n in found.items() if k and n]
        return sorted(items, key=lambda option: (-option.count, option.label))

    return Facets(
        total=sum(counts["status"].values()),
        type=options(counts["type"], labels["type"]),
        status=options(counts["status"], labels["status"]),
        theme=options(counts["theme"], labels["theme"]),
        region=options(by_macro, macro),
        partner_kind=options(counts["partner_kind"], labels["partner_kind"]),
    )


def _tally_visibilities(user: Any) -> list[str]:
    if getattr(user, "is_superuser", False):
        return [Visibility.PUBLIC, Visibility.MOVEMENT, Visibility.PRIVATE]
    if is_movement_member(user):
        return [Visibility.PUBLIC, Visibility.MOVEMENT]
    return [Visibility.PUBLIC]


def _counts_own_private(user: Any) -> bool:
    """A member who is not a superuser also sees their own entities' private rows, counted live."""
    return bool(entity_ids_of(user)) and not getattr(user, "is_superuser", False)


def _tally_facets(user: Any, rows: QuerySet[Partnership], filters: RegistryFilter) -> Facets:
    """Facets summed from the pre-aggregated tally, which the caller found fresh.

    Private rows a member may see (their own entities') are few and counted live, then added.
    """
    region_codes = None
    if filters.region:
        path = Region.objects.filter(code=filters.region).values_list("path", flat=True).first()
        region_codes = Region.objects.filter(path__startswith=path or "-").values("code")
    counts = tally_counts(
        _tally_visibilities(user), type=filters.type, status=filters.status, region_codes=region_codes
    )
    if _counts_own_private(user):
        private = _live_counts(rows.filter(visibility=Visibility.PRIVATE))
        for name, extra in private.items():
            for key, n in extra.items():
                counts[name][key] = counts[name].get(key, 0) + n
    return _facets_from(counts, by_region_code=True)


def registry_facets(
    user: Any,
    unsearched: QuerySet[Partnership],
    filters: RegistryFilter,
    version: RegistryVersion | None = None,
) -> Facets:
    """Facet counts of the rows ``filters`` selects, exact after every write; reading them writes nothing.

    ``unsearched`` holds the rows the user may see with every filter but the search applied (the search is
    applied here, so that the index's matches can drive the count). Filters on type, status and region read
    the tally while it is fresh; others (search, theme, partner kind, lead), and every filter while the tally
    is stale (rows written around its writers, until ``rebuild_registry_tally``), count the filtered rows.
    Either way the result is kept under the registry's version (``version``, when the caller has just read
    it; ``selectors.registry_version``).
    """
    query = parse_text_query(filters.q)
    version = version or registry_version()
    # Cached facets are kept under who may see what, the filters, the version and the labels' language.
    if not (query or filters.theme or filters.partner_kind or filters.lead) and tally_is_fresh(version.table):
        if filters.type or filters.status or filters.region or _counts_own_private(user):
            # Summing the tally for a filter costs about 10 ms at a million partnerships: cached like a
            # search's counts.
            parts = [_visibility_scope(user), filters.active(), str(version), get_language()]
            return kept("pn-facets", parts, lambda: _tally_facets(user, unsearched, filters), FACET_TIMEOUT)
        # The unfiltered registry, the most read page: its facets are kept in the process.
        slot = ("registry-facets", tuple(_tally_visibilities(user)), get_language())
        return reuse(slot, (version.table, version.others), lambda: _tally_facets(user, unsearched, filters))
    active = {**filters.active(), "q": query.fts5()}

    def count() -> Facets:
        hits = _index_hits(query, unsearched.db, version) if query else None
        if query and hits:
            return estimated_facets(unsearched, query, hits)
        return _facets_from(_live_counts(unsearched, query), by_region_code=False)

    parts = [_visibility_scope(user), active, str(version), get_language()]
    return kept("pn-facets", parts, count, FACET_TIMEOUT)


def _index_hits(query: TextQuery, using: str, version: RegistryVersion) -> int | None:
    """``broad_search``'s answer for ``query``, kept per registry version: it is the index's, whatever the
    other filters, so a search refined with a facet (the same words, another filter) does not count the
    hits again (3 to 40 ms on SQLite, 13 to 30 on PostgreSQL at a million partnerships)."""
    parts = [using, query.fts5(), str(version), selectors.BROAD_SEARCH]
    return kept("pn-index-hits", parts, lambda: broad_search(query, using), FACET_TIMEOUT)


SAMPLE = 2048
"""Index hits a broad search's counts are estimated from: about 2.5% relative error on its total, which the
page rounds to two significant figures anyway. Reading each sampled hit's row is most of a broad search's
first view: at a million partnerships on PostgreSQL, 4,096 made it 121-129 ms and 2,048 89-92 ms."""
FEWEST_SAMPLED = 100
"""Matches in the sample below which an estimate says too little: the search is then treated as narrow."""


def estimated_facets(unsearched: QuerySet[Partnership], query: TextQuery, hits: int) -> Facets:
    """A broad search's facet counts, estimated from the matches among a sample of the index's hits.

    The sample is the hits whose ids hash into the first few of ``SAMPLE_SPACE`` buckets, enough for about
    ``SAMPLE`` hits; each count found there is scaled up and rounded to two significant figures, and the page
    says they are estimates. Where the other filters leave few matches in the sample (a common word and a
    filter that mostly excludes it), an estimate would say "about 0" beside a page of results, and listing in
    date order would walk most of the filtered rows to find a page: the search is then counted and ranked
    exactly, the index's hits driving, as any narrow search is.
    """
    buckets = max(1, min(SAMPLE_SPACE, math.ceil(SAMPLE_SPACE * SAMPLE / hits)))
    counts = _live_counts(unsearched, query, sample=buckets)
    sampled = sum(counts["status"].values())
    if sampled < FEWEST_SAMPLED or sampled >= SAMPLE_CAP:  # too few to say much, or cut short
        return _facets_from(_live_counts(unsearched, query), by_region_code=False)
    scale = SAMPLE_SPACE / buckets
    facets = _facets_from(counts, by_region_code=False)  # continents summed before scaling and rounding
    for name in ("type", "status", "theme", "region", "partner_kind"):
        options = [FacetOption(o.value, o.label, _about(o.count * scale)) for o in getattr(facets, name)]
        setattr(facets, name, options)
    facets.total = _about(sampled * scale)
    facets.broad = facets.estimated = True
    return facets


def _about(value: float) -> int:
    """``value`` rounded to two significant figures (36,213 → 36,000; 812 → 810)."""
    if value < 100:
        return round(value)
    digits = len(str(int(value))) - 2
    return int(round(value, -digits))
