"""Template helpers: badges that tell where a row comes from, so read-only rows are never a surprise."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from partnernet.base.badges import origin_badges, visibility_badge
from partnernet.base.links import record_link

register = template.Library()


register.simple_tag(origin_badges)
register.simple_tag(visibility_badge)


@register.simple_tag
def record_url(viewname: str, obj: Any) -> str:
    """The page of ``obj`` by key, naming its origin when it is not this instance's own (``record_link``)."""
    return record_link(viewname, obj.key, getattr(obj, "origin", None))


@register.simple_tag
def find_steward_url() -> str:
    """The steward finder's address, or "" while no app provides the URL name ``web:find_steward``: the
    home page's box (``web/_find_steward.html``) appears only once the finder exists."""
    from django.urls import NoReverseMatch

    try:
        return reverse("web:find_steward")
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def find_steward_form(context: Any) -> Any:
    """An empty find-a-steward form (fields ``place``, ``type``, ``theme``), filled from the query string."""
    from partnernet.base.pickers import bind_pickers
    from partnernet.web.forms import FindStewardForm

    request = context.get("request")
    form = FindStewardForm(initial=request.GET.dict() if request is not None else None)
    bind_pickers(form, getattr(request, "user", None))
    return form
