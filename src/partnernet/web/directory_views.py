"""The directory's pages that draw on several areas: the entity list (filtered by the stewardships entities
hold), an entity's page (its stewardships, partnerships, support, sustainability) and a partner's page (every
partnership with the institution, on any instance).

They live here, in the top layer, because only the web may read every app at once; the directory app keeps
the pages that are its own (forms for profiles and partners, the partner list).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from partnernet.analytics.sustainability import entity_sustainability
from partnernet.audit.selectors import history_of
from partnernet.base.identity import instance_id
from partnernet.base.models import SEED_ORIGIN
from partnernet.base.pagination import page_of
from partnernet.directory.models import Entity
from partnernet.directory.profiles import home_address
from partnernet.directory.rules import entity_actions, partner_actions
from partnernet.directory.selectors import (
    entity_page,
    members_of,
    own_pending,
    partner_page,
    pending_joins,
    same_institution,
    with_profile,
    with_profiles,
)
from partnernet.framework.selectors import active_stewards, entities_matching
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.rules import visible_partnerships
from partnernet.partnerships.selectors import partnerships_with_entity, partnerships_with_institution
from partnernet.support.selectors import entity_support
from partnernet.sustainability.selectors import needs_of
from partnernet.web.forms import DirectoryFilterForm


def entity_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    rows = entities_matching(Entity.objects.select_related("country"), **form.filters())
    rows = rows.order_by("name", "pk")
    if form.is_bound and not form.is_valid():
        rows = rows.none()  # an unknown value is named next to its field, never silently an empty list
    page = page_of(request, rows)
    page.object_list = with_profiles(page.object_list)  # a seeded entity shows the profile its home keeps
    return render(request, "directory/entity_list.html", {"form": form, "page": page})


def entity_detail(request: HttpRequest, key: str) -> HttpResponse:
    entity = entity_page(key, request.GET.get("origin") or None)
    if entity is None:
        raise Http404
    allowed = entity_actions(request.user, entity)
    entity = with_profile(entity)
    home = entity.home_instance
    stewards = active_stewards(entity=entity)
    return render(
        request,
        "directory/entity_detail.html",
        {
            "entity": entity,
            "allowed": allowed,
            "stewards": stewards,
            "partnerships": partnerships_with_entity(entity, visible_partnerships(request.user)),
            "members": members_of(entity) if allowed.see_members else None,
            "own": own_pending(request.user, entity),
            "join_requests": pending_joins(entity) if allowed.decide_joins else None,
            "pending_claims": entity.claims.filter(status="pending").count()
            if request.user.has_perm("directory.decide_claims")
            else 0,
            "home_here": home == instance_id(),
            "history": _profile_history(entity) if allowed.see_members else None,
            "home_address": home_address(home) if home else "",
            "support": entity_support(entity, stewards),
            "sustainability": entity_sustainability(entity)
            if request.user.has_perm("analytics.view_entity_sustainability", entity)
            else None,
            "needs": needs_of(entity, request.user),
            "can_declare_need": request.user.has_perm("sustainability.declare_need", entity),
        },
    )


def _profile_history(entity: Entity) -> list[Any]:
    """Who changed a seeded entity's profile and home, newest first (the audit log of both rows)."""
    if entity.origin != SEED_ORIGIN:
        return []
    events = list(history_of(entity)[:20])
    profile = getattr(entity, "profile", None)
    if profile is not None:
        events += list(history_of(profile)[:20])
    return sorted(events, key=lambda event: event.at, reverse=True)[:20]


def partner_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A partner institution with every partnership with it that the viewer may see — those recorded on
    peer instances included when the rows share a Wikidata QID — so overlapping approaches show."""
    partner = partner_page(key, request.GET.get("origin") or None)
    if partner is None:
        raise Http404
    records = same_institution(partner)
    visible = visible_partnerships(request.user, Partnership.objects.all())
    partnerships = (
        partnerships_with_institution(records, visible)
        .prefetch_related("supporters")
        .order_by("-start", "title", "pk")
    )
    rows = list(partnerships[:200])
    local = instance_id()
    return render(
        request,
        "directory/partner_detail.html",
        {
            "partner": partner,
            "allowed": partner_actions(request.user, partner),
            "partnerships": rows,
            "entities": sorted(
                {p.lead.name for p in rows} | {s.name for p in rows for s in p.supporters.all()}
            ),
            "instances": sorted({p.origin for p in rows} - {local}),
            "show_origin": any(p.origin != local for p in rows),
            "local": local,
        },
    )
