"""The directory's own pages: the partner list and the forms for an entity's profile and for partners.

The pages that draw on other areas (the entity list and page, a partner's page) are composed in
``web.directory_views``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from partnernet.base.pagination import page_of
from partnernet.directory import services
from partnernet.directory.forms import EntityProfileForm, PartnerForm
from partnernet.directory.models import Partner
from partnernet.directory.rules import entity_actions, is_movement_member, partner_actions
from partnernet.directory.selectors import entity_page, filter_partners, partner_page


@login_required
def entity_edit(request: HttpRequest, key: str) -> HttpResponse:
    entity = entity_page(key, request.GET.get("origin") or None)
    if entity is None:
        raise Http404
    if not entity_actions(request.user, entity).edit:
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


@login_required
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
    if not partner_actions(request.user, partner).edit:
        raise PermissionDenied
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        services.update_partner(request.user, partner, form.cleaned_data)
        messages.success(request, _("The partner was saved."))
        return redirect("directory:partner", key=partner.key)
    return render(request, "directory/partner_form.html", {"form": form, "partner": partner})
