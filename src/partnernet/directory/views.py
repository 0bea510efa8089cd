"""The directory's own pages: the partner list and the forms for an entity's profile and for partners.

The pages that draw on other areas (the entity list and page, a partner's page) are composed in
``web.directory_views``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from partnernet.base.identity import instance_id
from partnernet.base.models import SEED_ORIGIN
from partnernet.base.pagination import page_of
from partnernet.base.records import RecordRejected
from partnernet.directory import joining, services
from partnernet.directory.forms import (
    ClaimForm,
    DecisionForm,
    EntityProfileForm,
    JoinForm,
    PartnerForm,
    SeededProfileForm,
)
from partnernet.directory.models import Claim, Entity, JoinRequest, Partner
from partnernet.directory.profiles import NotHome, edit_profile, home_address, require_home
from partnernet.directory.rules import entity_actions, is_movement_member, partner_actions
from partnernet.directory.selectors import (
    decided_claims,
    entity_page,
    filter_partners,
    partner_page,
    pending_claims,
    with_profile,
)


@login_required
def entity_edit(request: HttpRequest, key: str) -> HttpResponse:
    entity = entity_page(key, request.GET.get("origin") or None)
    if entity is None:
        raise Http404
    if entity.origin == SEED_ORIGIN:
        return _seeded_profile_edit(request, entity)
    if not entity_actions(request.user, entity).edit:
        if entity.origin != instance_id():
            raise PermissionDenied(
                _("%(name)s comes from another instance (%(origin)s): it is changed only there.")
                % {"name": entity.name, "origin": home_address(entity.origin)}
            )
        raise PermissionDenied(_("Only the entity's admins and facilitators may change its profile."))
    form = EntityProfileForm(request.POST or None, instance=entity)
    if request.method == "POST" and form.is_valid():
        services.update_entity_profile(request.user, entity, form.profile_data())
        messages.success(request, _("The profile was saved."))
        return redirect("directory:entity", key=entity.key)
    return render(request, "directory/entity_form.html", {"form": form, "entity": entity})


def _seeded_profile_edit(request: HttpRequest, entity: Entity) -> HttpResponse:
    """A seeded affiliate's profile, kept by its home beside the seed row."""
    try:
        require_home(entity)
    except NotHome as error:
        raise PermissionDenied(str(error)) from None
    if not request.user.has_perm("directory.change_profile", entity):
        raise PermissionDenied(_("Only the entity's admins and facilitators may change its profile."))
    entity = with_profile(entity)
    form = SeededProfileForm(request.POST or None, entity=entity)
    if request.method == "POST" and form.is_valid():
        try:
            edit_profile(request.user, entity, form.changes())
        except RecordRejected as error:
            for name, problems in error.fields.items():
                form.add_error(
                    FORM_FIELD.get(name) if FORM_FIELD.get(name) in form.fields else None, problems
                )
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("directory:entity", key=entity.key)
    return render(request, "directory/entity_form.html", {"form": form, "entity": entity, "seeded": True})


FORM_FIELD = {"languages": "languages_text", **{name: name for name in SeededProfileForm.base_fields}}


@login_required
def entity_join(request: HttpRequest, key: str) -> HttpResponse:
    """Ask to join an entity: its admins approve or refuse, and both sides are told."""
    entity = _entity_or_404(key)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            joining.ask_to_join(request.user, entity, form.cleaned_data["message"])
        except joining.Refused as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your request was sent to the admins of %(name)s.") % {"name": entity.name}
            )
        return redirect("directory:entity", key=entity.key)
    return render(request, "directory/entity_join.html", {"form": form, "entity": entity})


@login_required
def entity_claim(request: HttpRequest, key: str) -> HttpResponse:
    """Claim a seeded affiliate, with evidence for the facilitators who review it."""
    entity = _entity_or_404(key)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            joining.claim_entity(
                request.user, entity, form.cleaned_data["evidence_url"], form.cleaned_data["statement"]
            )
        except joining.Refused as error:
            for name, problems in error.fields.items():
                form.add_error(name, problems)
            if not error.fields:
                messages.error(request, error.message)
                return redirect("directory:entity", key=entity.key)
        else:
            messages.success(request, _("Your claim was sent to the facilitators, who will review it."))
            return redirect("directory:entity", key=entity.key)
    return render(request, "directory/entity_claim.html", {"form": form, "entity": entity})


@login_required
def join_decide(request: HttpRequest, uuid: str, decision: str) -> HttpResponse:
    join = get_object_or_404(JoinRequest.objects.select_related("entity", "user"), uuid=uuid)
    if request.method != "POST":
        return redirect("directory:entity", key=join.entity.key)
    if not request.user.has_perm("directory.decide_join", join):
        raise PermissionDenied(
            _("Only the admins of %(name)s decide who joins it.") % {"name": join.entity.name}
        )
    form = DecisionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        joining.decide_join(request.user, join, decision == "approve", reason)
    except joining.Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Your decision was recorded and %(person)s was told.") % {"person": join.user}
        )
    return redirect("directory:entity", key=join.entity.key)


@login_required
def claim_queue(request: HttpRequest) -> HttpResponse:
    """The facilitators' queue of claims on seeded affiliates."""
    if not request.user.has_perm("directory.decide_claims"):
        raise PermissionDenied(_("Only facilitators review claims."))
    return render(
        request,
        "directory/claim_queue.html",
        {"pending": pending_claims(), "decided": decided_claims()[:50], "form": DecisionForm()},
    )


@login_required
def claim_decide(request: HttpRequest, uuid: str, decision: str) -> HttpResponse:
    if not request.user.has_perm("directory.decide_claims"):
        raise PermissionDenied(_("Only facilitators review claims."))
    claim = get_object_or_404(Claim.objects.select_related("entity", "user"), uuid=uuid)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            joining.decide_claim(request.user, claim, decision == "approve", reason)
        except joining.Refused as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your decision was recorded and %(person)s was told.") % {"person": claim.user}
            )
    return redirect("directory:claims")


def _entity_or_404(key: str) -> Entity:
    entity = entity_page(key)
    if entity is None:
        raise Http404
    return entity


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
