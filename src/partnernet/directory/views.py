"""Directory pages: entities (with their stewardships and load), partner institutions, the profile forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from partnernet.analytics.selectors import entity_sustainability
from partnernet.directory import services
from partnernet.directory.forms import DirectoryFilterForm, EntityProfileForm, PartnerForm
from partnernet.directory.models import Entity, Partner
from partnernet.directory.rules import entity_ids_of, is_facilitator, is_local_row, is_movement_member
from partnernet.directory.selectors import (
    entity_page,
    filter_entities,
    filter_partners,
    members_of,
    partner_page,
    same_institution,
)
from partnernet.federation.selectors import instance_id
from partnernet.framework.models import PartnershipType, Region
from partnernet.framework.selectors import active_stewards
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.rules import visible_partnerships
from partnernet.partnerships.selectors import partnerships_with_entity, partnerships_with_institution
from partnernet.support.selectors import entity_support
from partnernet.web.pagination import page_of


def may_change(user: Any, obj: Any) -> bool:
    """The change rule, with the origin check also applied to superusers (Django grants them every perm)."""
    return bool(is_local_row(user, obj)) and user.has_perm("directory.change_entity", obj)


def _region_choices() -> list[Region]:
    return list(Region.objects.exclude(level="country").order_by("path"))


def entity_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = filter_entities(
        Entity.objects.select_related("country"),
        kind=data.get("kind"),
        region=data.get("region"),
        stewarded_type=data.get("type"),
        language=data.get("language"),
        search=data.get("q"),
    ).order_by("name", "pk")
    return render(
        request,
        "directory/entity_list.html",
        {
            "form": form,
            "page": page_of(request, rows),
            "regions": _region_choices(),
            "types": PartnershipType.objects.filter(active=True),
        },
    )


def entity_detail(request: HttpRequest, key: str) -> HttpResponse:
    entity = entity_page(key, request.GET.get("origin") or None)
    if entity is None:
        raise Http404
    can_see_members = request.user.has_perm("directory.view_members", entity)
    return render(
        request,
        "directory/entity_detail.html",
        {
            "entity": entity,
            "stewards": active_stewards(entity=entity),
            "partnerships": partnerships_with_entity(entity, visible_partnerships(request.user)),
            "members": members_of(entity) if can_see_members else None,
            "can_change": may_change(request.user, entity),
            "support": entity_support(entity),
            "sustainability": entity_sustainability(entity)
            if request.user.has_perm("analytics.view_entity_sustainability", entity)
            else None,
        },
    )


@login_required
def entity_edit(request: HttpRequest, key: str) -> HttpResponse:
    entity = entity_page(key, request.GET.get("origin") or None)
    if entity is None:
        raise Http404
    if not may_change(request.user, entity):
        raise PermissionDenied
    form = EntityProfileForm(request.POST or None, instance=entity)
    if request.method == "POST" and form.is_valid():
        services.update_entity_profile(request.user, entity, form.profile_data())
        messages.success(request, _("The profile was saved."))
        return redirect("directory:entity", key=entity.key)
    return render(request, "directory/entity_form.html", {"form": form, "entity": entity})


def partner_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or None
    rows = filter_partners(
        Partner.objects.select_related("country"),
        kind=kind if kind in Partner.Kind.values else None,
        country=(request.GET.get("country") or "").upper()[:2] or None,
        search=(request.GET.get("q") or "")[:200] or None,
    ).order_by("name", "pk")
    return render(
        request,
        "directory/partner_list.html",
        {
            "page": page_of(request, rows),
            "kinds": Partner.Kind.choices,
            "current": {k: request.GET.get(k, "") for k in ("kind", "country", "q")},
            "can_create": is_movement_member(request.user),
        },
    )


def may_change_partner(user: Any, partner: Partner) -> bool:
    """Facilitators, and members of entities working with the partner, may correct a local partner."""
    if not is_local_row(user, partner) or not user.is_authenticated:
        return False
    if is_facilitator(user):
        return True
    own = entity_ids_of(user)
    return partner.partnerships.filter(Q(lead_id__in=own) | Q(supporters__in=own)).exists()


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
            "partnerships": rows,
            "entities": sorted(
                {p.lead.name for p in rows} | {s.name for p in rows for s in p.supporters.all()}
            ),
            "instances": sorted({p.origin for p in rows} - {local}),
            "show_origin": any(p.origin != local for p in rows),
            "local": local,
            "can_change": may_change_partner(request.user, partner),
        },
    )


@login_required
def partner_create(request: HttpRequest) -> HttpResponse:
    if not is_movement_member(request.user):
        raise PermissionDenied
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = services.create_partner(request.user, form.cleaned_data)
        messages.success(request, _("The partner was recorded."))
        return redirect("directory:partner", key=partner.key)
    return render(request, "directory/partner_form.html", {"form": form})


@login_required
def partner_edit(request: HttpRequest, key: str) -> HttpResponse:
    partner = partner_page(key, request.GET.get("origin") or None)
    if partner is None:
        raise Http404
    if not may_change_partner(request.user, partner):
        raise PermissionDenied
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        services.update_partner(request.user, partner, form.cleaned_data)
        messages.success(request, _("The partner was saved."))
        return redirect("directory:partner", key=partner.key)
    return render(request, "directory/partner_form.html", {"form": form, "partner": partner})
