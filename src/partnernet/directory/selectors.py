"""Reads of the directory that are more than a filter."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from partnernet.base.models import SEED_ORIGIN
from partnernet.base.references import best_row, key_and_origin
from partnernet.directory.models import Claim, Entity, EntityProfile, JoinRequest, Membership, Partner


def entity_page(key: str, origin: str | None = None) -> Entity | None:
    rows = Entity.objects.select_related("country").prefetch_related("regions")
    key, origin = key_and_origin(key, origin)
    if origin:
        rows = rows.filter(origin=origin)
    return best_row(rows.filter(key=key)[:20])


def members_of(entity: Entity) -> QuerySet[Membership]:
    return entity.memberships.select_related("user").order_by("role", "user__username")


def partner_page(key: str, origin: str | None = None) -> Partner | None:
    rows = Partner.objects.select_related("country")
    key, origin = key_and_origin(key, origin)
    if origin:
        rows = rows.filter(origin=origin)
    return best_row(rows.filter(key=key)[:20])


def same_institution(partner: Partner) -> QuerySet[Partner]:
    """Every partner row that stands for the same institution as ``partner``: the rows of any instance
    (local, reference data, peers' copies) carrying its Wikidata QID, or just ``partner`` without one.

    This is how two entities, on one instance or on two, see that they approach the same museum.
    """
    if partner.wikidata:
        return Partner.objects.filter(wikidata=partner.wikidata)
    return Partner.objects.filter(pk=partner.pk)


def filter_partners(
    queryset: QuerySet[Partner],
    *,
    kind: str | None = None,
    country: str | None = None,
    search: str | None = None,
) -> QuerySet[Partner]:
    rows = queryset
    if kind:
        rows = rows.filter(kind=kind)
    if country:
        rows = rows.filter(country__code=country)
    if search:
        rows = rows.filter(name__icontains=search.strip())
    return rows


OVERLAID = ("languages", "website", "description", "wikidata", "legal_identity", "jurisdiction", "founded",
            "staff_fte", "volunteers")  # fmt: skip


def winning_profile(entity: Entity) -> EntityProfile | None:
    """The profile a seeded entity shows: the one its home keeps (here, or a copy from the home's feed)."""
    if entity.origin != SEED_ORIGIN or not entity.home:
        return None
    return EntityProfile.objects.filter(entity=entity, origin=entity.home).first()


def _overlay(entity: Entity, profile: EntityProfile | None) -> Entity:
    entity.profile = profile  # type: ignore[attr-defined]
    entity.contact = profile.contact if profile is not None else ""  # type: ignore[attr-defined]
    if profile is None:
        return entity
    for name in OVERLAID:
        value = getattr(profile, name)
        if name == "languages" and not value:
            continue  # none stated: the seed's (derived) languages still show, marked as derived
        if name == "languages":
            entity.languages_derived = False
        setattr(entity, name, value)
    return entity


def with_profile(entity: Entity) -> Entity:
    """``entity`` showing its winning profile (in memory only: never save an entity read this way).

    Sets ``entity.profile`` (or None) and ``entity.contact``; a seed row's fields give way to the profile's.
    """
    return _overlay(entity, winning_profile(entity))


def with_profiles(entities: Iterable[Entity]) -> list[Entity]:
    """``with_profile`` for many entities in one query."""
    rows = list(entities)
    homed = [e for e in rows if e.origin == SEED_ORIGIN and e.home]
    found: dict[tuple[int, str], EntityProfile] = {}
    if homed:
        for profile in EntityProfile.objects.filter(entity__in=[e.pk for e in homed]):
            found[(profile.entity_id, profile.origin)] = profile
    return [_overlay(e, found.get((e.pk, e.home))) for e in rows]


def pending_claims() -> QuerySet[Claim]:
    return (
        Claim.objects.filter(status=Claim.Status.PENDING)
        .select_related("entity", "user")
        .order_by("created_at")
    )


def decided_claims() -> QuerySet[Claim]:
    return (
        Claim.objects.exclude(status=Claim.Status.PENDING)
        .select_related("entity", "user", "decided_by")
        .order_by("-decided_at")
    )


def pending_joins(entity: Entity) -> QuerySet[JoinRequest]:
    return (
        entity.join_requests.filter(status=JoinRequest.Status.PENDING)
        .select_related("user")
        .order_by("created_at")
    )


def own_pending(user: Any, entity: Entity) -> dict[str, Any]:
    """The person's own pending join request and claim on ``entity`` (for the page to say they wait)."""
    if not getattr(user, "is_authenticated", False):
        return {"join": None, "claim": None}
    return {
        "join": entity.join_requests.filter(user=user, status=JoinRequest.Status.PENDING).first(),
        "claim": entity.claims.filter(user=user, status=Claim.Status.PENDING).first(),
    }
