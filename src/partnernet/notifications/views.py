"""A person's notifications: the list, opening one (marks it read) and marking read. Each view acts only on
the logged-in person's own notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from partnernet.base.pagination import page_of
from partnernet.notifications.selectors import notifications_of
from partnernet.notifications.services import mark_read


def _safe(request: HttpRequest, target: str) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    rows = notifications_of(request.user, unread=unread_only)
    return render(
        request,
        "notifications/list.html",
        {"page": page_of(request, rows, per_page=30), "unread_only": unread_only},
    )


@login_required
@require_GET
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification to what it is about; following it marks it read."""
    found = notifications_of(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    mark_read(request.user, [found.pk])
    if _safe(request, found.url):
        return HttpResponseRedirect(found.url)
    return redirect("notifications:list")


@login_required
@require_POST
def read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (``id``) or all of them read, then go back (``next``) or to the list."""
    raw = request.POST.get("id", "")
    mark_read(request.user, [int(raw)] if raw.isdigit() else None)
    target = request.POST.get("next", "")
    return HttpResponseRedirect(target) if _safe(request, target) else redirect("notifications:list")
