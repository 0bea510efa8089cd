"""Registry pages: list with facets, export of the current filter, one partnership, the forms.

Views parse, check permission through ``rules``, call a selector or a service, and render.
"""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnernet.audit.selectors import history_of
from partnernet.base import fairuse
from partnernet.base.formats import iter_lines
from partnernet.base.pagination import page_of
from partnernet.base.registry import record_kind
from partnernet.base.rows import file_rows
from partnernet.directory.rules import entity_ids_of, is_facilitator
from partnernet.partnerships import services
from partnernet.partnerships.facets import registry_facets
from partnernet.partnerships.forms import AgreementForm, PartnershipForm, RegistryFilterForm
from partnernet.partnerships.models import Agreement, Partnership
from partnernet.partnerships.rules import partnership_actions, visible_partnerships
from partnernet.partnerships.search_rows import search_page_rows
from partnernet.partnerships.selectors import (
    BROAD_ROWS,
    filter_partnerships,
    partnership_page,
    registry_version,
)


def registry(request: HttpRequest) -> HttpResponse:
    form = RegistryFilterForm(request.GET or None)
    filters = form.registry_filter()
    unsearched = filter_partnerships(visible_partnerships(request.user), replace(filters, q=""))
    version = registry_version()  # what the counts and the page are kept under
    facets = registry_facets(request.user, unsearched, filters, version)
    selected = None if facets.estimated else facets.total
    rows = search_page_rows(
        unsearched, filters.q, form.ordering(), broad=facets.broad, selected=selected, version=version
    )
    # A broad search pages through its first BROAD_ROWS rows (``selectors.BROAD_SEARCH``).
    count = min(facets.total, BROAD_ROWS) if facets.broad else facets.total
    page = page_of(request, rows, count=count)
    return render(
        request,
        "partnerships/registry.html",
        {
            "form": form,
            "filters": filters,
            "facets": facets,
            "page": page,
            "sort": form.ordering(),
            "chosen_sort": form.chosen_ordering(),
            "searching": form.searching(),
            "broad_rows": BROAD_ROWS if facets.broad else None,
            "can_create": request.user.is_authenticated
            and (bool(entity_ids_of(request.user)) or is_facilitator(request.user)),
        },
    )


def export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The current filter in the FORMATS.md format, streamed (only rows the viewer may see)."""
    if fmt not in ("csv", "jsonl"):
        raise Http404
    taken = fairuse.take_slot(request)
    if taken is False:
        return fairuse.busy()
    try:
        form = RegistryFilterForm(request.GET or None)
        kind = record_kind("partnerships").exchange
        visible = visible_partnerships(request.user, kind.queryset())
        rows = filter_partnerships(visible, form.registry_filter())
        found, values = file_rows(kind.name, rows, fmt)
        lines = iter_lines(found, fmt, kind.fields, values=values)
    except BaseException:
        if taken:
            fairuse.release_slot()
        raise
    response = StreamingHttpResponse(
        fairuse.holding_slot(lines, taken),
        content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/jsonl; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="partnerships.{fmt}"'
    return response


def _visible_or_404(request: HttpRequest, key: str) -> Partnership:
    partnership = partnership_page(key, request.GET.get("origin") or None)
    if partnership is None or not request.user.has_perm("partnerships.view_partnership", partnership):
        raise Http404
    return partnership


def detail(request: HttpRequest, key: str) -> HttpResponse:
    partnership = _visible_or_404(request, key)
    allowed = partnership_actions(request.user, partnership)
    return render(
        request,
        "partnerships/detail.html",
        {
            "partnership": partnership,
            "history": history_of(partnership)[:20],
            "allowed": allowed,
            "agreements": partnership.agreements.all() if allowed.see_agreements else [],
            "agreement_form": AgreementForm() if allowed.edit else None,
        },
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not (entity_ids_of(request.user) or is_facilitator(request.user)):
        raise PermissionDenied
    form = PartnershipForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        partnership = services.create_partnership(request.user, form.cleaned_data)
        messages.success(request, _("The partnership was recorded."))
        return redirect("partnerships:detail", key=partnership.key)
    return render(request, "partnerships/form.html", {"form": form, "partnership": None})


@login_required
def edit(request: HttpRequest, key: str) -> HttpResponse:
    partnership = _visible_or_404(request, key)
    if not partnership_actions(request.user, partnership).edit:
        raise PermissionDenied
    form = PartnershipForm(request.POST or None, instance=partnership, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_partnership(request.user, partnership, form.cleaned_data)
        messages.success(request, _("The partnership was saved."))
        return redirect("partnerships:detail", key=partnership.key)
    return render(request, "partnerships/form.html", {"form": form, "partnership": partnership})


@login_required
@require_POST
def upload_agreement(request: HttpRequest, key: str) -> HttpResponse:
    partnership = _visible_or_404(request, key)
    allowed = partnership_actions(request.user, partnership)
    if not allowed.edit:
        raise PermissionDenied
    form = AgreementForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_agreement(
            request.user, partnership, form.cleaned_data["title"], form.cleaned_data["file"]
        )
        messages.success(request, _("The agreement was added."))
        return redirect("partnerships:detail", key=partnership.key)
    return render(
        request,
        "partnerships/detail.html",
        {
            "partnership": partnership,
            "history": history_of(partnership)[:20],
            "allowed": allowed,
            "agreements": partnership.agreements.all(),
            "agreement_form": form,
        },
        status=400,
    )


@login_required
def agreement_file(request: HttpRequest, key: str, pk: int) -> FileResponse:
    partnership = _visible_or_404(request, key)
    if not request.user.has_perm("partnerships.view_agreements", partnership):
        raise Http404
    agreement = get_object_or_404(Agreement, pk=pk, partnership=partnership)
    return FileResponse(
        agreement.file.open("rb"),
        as_attachment=True,
        filename=(agreement.file.name or "agreement").rsplit("/")[-1],
    )
