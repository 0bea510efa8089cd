"""Find a steward: pick a place (a country or any region), a partnership type and, if it matters, a theme,
and see the stewards ranked exactly as routing would rank a request for them — the same function — each with
how to reach it and a way to ask it.

A logged-in person acting for one entity is the requester: its own stewardships are left out, as routing
would leave them out. An unknown place, type or theme is a field error on the page, never an empty list.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from partnernet.base.identity import instance_id
from partnernet.base.references import preferred_ids
from partnernet.core.routing import Candidate, RoutingRequest
from partnernet.directory.models import Entity
from partnernet.directory.rules import entity_ids_of
from partnernet.support.candidates import entity_ref, route_candidates, split_routing_key
from partnernet.web.forms import FindStewardForm

RESULTS = 25


def _requester(user: Any) -> Entity | None:
    """The entity a person asks for when they act for exactly one."""
    own = entity_ids_of(user) if getattr(user, "is_authenticated", False) else set()
    return Entity.objects.filter(pk__in=own).first() if len(own) == 1 else None


def _steward_rows(candidates: list[Candidate], query: dict[str, str]) -> list[dict[str, Any]]:
    """Each candidate with its entity row (for the contact) and the link that asks it."""
    local = instance_id()
    keys = {split_routing_key(c.entity, local)[0] for c in candidates}
    by_key = {e.key: e for e in Entity.objects.filter(pk__in=preferred_ids(Entity, keys).values())}
    rows = []
    for candidate in candidates:
        ask = reverse("support:new") + "?" + urlencode({**query, "steward": candidate.stewardship})
        rows.append({"candidate": candidate, "entity": by_key.get(candidate.entity), "ask": ask})
    return rows


def find_steward(request: HttpRequest) -> HttpResponse:
    asked = any(request.GET.get(name) for name in ("place", "type", "theme"))
    form = FindStewardForm(request.GET if asked else None)
    requester = _requester(request.user)
    rows: list[dict[str, Any]] = []
    if asked and form.is_valid():
        data = form.cleaned_data
        query = RoutingRequest(
            type=data["type"].key,
            theme=data["theme"].key if data.get("theme") else None,
            region=data["place"].code,
            need=data.get("need") or None,
            requester=entity_ref(requester.key, requester.origin, instance_id()) if requester else None,
        )
        asking = {"type": query.type, "region": query.region, "theme": query.theme, "need": query.need}
        rows = _steward_rows(route_candidates(query, limit=RESULTS), {k: v for k, v in asking.items() if v})
    return render(
        request,
        "partnernet/find_steward.html",
        {"form": form, "asked": asked, "rows": rows, "requester": requester, "local": instance_id()},
        status=400 if asked and not form.is_valid() else 200,
    )
