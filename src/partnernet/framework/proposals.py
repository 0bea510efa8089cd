"""Reads of the agreement process: a proposal's rule and voices, its tally, who it affects, the listings.

The writes are ``services.py`` (with ``proposing.py`` checking input and ``applying.py`` applying decisions).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from partnernet.audit.models import AuditEvent
from partnernet.core import quorum
from partnernet.directory.models import Entity, Membership
from partnernet.framework.models import (
    Endorsement,
    EndorsementStance,
    PartnershipType,
    Proposal,
    QuorumRule,
    Stewardship,
    StewardshipStatus,
    Theme,
)


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


def admin_people(entities: QuerySet[Entity]) -> set[int]:
    """User ids of the admins of ``entities`` (told in the app; those with an address by e-mail too)."""
    return set(
        Membership.objects.filter(entity__in=entities, role=Membership.Role.ADMIN).values_list(
            "user_id", flat=True
        )
    )


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
