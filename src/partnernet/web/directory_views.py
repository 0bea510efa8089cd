"""The directory's pages that draw on several areas: the entity list (filtered by the stewardships entities
hold), an entity's page (its stewardships, partnerships, support, sustainability) and a partner's page (every
partnership with the institution, on any instance).

They live here, in the top layer, because only the web may read every app at once; the directory app keeps
the pages that are its own (forms for profiles and partners, the partner list).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from partnernet.analytics.sustainability import entity_sustainability
from partnernet.base.identity import instance_id
from partnernet.base.pagination import page_of
from partnernet.directory.models import Entity
from partnernet.directory.rules import entity_actions, partner_actions
from partnernet.directory.selectors import entity_page, members_of, partner_page, same_institution
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
    return render(request, "directory/entity_list.html", {"form": form, "page": page_of(request, rows)})


def entity_detail(request: HttpRequest, key: str) -> HttpResponse:
    entity = entity_page(key, request.GET.get("origin") or None)
    if entity is None:
        raise Http404
    allowed = entity_actions(request.user, entity)
    return render(
        request,
        "directory/entity_detail.html",
        {
            "entity": entity,
            "allowed": allowed,
            "stewards": active_stewards(entity=entity),
            "partnerships": partnerships_with_entity(entity, visible_partnerships(request.user)),
            "members": members_of(entity) if allowed.see_members else None,
            "support": entity_support(entity),
            "sustainability": entity_sustainability(entity)
            if request.user.has_perm("analytics.view_entity_sustainability", entity)
            else None,
            "needs": needs_of(entity, request.user),
            "can_declare_need": request.user.has_perm("sustainability.declare_need", entity),
        },
    )


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
