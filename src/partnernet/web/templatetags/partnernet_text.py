"""``{% load partnernet_text %}{{ text|markdown }}``: user-written Markdown as safe HTML."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from partnernet.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown(value: object) -> SafeString:
    """Rendered and cleaned by ``core.markdown``, so marking the result safe is sound."""
    return mark_safe(render_markdown("" if value is None else str(value)))
