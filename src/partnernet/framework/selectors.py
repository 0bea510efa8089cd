"""Reads of the framework that are more than a filter."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from partnernet.audit.models import AuditEvent
from partnernet.core import quorum
from partnernet.core.regions import RegionTree
from partnernet.directory.models import Entity, Membership
from partnernet.framework.models import (
    Endorsement,
    EndorsementStance,
    PartnershipType,
    Proposal,
    QuorumRule,
    Region,
    Stewardship,
    StewardshipStatus,
    Theme,
)
from partnernet.support.models import LOAD_STATUSES

_tree: dict[str, RegionTree] = {}


def region_tree() -> RegionTree:
    """The M49 hierarchy as a pure ``RegionTree``, read once per process.

    Regions are reference data that only ``seed`` writes; ``seed`` calls ``forget_region_tree`` after it does.
    """
    tree = _tree.get("tree")
    if tree is None or not tree.parents:
        rows = Region.objects.values_list("code", "parent__code", "name")
        tree = RegionTree.from_rows(rows)
        _tree["tree"] = tree
    return tree


def forget_region_tree() -> None:
    _tree.clear()


def region_descendant_codes(code: str) -> list[str]:
    """Codes of ``code`` and every region inside it, from the stored path (one indexed query)."""
    region = Region.objects.only("path").get(code=code)
    return list(Region.objects.filter(path__startswith=region.path).values_list("code", flat=True))


# ---- The agreement process ---------------------------------------------------------------------------


def pure_rule(proposal: Proposal) -> quorum.QuorumRule:
    """The proposal's own copy of its rule, as the pure core's ``QuorumRule``."""
    return quorum.QuorumRule(
        min_participants=proposal.min_participants,
        min_support_share=Fraction(proposal.share_numerator, proposal.share_denominator),
        closes_at=proposal.closes_at,
        require_affected_region=proposal.require_affected_region,
    )


def voices_of(proposal: Proposal) -> list[quorum.Voice]:
    """Each entity's current stance, with the regions the entity is in (its regions and its country)."""
    endorsements = list(
        Endorsement.objects.filter(proposal=proposal)
        .select_related("entity__country")
        .prefetch_related("entity__regions")
    )
    voices = []
    for endorsement in endorsements:
        entity = endorsement.entity
        regions = {region.code for region in entity.regions.all()}
        if entity.country is not None:
            regions.add(entity.country.code)
        voices.append(quorum.Voice(entity.key, quorum.Stance(endorsement.stance), frozenset(regions)))
    return voices


def tally_of(proposal: Proposal) -> dict[str, int]:
    """Current counts per stance (the decision keeps the final ones)."""
    counts = dict(
        Endorsement.objects.filter(proposal=proposal).values_list("stance").annotate(n=Count("pk")).order_by()
    )
    return {stance: counts.get(stance, 0) for stance in EndorsementStance.values}


def _cell_stewardships(proposal: Proposal) -> QuerySet[Stewardship]:
    """Active or proposed stewardships in the proposal's cell: same type and theme where named, and a region
    that contains or lies inside the proposal's region."""
    rows = Stewardship.objects.filter(status__in=(StewardshipStatus.ACTIVE, StewardshipStatus.PROPOSED))
    if proposal.type_id:
        rows = rows.filter(type_id=proposal.type_id)
    if proposal.theme_id:
        rows = rows.filter(theme_id=proposal.theme_id)
    if proposal.region_id and proposal.region is not None:
        path = proposal.region.path
        ancestors = [code for code in path.strip("/").split("/") if code]
        rows = rows.filter(Q(region__path__startswith=path) | Q(region__code__in=ancestors))
    return rows


def affected_entities(proposal: Proposal) -> QuerySet[Entity]:
    """Entities holding stewardships in the affected cell, and the proposer."""
    holders = _cell_stewardships(proposal).values("entity_id")
    return Entity.objects.filter(Q(pk__in=holders) | Q(pk=proposal.proposer_id)).distinct()


def admin_addresses(entities: QuerySet[Entity]) -> list[str]:
    """E-mail addresses of the admins of ``entities``, each once, sorted."""
    emails = Membership.objects.filter(entity__in=entities, role=Membership.Role.ADMIN).values_list(
        "user__email", flat=True
    )
    return sorted({email for email in emails if email})


def proposals_listing(*, only_open: bool = False) -> QuerySet[Proposal]:
    """Proposals with what a list shows, newest first, with current counts per stance annotated."""
    rows = Proposal.objects.select_related("proposer", "type", "theme", "region", "stewardship", "decision")
    if only_open:
        rows = rows.filter(status=Proposal.Status.OPEN)
    return rows.annotate(
        n_support=Count("endorsements", filter=Q(endorsements__stance="support")),
        n_oppose=Count("endorsements", filter=Q(endorsements__stance="oppose")),
        n_abstain=Count("endorsements", filter=Q(endorsements__stance="abstain")),
    )


def open_proposals_affecting(entity_ids: set[int]) -> QuerySet[Proposal]:
    """Open proposals whose cell holds a stewardship of one of ``entity_ids``, or that they proposed."""
    if not entity_ids:
        return Proposal.objects.none()
    stewardships = Stewardship.objects.filter(
        entity_id__in=entity_ids, status__in=(StewardshipStatus.ACTIVE, StewardshipStatus.PROPOSED)
    ).select_related("region")
    matches = Q(proposer_id__in=entity_ids)
    for stewardship in stewardships:
        region = stewardship.region
        ancestors = [code for code in region.path.strip("/").split("/") if code]
        matches |= (
            (Q(type__isnull=True) | Q(type_id=stewardship.type_id))
            & (Q(theme__isnull=True) | Q(theme_id=stewardship.theme_id))
            & (
                Q(region__isnull=True)
                | Q(region__code__in=ancestors)
                | Q(region__path__startswith=region.path)
            )
        )
    return proposals_listing(only_open=True).filter(matches)


def proposal_row(proposal: Proposal) -> dict[str, Any]:
    """A proposal as plain data, for the CLI's ``--json`` and the API (rows of ``proposals_listing``)."""
    decision = getattr(proposal, "decision", None) if proposal.status == Proposal.Status.CLOSED else None
    if decision is not None:
        tally = {"support": decision.support, "oppose": decision.oppose, "abstain": decision.abstain}
    else:
        tally = {
            "support": getattr(proposal, "n_support", 0),
            "oppose": getattr(proposal, "n_oppose", 0),
            "abstain": getattr(proposal, "n_abstain", 0),
        }
    return {
        "key": proposal.key,
        "kind": proposal.kind,
        "title": proposal.title,
        "proposer": proposal.proposer.key,
        "status": proposal.status,
        "opens_at": proposal.opens_at.isoformat(),
        "closes_at": proposal.closes_at.isoformat(),
        "cell": {
            "type": proposal.type.key if proposal.type else None,
            "theme": proposal.theme.key if proposal.theme else None,
            "region": proposal.region.code if proposal.region else None,
        },
        "stewardship": proposal.stewardship.key if proposal.stewardship else None,
        "changes": proposal.changes,
        "rule": {
            "min_participants": proposal.min_participants,
            "min_support_share": f"{proposal.share_numerator}/{proposal.share_denominator}",
            "require_affected_region": proposal.require_affected_region,
        },
        "tally": tally,
        "outcome": decision.outcome if decision is not None else None,
        "reasons": decision.reasons if decision is not None else [],
        "origin": proposal.origin,
    }


def framework_audit_events(limit: int = 100) -> QuerySet[AuditEvent]:
    """The latest audit events about framework objects (taxonomy, stewardships, rules, proposals)."""
    models = (PartnershipType, Theme, Stewardship, QuorumRule, Proposal)
    types = [ContentType.objects.get_for_model(model) for model in models]
    return AuditEvent.objects.filter(content_type__in=types).select_related("content_type")[:limit]


MATRIX_LEVELS = {"region": "region", "subregion": "subregion"}


@dataclass(frozen=True)
class StewardView:
    """An active stewardship as the matrix and entity pages show it, with its current load."""

    pk: int
    key: str
    entity_key: str
    entity_name: str
    entity_origin: str
    type_key: str
    type_name: str
    theme_name: str | None
    region_code: str
    region_name: str
    level: str
    level_label: str
    capacity: int
    load: int

    @property
    def at_capacity(self) -> bool:
        return self.load >= self.capacity


@dataclass(frozen=True)
class MatrixCell:
    type_key: str
    region_code: str
    stewards: tuple[StewardView, ...]

    @property
    def entity_count(self) -> int:
        return len({s.entity_key for s in self.stewards})

    @property
    def state(self) -> str:
        count = self.entity_count
        return "none" if count == 0 else "one" if count == 1 else "several"

    @property
    def over_capacity(self) -> bool:
        return any(s.at_capacity for s in self.stewards)

    @property
    def steward_names(self) -> list[str]:
        return sorted({s.entity_name for s in self.stewards})


@dataclass(frozen=True)
class Matrix:
    types: list[PartnershipType]
    regions: list[Region]
    rows: list[tuple[PartnershipType, list[MatrixCell]]]
    stewardships: int

    @property
    def cells(self) -> int:
        return len(self.types) * len(self.regions)

    @property
    def covered(self) -> int:
        return sum(1 for _, cells in self.rows for cell in cells if cell.entity_count)


def active_stewards(**filters: Any) -> list[StewardView]:
    """Active stewardships with their load, in two queries whatever their number (load is aggregated)."""
    rows = list(
        Stewardship.objects.filter(status=Stewardship.Status.ACTIVE, **filters)
        .select_related("entity", "type", "theme", "region")
        .annotate(load=Count("requests", filter=Q(requests__status__in=LOAD_STATUSES)))
        .order_by("entity__name", "key")
    )
    levels = dict(Stewardship.Level.choices)
    return [
        StewardView(
            pk=s.pk,
            key=s.key,
            entity_key=s.entity.key,
            entity_name=s.entity.name,
            entity_origin=s.entity.origin,
            type_key=s.type.key,
            type_name=s.type.name,
            theme_name=s.theme.name if s.theme else None,
            region_code=s.region.code,
            region_name=s.region.name,
            level=s.level,
            level_label=str(levels.get(s.level, s.level)),
            capacity=s.capacity,
            load=s.load,
        )
        for s in rows
    ]


def matrix_columns(level: str) -> list[Region]:
    return list(Region.objects.filter(level=MATRIX_LEVELS.get(level, "region")).order_by("path"))


def coverage_matrix(level: str = "region") -> Matrix:
    """Types x regions of ``level``; a cell holds the active stewards whose region contains the column.

    A stewardship covers a column when its region is the column or an ancestor of it (a world steward covers
    every column); one held for a country does not cover its whole continent. Five queries in all.
    """
    tree = region_tree()
    types = list(PartnershipType.objects.filter(active=True))
    regions = matrix_columns(level)
    stewards = active_stewards()
    rows = []
    for ptype in types:
        mine = [s for s in stewards if s.type_key == ptype.key]
        cells = [
            MatrixCell(
                ptype.key, region.code, tuple(s for s in mine if tree.covers(s.region_code, region.code))
            )
            for region in regions
        ]
        rows.append((ptype, cells))
    return Matrix(types=types, regions=regions, rows=rows, stewardships=len(stewards))


@dataclass(frozen=True)
class CellDetail:
    type: PartnershipType
    region: Region
    cell: MatrixCell
    inside: list[StewardView]
    """Stewards of this type for a part of the region only (candidates to widen the cell)."""
    sibling_gaps: list[Region]
    """Neighbouring regions (same parent) with no steward of this type."""
    type_gaps: list[PartnershipType]
    """Other partnership types with no steward for this region."""


def matrix_cell(type_key: str, region_code: str) -> CellDetail | None:
    """One cell of the matrix: its stewards and their load, stewards inside it, and the gaps around it."""
    ptype = PartnershipType.objects.filter(key=type_key).first()
    region = Region.objects.select_related("parent").filter(code=region_code).first()
    if ptype is None or region is None:
        return None
    tree = region_tree()
    stewards = active_stewards()
    covering = tuple(
        s for s in stewards if s.type_key == ptype.key and tree.covers(s.region_code, region.code)
    )
    inside = [
        s
        for s in stewards
        if s.type_key == ptype.key
        and s.region_code != region.code
        and tree.covers(region.code, s.region_code)
    ]
    siblings = list(Region.objects.filter(parent=region.parent_id).exclude(pk=region.pk).order_by("name"))
    sibling_gaps = [
        r
        for r in siblings
        if not any(s.type_key == ptype.key and tree.covers(s.region_code, r.code) for s in stewards)
    ]
    type_gaps = [
        t
        for t in PartnershipType.objects.filter(active=True).exclude(pk=ptype.pk)
        if not any(s.type_key == t.key and tree.covers(s.region_code, region.code) for s in stewards)
    ]
    return CellDetail(
        ptype, region, MatrixCell(ptype.key, region.code, covering), inside, sibling_gaps, type_gaps
    )


def region_path(code: str) -> str | None:
    """The stored hierarchy path of a region code (``/001/150/154/SE/``), or None when unknown."""
    wanted = code.upper() if len(code) == 2 else code
    return Region.objects.filter(code=wanted).values_list("path", flat=True).first()


def filter_stewardships(
    queryset: QuerySet[Stewardship],
    *,
    entity: str | None = None,
    type: str | None = None,
    theme: str | None = None,
    region: str | None = None,
    level: str | None = None,
    status: str | None = None,
    language: str | None = None,
) -> QuerySet[Stewardship]:
    """The stewardship directory's filters.

    ``region`` finds the stewards relevant to a place: stewardships of that region, of a region that contains
    it (Northern Europe and the world cover Sweden) and of regions inside it. ``theme`` includes the
    stewardships for any theme.
    """
    rows = queryset
    if entity:
        rows = rows.filter(entity__key=entity)
    if type:
        rows = rows.filter(type__key=type)
    if theme:
        rows = rows.filter(Q(theme__key=theme) | Q(theme__isnull=True))
    if region:
        path = region_path(region)
        if path is None:
            return rows.none()
        covering = [code for code in path.strip("/").split("/") if code]
        rows = rows.filter(Q(region__path__startswith=path) | Q(region__code__in=covering))
    if level:
        rows = rows.filter(level=level)
    if status:
        rows = rows.filter(status=status)
    if language:
        rows = rows.filter(languages__icontains=f'"{language}"')
    return rows
