"""The library's panels on the support pages (``support.panels``): the resources that fit a request, shown at
once to the requester and the steward, with the steward's way to answer the request with them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from partnernet.library.selectors import answered_with, matching_resources
from partnernet.support.models import SupportRequest
from partnernet.support.panels import Panel, register_request_panel


def request_resources(user: Any, requests: Sequence[SupportRequest], compact: bool) -> dict[int, Panel]:
    matches = matching_resources(user, requests, limit=3 if compact else 6)
    if compact:
        return {
            pk: Panel("library/_inbox_resources.html", {"resources": found})
            for pk, found in matches.items()
            if found
        }
    panels: dict[int, Panel] = {}
    for request in requests:
        panels[request.pk] = Panel(
            "library/_request_resources.html",
            {
                "request": request,
                "resources": matches.get(request.pk, []),
                "answered": answered_with(request),
                "can_answer": user.has_perm("support.answer_request", request),
            },
        )
    return panels


def install_panels() -> None:
    register_request_panel(request_resources)
