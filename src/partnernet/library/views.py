"""Library pages: the list with facets and search, a resource with its translations and use, the form,
publishing and retiring, history and the difference between two versions, attachments, "this helped", and
answering a support request with resources.

Views parse, check a rule (``rules.py``), call a service, and render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnernet.base.fields import FieldError
from partnernet.base.pagination import page_of
from partnernet.base.records import RecordReadOnly, RecordRejected
from partnernet.base.registry import record_kind
from partnernet.core.library import field_changes, text_diff
from partnernet.directory.models import Entity, Membership
from partnernet.directory.rules import entity_ids_of
from partnernet.library import selectors, services
from partnernet.library.attachments import display_name, is_url, store_upload
from partnernet.library.forms import AnswerForm, ResourceForm
from partnernet.library.models import Resource, ResourceStatus
from partnernet.library.rules import resource_actions, visible_resources
from partnernet.support.models import SupportRequest

PER_PAGE = 20


def _resource_or_404(request: HttpRequest, key: str) -> Resource:
    found = selectors.find_resource(request.user, key, request.GET.get("origin") or None)
    if found is None:
        raise Http404(_("No such resource, or you may not see it."))
    return found


def _publishers(user: Any) -> list[tuple[str, str]]:
    ids = entity_ids_of(user, Membership.Role.ADMIN)
    return [(e.key, e.name) for e in Entity.objects.filter(pk__in=ids).order_by("name")]


def index(request: HttpRequest) -> HttpResponse:
    filters = selectors.LibraryFilters.of(request.GET)
    if filters.status and filters.status != ResourceStatus.PUBLISHED and not request.user.is_authenticated:
        filters.status = ""
    rows = selectors.resources_matching(
        visible_resources(request.user).select_related("publisher"), filters
    ).prefetch_related("types")
    facets = selectors.facet_counts(request.user, filters)
    page = page_of(request, rows, count=facets.total, per_page=PER_PAGE)
    return render(
        request,
        "library/index.html",
        {
            "filters": filters,
            "facets": facets,
            "page": page,
            "can_create": bool(request.user.is_authenticated and _publishers(request.user)),
        },
    )


def detail(request: HttpRequest, key: str) -> HttpResponse:
    resource = _resource_or_404(request, key)
    allowed = resource_actions(request.user, resource)
    attachments = [
        {"index": i, "name": display_name(item), "link": item if is_url(item) else ""}
        for i, item in enumerate(resource.attachments or [])
    ]
    return render(
        request,
        "library/detail.html",
        {
            "resource": resource,
            "allowed": allowed,
            "attachments": attachments,
            "translations": selectors.translations_of(request.user, resource),
            "maintainers": list(resource.maintainers.order_by("username")),
            "use": selectors.use_of(resource) if allowed.see_use else None,
            "versions": resource.versions.count(),
        },
    )


def _save(request: HttpRequest, form: ResourceForm, resource: Resource | None) -> Resource | None:
    """Store the upload, then write through the service; a refusal lands on the form (nothing written)."""
    uploaded: list[str] = []
    try:
        values = form.values()
        if form.cleaned_data.get("upload"):
            uploaded.append(store_upload(form.cleaned_data["upload"]))
            values["attachments"] = [*values["attachments"], *uploaded]
        if resource is None:
            return services.create_resource(request.user, values, uploaded)
        return services.update_resource(request.user, resource, values, uploaded)
    except FieldError as error:
        form.add_error("upload", str(error))
    except RecordRejected as error:
        form.show(error)
    return None


@login_required
def create(request: HttpRequest) -> HttpResponse:
    publishers = _publishers(request.user)
    if not publishers:
        raise PermissionDenied(_("Only admins of an entity publish resources in its name."))
    form = ResourceForm(request.POST or None, request.FILES or None, publishers=publishers)
    if request.method == "POST" and form.is_valid():
        publisher = Entity.objects.filter(
            key=form.cleaned_data["publisher"], pk__in=entity_ids_of(request.user)
        ).first()
        if publisher is None or not request.user.has_perm("library.add_resource", publisher):
            raise PermissionDenied
        saved = _save(request, form, None)
        if saved is not None:
            messages.success(request, _("The resource was saved as a draft."))
            return redirect("library:detail", key=saved.key)
    return render(
        request, "library/form.html", {"form": form, "resource": None}, status=400 if form.errors else 200
    )


@login_required
def edit(request: HttpRequest, key: str) -> HttpResponse:
    resource = _resource_or_404(request, key)
    if not resource_actions(request.user, resource).edit:
        raise PermissionDenied(_("Only the publisher's admins and the maintainers change a resource."))
    row = record_kind("resources").exchange.row(resource)
    publishers = [(resource.publisher.key, resource.publisher.name)]
    form = ResourceForm(
        request.POST or None, request.FILES or None, publishers=publishers, resource=resource, row=row
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, resource)
        if saved is not None:
            messages.success(request, _("The resource was saved."))
            return redirect("library:detail", key=saved.key)
    return render(
        request, "library/form.html", {"form": form, "resource": resource}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def change_status(request: HttpRequest, key: str, status: str) -> HttpResponse:
    resource = _resource_or_404(request, key)
    allowed = resource_actions(request.user, resource)
    if not (allowed.publish if status == ResourceStatus.PUBLISHED else allowed.retire):
        raise PermissionDenied
    try:
        services.set_status(request.user, resource, status)
    except (RecordRejected, RecordReadOnly) as error:
        messages.error(request, str(getattr(error, "message", error)))
    else:
        done = (
            _("The resource is published.")
            if status == ResourceStatus.PUBLISHED
            else _("The resource is retired.")
        )
        messages.success(request, done)
    return redirect("library:detail", key=resource.key)


def history(request: HttpRequest, key: str) -> HttpResponse:
    resource = _resource_or_404(request, key)
    versions = list(resource.versions.order_by("-number"))
    return render(request, "library/history.html", {"resource": resource, "versions": versions})


def diff(request: HttpRequest, key: str) -> HttpResponse:
    resource = _resource_or_404(request, key)
    try:
        old_n, new_n = int(request.GET.get("from", "")), int(request.GET.get("to", ""))
    except ValueError:
        raise Http404(_("Choose two versions to compare.")) from None
    old = get_object_or_404(resource.versions, number=old_n)
    new = get_object_or_404(resource.versions, number=new_n)
    fields = [(n, a, b) for n, a, b in field_changes(old.row, new.row) if n != "body"]
    return render(
        request,
        "library/diff.html",
        {
            "resource": resource,
            "old": old,
            "new": new,
            "lines": text_diff(old.body, new.body),
            "fields": fields,
        },
    )


def attachment(request: HttpRequest, key: str, index: int) -> HttpResponse | FileResponse:
    resource = _resource_or_404(request, key)
    items = resource.attachments or []
    if index >= len(items):
        raise Http404
    item = items[index]
    if is_url(item):
        return HttpResponseRedirect(item)
    from django.core.files.storage import default_storage

    if not default_storage.exists(item):
        raise Http404
    return FileResponse(default_storage.open(item, "rb"), as_attachment=True, filename=display_name(item))


@login_required
@require_POST
def helped(request: HttpRequest, key: str) -> HttpResponse:
    resource = _resource_or_404(request, key)
    if not resource_actions(request.user, resource).mark_helped:
        raise PermissionDenied
    try:
        new = services.mark_helped(request.user, resource)
    except RecordRejected as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Thank you: the maintainers will know it helped.") if new else _("You said so already."),
        )
    target = request.POST.get("next") or reverse("library:detail", args=[resource.key])
    return redirect(target if target.startswith("/") and not target.startswith("//") else "library:index")


@login_required
@require_POST
def answer(request: HttpRequest, key: str) -> HttpResponse:
    """A steward answers a support request with resources (recorded on its timeline)."""
    support_request = SupportRequest.objects.filter(key=key).first()
    if support_request is None or not request.user.has_perm("support.view_request", support_request):
        raise Http404
    if not request.user.has_perm("support.answer_request", support_request):
        raise PermissionDenied(_("Only the steward holding the request may answer it with resources."))
    visible = visible_resources(request.user).filter(status=ResourceStatus.PUBLISHED)
    choices = [
        (str(r.pk), r.title)
        for r in visible.filter(pk__in=[v for v in request.POST.getlist("resources") if v.isdigit()])
    ]
    form = AnswerForm(request.POST, choices=choices)
    if form.is_valid():
        chosen = list(visible.filter(pk__in=form.cleaned_data["resources"]))
        services.answer_request(request.user, support_request, chosen, form.cleaned_data["note"])
        messages.success(request, _("The requester was sent the resources."))
    else:
        messages.error(request, _("Choose at least one resource to answer with."))
    return redirect("support:detail", key=support_request.key)
