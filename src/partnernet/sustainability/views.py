"""Pages of needs and pledges: the list, one need with its pledges, declaring and changing a need, pledging,
and the pledge lifecycle. Views parse, check a rule (``rules.py``), call a service and render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partnernet.audit.selectors import history_of
from partnernet.base.formats import iter_lines
from partnernet.base.pagination import page_of
from partnernet.base.records import RecordRejected
from partnernet.base.registry import record_kind
from partnernet.base.rows import export_rows
from partnernet.directory.models import Entity
from partnernet.directory.rules import entity_ids_of
from partnernet.sustainability import services
from partnernet.sustainability.forms import NeedFilterForm, NeedForm, PledgeForm
from partnernet.sustainability.models import Need
from partnernet.sustainability.rules import (
    declarable_keys,
    need_actions,
    pledge_actions,
    pledging_entities,
    visible_needs,
)
from partnernet.sustainability.selectors import (
    need_coverage,
    need_named,
    needs_matching,
    pledge_named,
    pledges_of,
)


def _declarable(user: Any) -> Any:
    """Entities whose needs ``user`` may declare here: those they administer that this instance publishes."""
    return Entity.objects.filter(pk__in=entity_ids_of(user, "admin"), key__in=declarable_keys(user)).order_by(
        "name"
    )


def _refused(form: forms.Form, error: RecordRejected, rename: dict[str, str] | None = None) -> None:
    """Put the cleaner's messages next to the fields they are about; nothing was written."""
    for name, problems in error.fields.items():
        target = (rename or {}).get(name, name)
        for problem in problems:
            form.add_error(target if target in form.fields else None, problem)
    if not error.fields:
        form.add_error(None, error.message)


def need_list(request: HttpRequest) -> HttpResponse:
    form = NeedFilterForm(request.GET or None)
    rows = needs_matching(visible_needs(request.user), form.filters()).select_related("entity")
    page = page_of(request, rows.order_by("status", "-updated_at", "key"))
    return render(
        request,
        "sustainability/need_list.html",
        {"form": form, "page": page, "can_declare": _declarable(request.user).exists()},
    )


def _need_or_404(request: HttpRequest, key: str) -> Need:
    need = need_named(request.user, key, request.GET.get("origin") or None)
    if need is None:
        raise Http404(_("No such need."))
    return need


def need_detail(request: HttpRequest, key: str, pledge_form: PledgeForm | None = None) -> HttpResponse:
    need = _need_or_404(request, key)
    allowed = need_actions(request.user, need)
    pledges = [(p, pledge_actions(request.user, p)) for p in pledges_of(need)]
    if allowed.pledge and pledge_form is None:
        pledge_form = PledgeForm(entities=pledging_entities(request.user, need), user=request.user)
    return render(
        request,
        "sustainability/need_detail.html",
        {
            "need": need,
            "allowed": allowed,
            "coverage": need_coverage(need),
            "pledges": pledges,
            "pledge_form": pledge_form if allowed.pledge else None,
            "history": history_of(need)[:50] if allowed.edit else None,
        },
        status=400 if pledge_form is not None and pledge_form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_new(request: HttpRequest) -> HttpResponse:
    entities = _declarable(request.user)
    if not entities.exists():
        raise PermissionDenied(_("Only an entity's admins declare its needs."))
    initial = {}
    wanted = entities.filter(key=request.GET.get("entity", "")).first()
    if wanted is not None:
        initial["entity"] = wanted.pk
    form = NeedForm(request.POST or None, entities=entities, initial=initial)
    if request.method == "POST" and form.is_valid():
        entity = form.cleaned_data["entity"]
        if not request.user.has_perm("sustainability.declare_need", entity):
            raise PermissionDenied(_("Only an entity's admins declare its needs."))
        try:
            need = services.declare_need(request.user, entity, form.cleaned_data)
        except RecordRejected as error:
            _refused(form, error)
        else:
            messages.success(request, _("The need is declared."))
            return redirect("sustainability:need", key=need.key)
    return render(
        request,
        "sustainability/need_form.html",
        {"form": form, "need": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, key: str) -> HttpResponse:
    need = _need_or_404(request, key)
    if not request.user.has_perm("sustainability.change_need", need):
        raise PermissionDenied(_("Only the entity's admins change its needs."))
    initial = {name: getattr(need, name) for name in services.NEED_FORM_FIELDS if name != "stewardships"}
    initial["stewardships"] = list(need.stewardships.all())
    form = NeedForm(request.POST or None, entities=Entity.objects.none(), need=need, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_need(request.user, need, form.cleaned_data)
        except RecordRejected as error:
            _refused(form, error)
        else:
            messages.success(request, _("The need is saved."))
            return redirect("sustainability:need", key=need.key)
    return render(
        request,
        "sustainability/need_form.html",
        {"form": form, "need": need},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def need_withdraw(request: HttpRequest, key: str) -> HttpResponse:
    need = _need_or_404(request, key)
    if not request.user.has_perm("sustainability.change_need", need):
        raise PermissionDenied(_("Only the entity's admins withdraw its needs."))
    if request.POST.get("action") == "reopen":
        services.reopen_need(request.user, need)
        messages.success(request, _("The need is open again."))
    else:
        services.withdraw_need(request.user, need)
        messages.success(request, _("The need is withdrawn; pledges not yet delivered are cancelled."))
    return redirect("sustainability:need", key=need.key)


@login_required
@require_POST
def pledge_new(request: HttpRequest, key: str) -> HttpResponse:
    need = _need_or_404(request, key)
    if not request.user.has_perm("sustainability.pledge", need):
        raise PermissionDenied(_("This need takes no pledges from you."))
    entities = pledging_entities(request.user, need)
    form = PledgeForm(request.POST, entities=entities, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.make_pledge(
                request.user,
                need,
                what=data["what"],
                amount=data["amount"] or None,
                when=data["when"],
                entity=data["entity"],
                partner=data["partner"],
                person=data["person"],
            )
        except RecordRejected as error:
            _refused(form, error)
        else:
            messages.success(request, _("Thank you: your pledge is recorded and the need's admins are told."))
            return redirect("sustainability:need", key=need.key)
    return need_detail(request, key, pledge_form=form)


@login_required
@require_POST
def pledge_step(request: HttpRequest, key: str, step: str) -> HttpResponse:
    pledge = pledge_named(request.user, key)
    if pledge is None:
        raise Http404(_("No such pledge."))
    allowed = pledge_actions(request.user, pledge)
    try:
        if step == "deliver":
            if not allowed.confirm:
                raise PermissionDenied(_("Only the need's admins confirm a delivery."))
            services.confirm_delivery(request.user, pledge)
            messages.success(request, _("The delivery is confirmed."))
        elif step == "change":
            if not allowed.cancel:
                raise PermissionDenied(_("Only the pledger changes its pledge."))
            data = {name: request.POST.get(name, "").strip() or None for name in ("what", "amount", "when")}
            try:
                services.change_pledge(request.user, pledge, data)
            except RecordRejected as error:
                for name, problems in error.fields.items():
                    messages.error(request, f"{name}: {' '.join(problems)}")
                return redirect("sustainability:need", key=pledge.need.key)
            messages.success(request, _("The pledge is changed."))
        elif step == "cancel":
            if not allowed.cancel:
                raise PermissionDenied(_("Only the pledger cancels its pledge."))
            services.cancel_pledge(request.user, pledge)
            messages.success(request, _("The pledge is cancelled."))
        else:
            raise Http404
    except services.PledgeRefused as refused:
        messages.error(request, str(refused))
    return redirect("sustainability:need", key=pledge.need.key)


def export(request: HttpRequest, kind_name: str, fmt: str) -> StreamingHttpResponse:
    """Needs or pledges in the FORMATS.md format, only the rows the reader may see (the list's filters apply
    to needs)."""
    if fmt not in ("csv", "jsonl") or kind_name not in ("needs", "pledges"):
        raise Http404
    kind = record_kind(kind_name).exchange
    rows = kind.queryset()
    if kind_name == "needs":
        rows = needs_matching(rows, NeedFilterForm(request.GET or None).filters())
    response = StreamingHttpResponse(
        iter_lines(export_rows(kind_name, rows, user=request.user), fmt, kind.fields),
        content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/jsonl; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{kind_name}.{fmt}"'
    return response
