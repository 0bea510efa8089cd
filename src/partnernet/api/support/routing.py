"""Routing over HTTP: rank the stewards for such a request, exactly as routing would, changing nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from partnernet.api.auth import READ
from partnernet.api.errors import ApiError
from partnernet.api.support.schemas import RouteFilters, RouteOut
from partnernet.support import candidates as candidates_of
from partnernet.support.forms import RouteQueryForm

router = Router(tags=["support"], auth=READ)


def _form_errors(errors: Any) -> dict[str, list[str]]:
    return {name: [str(message) for message in messages] for name, messages in errors.items()}


@router.get("/route", response=RouteOut, summary="Rank the stewards for such a request (changes nothing)")
def route(request: HttpRequest, filters: Query[RouteFilters]) -> dict[str, Any]:
    form = RouteQueryForm({key: value or "" for key, value in filters.dict().items()})
    if not form.is_valid():
        raise ApiError(422, "invalid", "The route query has invalid fields.", _form_errors(form.errors))
    query = form.routing_request()
    return {
        "request": {
            "type": query.type,
            "theme": query.theme,
            "region": query.region,
            "need": query.need,
            "language": query.language,
            "requester": query.requester,
        },
        "candidates": [candidates_of.candidate_json(c) for c in candidates_of.route_candidates(query)],
    }
