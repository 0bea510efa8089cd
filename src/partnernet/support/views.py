"""Pages of the support workflow. Views parse, check the rules, call one service, and render or redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnernet.base.peering import peering
from partnernet.base.references import preferred_ids
from partnernet.directory.models import Entity
from partnernet.directory.rules import entity_ids_of
from partnernet.partnerships.rules import visible_partnerships
from partnernet.support import candidates as candidates_of
from partnernet.support import forms, selectors, services
from partnernet.support.explanations import ExplainedCandidate, explained_candidates
from partnernet.support.models import Hosting, SupportRequest
from partnernet.support.panels import request_panels
from partnernet.support.rules import request_actions


def _request_or_404(user: Any, key: str) -> SupportRequest:
    request = selectors.find_request(key)
    if request is None or not user.has_perm("support.view_request", request):
        raise Http404(_("No such support request, or you may not see it."))
    return request


def index(request: HttpRequest) -> HttpResponse:
    """My entities' requests, with the way in for everyone else (the public proposal form)."""
    mine = selectors.requests_of(request.user)[:200] if request.user.is_authenticated else None
    return render(request, "support/index.html", {"requests": mine})


def _own_entities(user: Any) -> QuerySet[Entity]:
    return Entity.objects.filter(pk__in=entity_ids_of(user)).order_by("name")


def _chosen(request: HttpRequest) -> dict[str, str] | None:
    """The cell (and steward) picked on the page that sent the person here (the steward finder)."""
    names = ("type", "theme", "region", "need", "steward")
    return {name: request.GET[name] for name in names if name in request.GET} or None


@login_required
def new_request(request: HttpRequest) -> HttpResponse:
    entities = _own_entities(request.user)
    if not entities.exists():
        return _new_as_individual(request)
    partnerships = visible_partnerships(request.user).order_by("title")
    form = forms.RequestForm(
        request.POST or None, entities=entities, partnerships=partnerships, initial=_chosen(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = services.create_request(
            request.user,
            requester=data["requester"],
            type=data["type"],
            theme=data["theme"],
            region=data["region"],
            need=data["need"],
            language=data["language"],
            partnership=data["partnership"],
            description=data["description"],
            preferred=data.get("steward") or None,
        )
        messages.success(request, _("Your request was sent."))
        return redirect("support:detail", key=created.key)
    return render(request, "support/new.html", {"form": form})


def _new_as_individual(request: HttpRequest) -> HttpResponse:
    """A person without an entity: their individual profile and their first request in one form."""
    user: Any = request.user
    if not user.has_perm("accounts.create_individual_profile"):
        raise PermissionDenied(
            _("Your individual profile has no membership any more; ask a facilitator to restore it.")
        )
    initial = {"name": user.get_full_name() or user.get_username(), **(_chosen(request) or {})}
    form = forms.IndividualRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = services.ask_as_new_individual(
            user,
            profile=form.profile(),
            type=data["type"],
            theme=data["theme"],
            region=data["region"],
            need=data["need"],
            language=data["language"],
            description=data["description"],
            preferred=data.get("steward") or None,
        )
        messages.success(
            request,
            _("Your individual profile “%(name)s” was created and your request was sent.")
            % {"name": created.requester.name if created.requester else ""},
        )
        return redirect("support:detail", key=created.key)
    status = 400 if form.errors else 200
    return render(request, "support/new_individual.html", {"form": form}, status=status)


@login_required
def detail(request: HttpRequest, key: str) -> HttpResponse:
    """The request's status page: where it is and why, its timeline, and the actions the person may take."""
    support_request = _request_or_404(request.user, key)
    user = request.user
    allowed = request_actions(user, support_request)
    candidates: list[ExplainedCandidate] = []
    if allowed.offer:
        candidates = explained_candidates(candidates_of.routing_request_of(support_request), limit=20)
    context = {
        "req": support_request,
        "partnership_visible": support_request.partnership is not None
        and user.has_perm("partnerships.view_partnership", support_request.partnership),
        "timeline": selectors.request_timeline(support_request),
        "allowed": allowed,
        "candidates": candidates,
        "crossing": peering().crossing(support_request),
        "decline_form": forms.DeclineForm(),
        "resolve_form": forms.ResolveForm(),
        "withdraw_form": forms.WithdrawForm(),
        "hosting_form": forms.HostingForm(),
        "matches": selectors.matching_partners(support_request.partner)
        if allowed.link_partner and support_request.partner is not None
        else [],
        "panels": request_panels(user, [support_request]).get(support_request.pk, []),
    }
    return render(request, "support/detail.html", context)


def _act(
    request: HttpRequest, key: str, form_class: type[Form] | None, run: Callable[..., Any]
) -> HttpResponse:
    """Run one service for a posted action; a lost race or a bad state becomes a message, not an error."""
    support_request = _request_or_404(request.user, key)
    data: dict[str, Any] = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            for field_errors in form.errors.values():
                for error in field_errors:
                    messages.error(request, str(error))
            return redirect("support:detail", key=support_request.key)
        data = form.cleaned_data
    try:
        run(request.user, support_request.key, **data)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done."))
        after = selectors.find_request(support_request.key)
        if after is None or not request.user.has_perm("support.view_request", after):
            return redirect("support:inbox")
    return redirect("support:detail", key=support_request.key)


@login_required
@require_POST
def accept(request: HttpRequest, key: str) -> HttpResponse:
    return _act(request, key, None, services.accept_offer)


@login_required
@require_POST
def decline(request: HttpRequest, key: str) -> HttpResponse:
    return _act(request, key, forms.DeclineForm, services.decline_offer)


@login_required
@require_POST
def start(request: HttpRequest, key: str) -> HttpResponse:
    return _act(request, key, None, services.start_work)


@login_required
@require_POST
def resolve(request: HttpRequest, key: str) -> HttpResponse:
    return _act(request, key, forms.ResolveForm, services.resolve_request)


@login_required
@require_POST
def withdraw(request: HttpRequest, key: str) -> HttpResponse:
    return _act(request, key, forms.WithdrawForm, services.withdraw)


@login_required
@require_POST
def offer(request: HttpRequest, key: str) -> HttpResponse:
    def run(user: Any, request_key: str, stewardship: str) -> None:
        services.offer(user, request_key, stewardship)

    return _act(request, key, forms.OfferForm, run)


@login_required
@require_POST
def route_again(request: HttpRequest, key: str) -> HttpResponse:
    return _act(request, key, None, services.route_request)


@login_required
@require_POST
def host(request: HttpRequest, key: str) -> HttpResponse:
    return _act(request, key, forms.HostingForm, services.establish_hosting)


@login_required
@require_POST
def end_hosting(request: HttpRequest, pk: int) -> HttpResponse:
    hosting = Hosting.objects.filter(pk=pk).select_related("host", "hosted").first()
    if hosting is None or not request.user.has_perm("support.end_hosting", hosting):
        raise Http404(_("No such hosting, or you may not end it."))
    form = forms.EndHostingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the hosting ends."))
    else:
        try:
            services.end_hosting(request.user, hosting.pk, form.cleaned_data["reason"])
        except services.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The hosting has ended."))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("support:entity", key=hosting.hosted.key)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The steward inbox: offers to answer (soonest due first), then the cases being worked on."""
    rows = list(selectors.steward_inbox(request.user)[:500])
    panels = request_panels(request.user, rows, compact=True)
    for row in rows:
        row.panels = panels.get(row.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "support/inbox.html",
        {
            "offered": [r for r in rows if r.status == "offered"],
            "working": [r for r in rows if r.status != "offered"],
            "capacity": selectors.inbox_capacity(request.user),
            "passed_on": selectors.passed_on(request.user),
            "decline_form": forms.DeclineForm(),
            "resolve_form": forms.ResolveForm(),
        },
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("support.manage_queue"):
        raise PermissionDenied(_("Only facilitators work the facilitators' queue."))
    return render(request, "support/queue.html", {"requests": selectors.facilitators_queue()[:500]})


def entity(request: HttpRequest, key: str) -> HttpResponse:
    """An entity's support at a glance: live loads of its stewardships and the hostings it gives or gets."""
    pk = preferred_ids(Entity, [key]).get(key)
    if pk is None:
        raise Http404(_("No such entity."))
    found = Entity.objects.get(pk=pk)
    return render(
        request,
        "support/entity.html",
        {
            "support": selectors.entity_support(found),
            "end_form": forms.EndHostingForm(),
            "path": request.path,
        },
    )
