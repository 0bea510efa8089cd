"""The page "Where support matters most": open needs ranked by their effect on the network, with filters.

Everyone sees the needs they may see (``sustainability.rules``) and the public reasons (single points of
failure, at capacity now); weeks at capacity and sustainability alerts are worded only for those who may read
that entity's sustainability (``analytics.view_entity_sustainability``), as on the dashboard.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from partnernet.analytics.dashboard import type_names
from partnernet.analytics.priorities import Priority, PriorityFilters, support_priorities
from partnernet.core.support_priorities import ALERTS, AT_CAPACITY, ONLY_STEWARD, STILL_OPEN
from partnernet.framework.models import PartnershipType
from partnernet.framework.selectors import region_tree
from partnernet.i18n.formats import percent
from partnernet.i18n.names import region_name
from partnernet.sustainability.models import Need

LIMIT = 200


class PriorityFilterForm(forms.Form):
    type = forms.ChoiceField(label=gettext_lazy("Partnership type"), required=False)
    region = forms.CharField(
        label=gettext_lazy("Region"),
        required=False,
        max_length=3,
        help_text=gettext_lazy("An M49 or country code."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of need"),
        required=False,
        choices=[("", gettext_lazy("Any kind")), *Need.Kind.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = type_names()
        keys = PartnershipType.objects.order_by("key").values_list("key", flat=True)
        self.fields["type"].choices = [("", _("Any type")), *((k, names.get(k, k)) for k in keys)]  # type: ignore[attr-defined]

    def clean_region(self) -> str:
        code = (self.cleaned_data.get("region") or "").strip().upper()
        if code and code not in region_tree():
            raise forms.ValidationError(_("Unknown region code '%(code)s'.") % {"code": code})
        return code

    def filters(self) -> PriorityFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return PriorityFilters(
            type=data.get("type") or "", region=data.get("region") or "", kind=data.get("kind") or ""
        )


def reasons_text(priority: Priority, user: Any, types: dict[str, str]) -> list[str]:
    """The reasons of one ranked need in the reader's language (private figures only for those allowed)."""
    tree = region_tree()
    private = user.has_perm("analytics.view_entity_sustainability", priority.need.entity)
    words: list[str] = []
    for code, params in priority.ranked.reasons:
        if code == ONLY_STEWARD:
            cells = ", ".join(
                f"{types.get(t, t)} · {region_name(r, tree.name(r) if r in tree else r)}"
                for t, r in params["which"]
            )
            words.append(
                ngettext(
                    "the only steward of %(n)s cell (%(cells)s)",
                    "the only steward of %(n)s cells (%(cells)s)",
                    params["cells"],
                )
                % {"n": params["cells"], "cells": cells}
            )
        elif code == AT_CAPACITY:
            weeks = params["weeks"]
            if private and weeks:
                words.append(
                    ngettext("at capacity for %(n)s week", "at capacity for %(n)s weeks", weeks)
                    % {"n": weeks}
                )
            else:
                words.append(_("at capacity now"))
        elif code == ALERTS and private:
            words.append(_("sustainability alerts: %(alerts)s") % {"alerts": ", ".join(params["alerts"])})
        elif code == STILL_OPEN:
            words.append(_("%(share)s still to find") % {"share": percent(params["share"])})
    return words


@require_GET
def support_priorities_page(request: HttpRequest) -> HttpResponse:
    form = PriorityFilterForm(request.GET or None)
    ranked = support_priorities(request.user, form.filters()) if not form.errors else []
    types = type_names()
    rows = [(p, reasons_text(p, request.user, types)) for p in ranked[:LIMIT]]
    return render(
        request,
        "analytics/support_priorities.html",
        {"form": form, "rows": rows, "total": len(ranked)},
        status=400 if form.errors else 200,
    )
