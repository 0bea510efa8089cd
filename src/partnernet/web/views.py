"""Pages. Views parse the request, read through selectors and render; they never write models themselves."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partnernet.web.selectors import entities_for_home, key_numbers


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partnernet/home.html",
        {"numbers": key_numbers(), "entities": entities_for_home()},
    )
