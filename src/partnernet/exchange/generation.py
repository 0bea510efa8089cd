"""``partnernet generate``: write synthetic rows of realistic shape into the database, in bounded batches.

The rows come from the pure ``core.synthetic`` generator; this module only turns them into model rows and
inserts them batch by batch, so memory stays flat whether it makes a thousand partnerships or a million
(only integer ids of entities and partners are kept, to link rows together).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model

from partnernet.base.bulk import insert_objects, insert_rows
from partnernet.base.observers import watching
from partnernet.base.signals import records_created
from partnernet.core.synthetic import Generator, Shape, SynthPartnership
from partnernet.directory.models import Entity, Partner
from partnernet.exchange.planner import refresh_planner_statistics
from partnernet.framework.models import PartnershipType, Region, Stewardship, Theme
from partnernet.framework.selectors import region_tree
from partnernet.partnerships.models import Partnership
from partnernet.support.models import SupportRequest
from partnernet.sustainability.generation import generate_needs

BATCH = 5000
T = TypeVar("T")
Progress = Callable[[str, int], None]


class GenerationError(Exception):
    """The arguments cannot be honoured (bad numbers, keys already taken, no seed data)."""


@dataclass
class GeneratedCounts:
    entities: int = 0
    partners: int = 0
    stewardships: int = 0
    partnerships: int = 0
    requests: int = 0
    needs: int = 0
    pledges: int = 0


def _batches(rows: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _through_insert(relation_owner: type[Model], field_name: str, pairs: list[tuple[int, int]]) -> None:
    """Insert many-to-many links as plain rows (``insert_rows``: one ``COPY`` on PostgreSQL, one prepared
    statement on SQLite), no model instances. Not ``executemany`` on PostgreSQL: it runs one statement per
    row there, and the search index's statement-level triggers would then fire, and plan, once per link."""
    if not pairs:
        return
    field = relation_owner._meta.get_field(field_name)
    through = field.remote_field.through  # type: ignore[union-attr]
    source = f"{field.m2m_field_name()}_id"  # type: ignore[union-attr]
    target = f"{field.m2m_reverse_field_name()}_id"  # type: ignore[union-attr]
    insert_rows(through, (source, target), pairs)


M = TypeVar("M", bound=Model)


def _insert(model: type[M], objs: Iterable[M]) -> list[M]:
    """Insert new rows as ``bulk_create`` would (primary keys set), without its per-value compiler work."""
    made = list(objs)
    insert_objects(model, made)
    return made


def _entity_key(prefix: str, index: int) -> str:
    return f"{prefix}e{index:07d}"


def _partner_key(prefix: str, index: int) -> str:
    return f"{prefix}p{index:07d}"


@dataclass(frozen=True)
class _Lookups:
    """Ids of reference rows by code or key, read once."""

    regions: dict[str, int]
    types: dict[str, int]
    themes: dict[str, int]


def generate(shape: Shape, progress: Progress | None = None) -> GeneratedCounts:
    """Insert every kind for ``shape``; refuse if rows of this seed exist already (keys must stay unique)."""
    report = progress or (lambda _kind, _n: None)
    prefix = f"gen{shape.seed}-"
    if Entity.objects.filter(key__startswith=prefix).exists():
        raise GenerationError(f"rows generated with --seed {shape.seed} exist already; choose another --seed")
    countries = sorted(Region.objects.filter(level=Region.Level.COUNTRY).values_list("code", flat=True))
    ids = _Lookups(
        regions=dict(Region.objects.values_list("code", "pk")),
        types=dict(PartnershipType.objects.values_list("key", "pk")),
        themes=dict(Theme.objects.values_list("key", "pk")),
    )
    if not countries or not ids.types:
        raise GenerationError("the reference data is missing: run `partnernet seed` first")
    synth = Generator(shape, region_tree(), countries)
    entity_ids = _entities(synth, prefix, ids, report)
    partner_ids = _partners(synth, prefix, ids, report)
    stewardships = _stewardships(synth, prefix, ids, entity_ids, report)
    partnerships = _partnerships(synth, prefix, ids, entity_ids, partner_ids, report)
    requests = _requests(synth, prefix, ids, entity_ids, stewardships, report)
    needs, pledges = generate_needs(prefix, stewardships, entity_ids, report)
    refresh_planner_statistics()
    return GeneratedCounts(
        len(entity_ids), len(partner_ids), len(stewardships), partnerships, requests, needs, pledges
    )


def _entities(synth: Generator, prefix: str, ids: _Lookups, report: Progress) -> list[int]:
    entity_ids: list[int] = []
    for batch in _batches(synth.entities()):
        with transaction.atomic():
            objs = _insert(
                Entity,
                [
                    Entity(
                        key=_entity_key(prefix, row.index),
                        name=f"Generated {row.kind.replace('_', ' ')} {row.index}",
                        kind=row.kind,
                        country_id=ids.regions[row.country],
                        languages=list(row.languages),
                        legal_identity=row.legal_identity,
                        founded=row.founded,
                        staff_fte=Decimal(row.staff_fte),
                        volunteers=row.volunteers,
                    )
                    for row in batch
                ],
            )
            pairs = zip(objs, batch, strict=True)
            _through_insert(
                Entity, "regions", [(o.pk, ids.regions[c]) for o, row in pairs for c in row.regions]
            )
            records_created.send(sender=Entity, records=objs)
        entity_ids.extend(obj.pk for obj in objs)
        report("entities", len(batch))
    return entity_ids


def _partners(synth: Generator, prefix: str, ids: _Lookups, report: Progress) -> list[int]:
    partner_ids: list[int] = []
    for batch in _batches(synth.partners()):
        with transaction.atomic():
            objs = _insert(
                Partner,
                [
                    Partner(
                        key=_partner_key(prefix, row.index),
                        name=f"Generated {row.kind} {row.index}",
                        kind=row.kind,
                        country_id=ids.regions[row.country],
                    )
                    for row in batch
                ],
            )
            rows = [
                {"key": o.key, "name": o.name, "kind": o.kind, "country": row.country,
                 "wikidata": o.wikidata, "website": o.website}
                for o, row in zip(objs, batch, strict=True)
            ]  # fmt: skip
            records_created.send(sender=Partner, records=objs, rows=rows)
        partner_ids.extend(obj.pk for obj in objs)
        report("partners", len(batch))
    return partner_ids


def _stewardships(
    synth: Generator, prefix: str, ids: _Lookups, entity_ids: list[int], report: Progress
) -> list[tuple[int, int]]:
    """Insert stewardships; returns (stewardship id, entity id) per generated index."""
    made: list[tuple[int, int]] = []
    for batch in _batches(synth.stewardship_rows()):
        with transaction.atomic():
            objs = _insert(
                Stewardship,
                [
                    Stewardship(
                        key=f"{prefix}s{row.index:07d}",
                        entity_id=entity_ids[row.entity],
                        type_id=ids.types[row.type],
                        theme_id=ids.themes[row.theme] if row.theme else None,
                        region_id=ids.regions[row.region],
                        level=row.level,
                        capacity=row.capacity,
                        languages=list(row.languages),
                    )
                    for row in batch
                ],
            )
            records_created.send(sender=Stewardship, records=objs)
        made.extend((obj.pk, obj.entity_id) for obj in objs)
        report("stewardships", len(batch))
    return made


def _partnerships(
    synth: Generator,
    prefix: str,
    ids: _Lookups,
    entity_ids: list[int],
    partner_ids: list[int],
    report: Progress,
) -> int:
    count = 0
    for batch in _batches(synth.partnership_rows()):
        # Each batch is counted into what the owning apps derive from partnerships (the registry's facet
        # tally) in its own transaction, so it is exact after every committed batch.
        with transaction.atomic(), watching("partnerships", repair=True) as watch:
            objs = _insert(
                Partnership,
                [
                    Partnership(
                        key=f"{prefix}x{row.index:08d}",
                        title=f"Generated {row.type} partnership {row.index}",
                        lead_id=entity_ids[row.lead],
                        type_id=ids.types[row.type],
                        region_id=ids.regions[row.region],
                        status=row.status,
                        start=row.start,
                        end=row.end,
                        visibility=row.visibility,
                    )
                    for row in batch
                ],
            )
            pairs = list(zip(objs, batch, strict=True))
            _through_insert(
                Partnership, "supporters", [(o.pk, entity_ids[s]) for o, r in pairs for s in r.supporters]
            )
            _through_insert(
                Partnership, "partners", [(o.pk, partner_ids[p]) for o, r in pairs for p in r.partners]
            )
            _through_insert(
                Partnership, "themes", [(o.pk, ids.themes[t]) for o, r in pairs for t in r.themes]
            )
            watch.after([obj.pk for obj in objs])
            records_created.send(
                sender=Partnership, records=objs, rows=[_partnership_row(prefix, o, r) for o, r in pairs]
            )
        count += len(batch)
        report("partnerships", len(batch))
    return count


def _partnership_row(prefix: str, obj: Partnership, row: SynthPartnership) -> dict[str, Any]:
    """The exchange row of a generated partnership (``PartnershipKind.row``), from what was generated: the
    feed signs it without reading the rows back."""
    return {
        "key": obj.key,
        "title": obj.title,
        "lead": _entity_key(prefix, row.lead),
        "supporters": sorted(_entity_key(prefix, s) for s in row.supporters),
        "partners": sorted(_partner_key(prefix, p) for p in row.partners),
        "type": row.type,
        "themes": sorted(row.themes),
        "region": row.region,
        "status": obj.status,
        "start": obj.start,
        "end": obj.end,
        "visibility": obj.visibility,
    }


def _requests(
    synth: Generator,
    prefix: str,
    ids: _Lookups,
    entity_ids: list[int],
    stewardships: list[tuple[int, int]],
    report: Progress,
) -> int:
    count = 0
    for batch in _batches(synth.request_rows()):
        _insert(
            SupportRequest,
            [
                SupportRequest(
                    key=f"{prefix}r{row.index:07d}",
                    requester_id=entity_ids[row.requester],
                    type_id=ids.types[row.type],
                    theme_id=ids.themes[row.theme] if row.theme else None,
                    region_id=ids.regions[row.region],
                    need=row.need,
                    language=row.language,
                    status=row.status,
                    stewardship_id=stewardships[row.stewardship][0] if row.stewardship is not None else None,
                    steward_id=stewardships[row.stewardship][1] if row.stewardship is not None else None,
                    created=row.created,
                    resolved=row.resolved,
                )
                for row in batch
            ],
        )
        count += len(batch)
        report("requests", len(batch))
    return count
