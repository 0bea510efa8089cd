"""The candidates of a routing decision: active stewardships with their live loads, read in one statement.

This is the database side of routing (the ranking itself is the pure ``core.routing``). It is kept apart
from the other support reads because it is the hot path measured in ``benchmarks/routing/decision.py``: one
statement per decision, compiled once per shape, and rows turned into routing values at most once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from partnernet.base.models import SEED_ORIGIN
from partnernet.base.peering import peering
from partnernet.core.regions import RegionTree
from partnernet.core.routing import ActiveStewardship, Candidate, RoutingRequest, rank_stewardships
from partnernet.directory.models import EntityProfile
from partnernet.framework.models import PartnershipType, Region, Stewardship
from partnernet.framework.selectors import region_tree
from partnernet.support.models import LOAD_STATUSES, SupportRequest


@dataclass(frozen=True)
class StewardshipPool:
    """Active stewardships as routing sees them, and the database ids behind their keys.

    ``ids`` maps a stewardship key to ``(stewardship id, entity id)`` so a service can persist the decision
    the pure core made on keys.
    """

    stewardships: list[ActiveStewardship]
    ids: dict[str, tuple[int, int]]


_POOL_FIELDS = (
    "pk",
    "key",
    "entity_id",
    "entity__key",
    "entity__name",
    "type__key",
    "type__name",
    "theme__key",
    "theme__name",
    "region__code",
    "level",
    "capacity",
    "languages_text",
    "load",
    "origin",
    "legal_identity",
    "entity__origin",
    "term_start",
    "term_end",
)

_CACHE_LIMIT = 200_000
_built: dict[tuple[Any, ...], tuple[ActiveStewardship, tuple[int, int], Term]] = {}
"""Rows already turned into ``ActiveStewardship`` values (with the row's ``(stewardship id, entity id)``),
keyed by the whole row (load and names included), so a changed row simply misses. Building a value parses its
languages and derives its ranking fields; with a few hundred candidates per routing decision that is most of
the Python time, and rows repeat between decisions far more often than they change. A hit allocates nothing,
so the row just read can be dropped at once. Cleared whole when it grows past ``_CACHE_LIMIT``."""


def stewardship_rows(
    *,
    type_key: str | None = None,
    theme_key: str | None = None,
    region_codes: Iterable[str] | None = None,
    exclude_ids: Iterable[int] = (),
) -> QuerySet[Any]:
    """The one query behind :func:`stewardship_pool`: active stewardships as value tuples of ``_POOL_FIELDS``,
    each with its load counted by a correlated subquery in the same statement.

    ``theme_key`` keeps only the stewardships a request of that theme can reach (any-theme ones and that
    theme's); the others are never candidates, so reading them is wasted. The type and region filters go
    through ids (``type_id = (SELECT id ...)``, ``region_id IN (SELECT id ...)``) rather than joins on the
    keys, so both SQLite and PostgreSQL seek the ``(status, type, region)`` index once per region of the chain
    instead of scanning every active stewardship of the type (or, on PostgreSQL, of the regions). Counting
    loads per row (an index lookup each) instead of grouping the whole join keeps the statement cheap for the
    few hundred candidates of one request; the count is a plain ``COUNT`` (not an ORM aggregate, which would
    add a ``GROUP BY`` and return no row for an idle stewardship), so it is always one row, 0 when idle.
    Languages come as JSON text, parsed only for rows not seen before. Terms come with each row; the pool
    keeps the stewardships serving today (a term's day changes the statement's values every midnight, so it
    is not part of the compiled shape).
    """
    rows = Stewardship.objects.filter(status=Stewardship.Status.ACTIVE)
    if type_key is not None:
        rows = rows.filter(type=Subquery(PartnershipType.objects.filter(key=type_key).values("pk")[:1]))
    if theme_key is not None:
        rows = rows.filter(Q(theme__isnull=True) | Q(theme__key=theme_key))
    if region_codes is not None:
        rows = rows.filter(region__in=Region.objects.filter(code__in=list(region_codes)))
    excluded = list(exclude_ids)
    if excluded:
        rows = rows.exclude(pk__in=excluded)
    profile_legal = EntityProfile.objects.filter(
        entity=OuterRef("entity_id"), origin=OuterRef("entity__home")
    ).values("legal_identity")[:1]  # a seeded entity's legal identity as the profile its home keeps says
    load = (
        SupportRequest.objects.filter(stewardship=OuterRef("pk"), status__in=LOAD_STATUSES)
        .order_by()
        .values(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
    )
    rows = rows.annotate(
        load=Subquery(load, output_field=IntegerField()),
        languages_text=Cast("languages", output_field=TextField()),
        legal_identity=Coalesce(
            Subquery(profile_legal, output_field=BooleanField()), F("entity__legal_identity")
        ),
    )
    return rows.values_list(*_POOL_FIELDS).order_by()


@dataclass(frozen=True)
class _Statement:
    """The compiled SQL of :func:`stewardship_rows` for one shape of arguments.

    ``slots`` says, for each parameter of the compiled statement, which of the call's own values goes there
    (``None`` keeps the constant in ``constants`` at that position).
    """

    sql: str
    slots: tuple[int | None, ...]
    constants: tuple[Any, ...]

    def params(self, values: list[Any]) -> list[Any]:
        return [self.constants[at] if slot is None else values[slot] for at, slot in enumerate(self.slots)]


_statements: dict[tuple[Any, ...], _Statement] = {}
"""Compiled statements by connection and shape. Building the queryset and compiling it costs about a
millisecond, as much as the database takes for a typical request, and the SQL text depends only on which
filters are present and how many values they hold; so it is compiled once per shape and only the values
change between decisions."""


def _slot_marker(slot: int, value: Any) -> Any:
    """A stand-in for the call's value at ``slot`` that cannot equal any constant of the statement."""
    return -(2**62) - slot if isinstance(value, int) else f"\x00slot {slot}"


@contextmanager
def _pool_rows(
    type_key: str | None,
    theme_key: str | None,
    region_codes: Iterable[str] | None,
    exclude_ids: Iterable[int],
) -> Iterator[Iterable[tuple[Any, ...]]]:
    """The rows of :func:`stewardship_rows` for these arguments, executed from the compiled statement.

    The first call of a shape compiles the queryset with a distinct marker in place of each of the call's
    values and records where each marker landed among the parameters, so the ORM stays the only author of
    the SQL while later calls only substitute values (a value the statement uses twice is substituted twice).
    Rows come as the database driver returns them, which for these columns is what ``values_list`` would
    return (none of them has a converter but ``load``, an integer), one at a time so that a row already seen
    is freed as soon as it has been looked up.
    """
    codes = None if region_codes is None else list(region_codes)
    excluded = [int(pk) for pk in exclude_ids]
    if codes is not None and not codes:
        yield ()
        return
    values: list[Any] = [
        *([] if type_key is None else [type_key]),
        *([] if theme_key is None else [theme_key]),
        *(codes or []),
        *excluded,
    ]
    shape = (
        connection.alias,
        type_key is None,
        theme_key is None,
        None if codes is None else len(codes),
        len(excluded),
    )
    statement = _statements.get(shape)
    if statement is None:
        markers = [_slot_marker(slot, value) for slot, value in enumerate(values)]
        it = iter(markers)
        sql, compiled = stewardship_rows(
            type_key=None if type_key is None else next(it),
            theme_key=None if theme_key is None else next(it),
            region_codes=None if codes is None else [next(it) for _ in codes],
            exclude_ids=[next(it) for _ in excluded],
        ).query.sql_with_params()
        slot_of = {marker: slot for slot, marker in enumerate(markers)}
        slots = tuple(slot_of.get(param) for param in compiled)
        if {slot for slot in slots if slot is not None} != set(range(len(values))):
            raise RuntimeError("stewardship_rows: a value did not reach the compiled statement")
        statement = _statements[shape] = _Statement(sql, slots, tuple(compiled))
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params(values))
        yield cursor


def routing_key(key: str, origin: str, local: str) -> str:
    """How routing names a stewardship: its key here, ``key@origin`` for a trusted peer's copy (keys are
    unique per origin only; slugs never hold ``@``)."""
    return key if origin == local else f"{key}@{origin}"


def split_routing_key(routing: str, local: str) -> tuple[str, str]:
    """The stewardship key and origin a routing key names (the inverse of :func:`routing_key`)."""
    key, _at, origin = routing.partition("@")
    return key, origin or local


def entity_ref(key: str, origin: str, local: str) -> str:
    """How routing names an entity (a requester, a stewardship's holder): its key for this instance's and the
    seed's entities, ``key@origin`` for a peer's (FORMATS.md ``route --requester``)."""
    return key if origin in (local, SEED_ORIGIN) else f"{key}@{origin}"


@dataclass(frozen=True)
class Term:
    start: dt.date | None
    end: dt.date | None

    def holds(self, day: dt.date) -> bool:
        """Both ends inclusive; an empty end is open."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def _active(row: tuple[Any, ...], local: str) -> tuple[ActiveStewardship, tuple[int, int], Term]:
    """The routing value of one pool row. A trusted peer's stewardship is keyed ``key@origin``: keys are
    unique per origin only, and routing tells candidates apart by key, so a peer's copy must never shadow
    (or be shadowed by) a local stewardship of the same key."""
    built = _built.get(row)
    if built is None:
        pk, key, entity_id, entity_key, entity_name, type_key, type_name, theme, theme_name, *rest = row
        region, level, capacity, languages, load, origin, legal_identity, entity_origin, start, end = rest
        stewardship = ActiveStewardship(
            key=routing_key(key, origin, local),
            entity=entity_key,
            entity_name=entity_name,
            type=type_key,
            type_name=type_name,
            theme=theme,
            theme_name=theme_name,
            region=region,
            level=level,
            capacity=capacity,
            load=load,
            languages=tuple(json.loads(languages) if languages else ()),
            legal_identity=_boolean(legal_identity),
            entity_ref=entity_ref(entity_key, entity_origin, local),
        )
        built = (stewardship, (pk, entity_id), Term(_date(start), _date(end)))
        if len(_built) >= _CACHE_LIMIT:
            _built.clear()
        _built[row] = built
    return built


def _boolean(value: Any) -> bool | None:
    """A boolean column as the driver returns it from raw SQL (SQLite gives 0/1)."""
    return None if value is None else bool(value)


def _date(value: Any) -> dt.date | None:
    """A date column as the driver returns it from raw SQL (SQLite gives ISO text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def stewardship_pool(
    *,
    type_key: str | None = None,
    theme_key: str | None = None,
    region_codes: Iterable[str] | None = None,
    exclude_ids: Iterable[int] = (),
) -> StewardshipPool:
    """Active stewardships with their loads (FORMATS.md), in one query.

    ``type_key``, ``theme_key`` and ``region_codes`` (a request's region chain) narrow the read to the
    stewardships that can be candidates for one request, which keeps a single routing decision fast however
    many stewardships exist; without them every active stewardship is read (for the batch rebalance).
    ``exclude_ids`` leaves out stewardships that already declined or let the offer time out; stewardships
    outside their term today (both ends inclusive) are left out too, and so are the stewardships of peers
    this instance suspended (``base.peering``).
    """
    from partnernet.base.identity import instance_id

    local = instance_id()
    today = timezone.localdate()
    suspended = peering().suspended()
    stewardships: list[ActiveStewardship] = []
    ids: dict[str, tuple[int, int]] = {}
    with _pool_rows(type_key, theme_key, region_codes, exclude_ids) as rows:
        for row in rows:
            stewardship, row_ids, term = _active(row, local)
            if not term.holds(today):
                continue
            if suspended and split_routing_key(stewardship.key, local)[1] in suspended:
                continue
            key = stewardship.key
            if key not in ids:
                ids[key] = row_ids
                stewardships.append(stewardship)
    return StewardshipPool(stewardships, ids)


def routing_request_of(request: SupportRequest) -> RoutingRequest:
    """What routing needs to know about a stored request (its requester, so it is never routed to itself)."""
    from partnernet.base.identity import instance_id

    requester = request.requester
    return RoutingRequest(
        type=request.type.key,
        theme=request.theme.key if request.theme is not None else None,
        region=request.region.code,
        need=request.need,
        language=request.language or None,
        requester=entity_ref(requester.key, requester.origin, instance_id()) if requester else None,
    )


def candidate_pool(request: SupportRequest, tree: RegionTree | None = None) -> StewardshipPool:
    """The stewardships that can be candidates for ``request``, without those it already tried."""
    regions = tree or region_tree()
    return stewardship_pool(
        type_key=request.type.key,
        theme_key=request.theme.key if request.theme is not None else None,
        region_codes=regions.chain(request.region.code),
        exclude_ids=[int(pk) for pk in request.tried],
    )


def route_candidates(request: RoutingRequest, *, limit: int | None = None) -> list[Candidate]:
    """The ranked candidates for a would-be request: one query for the stewardships and loads, then the
    pure ranking. Changes nothing (``partnernet route``, the API's ``route`` and the benchmark use it)."""
    tree = region_tree()
    pool = stewardship_pool(
        type_key=request.type, theme_key=request.theme, region_codes=tree.chain(request.region)
    )
    return rank_stewardships(request, pool.stewardships, tree, limit=limit)


def candidate_json(candidate: Candidate) -> dict[str, Any]:
    """A candidate in the shape of FORMATS.md ``route --json``."""
    return {
        "rank": candidate.rank,
        "entity": candidate.entity,
        "stewardship": candidate.stewardship,
        "level": candidate.level,
        "cell": {"type": candidate.cell.type, "theme": candidate.cell.theme, "region": candidate.cell.region},
        "load": candidate.load,
        "capacity": candidate.capacity,
        "explanation": candidate.explanation,
    }
