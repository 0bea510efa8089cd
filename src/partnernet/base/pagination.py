"""Page-number pagination shared by the list pages (the total may be given when it is already known)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def page_of(
    request: HttpRequest, rows: Any, *, count: int | None = None, per_page: int = PER_PAGE
) -> Page[Any]:
    """The requested page (out-of-range numbers give the nearest page); ``count`` spares a COUNT query."""
    paginator = Paginator(rows, per_page)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))
