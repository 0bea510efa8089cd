"""The personal home: where a person lands after logging in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partnernet.web.personal import personal_home


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """What waits for the person: their requests, their entities' offers, voices and stewardships, their
    notifications; a person without an entity is shown the ways in."""
    return render(request, "partnernet/me.html", {"home": personal_home(request.user)})
