"""The language switch: Django's ``set_language``, which also remembers the choice of a logged-in person."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from partnernet.i18n.services import remember_language


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    response = django_set_language(request)
    remember_language(request.user, request.POST.get("language", ""))
    return response
