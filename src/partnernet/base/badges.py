"""Badges that tell where a row comes from and who may see it, so read-only rows are never a surprise.

Plain functions, below every app: the web's template tags register them, and apps that make their rows'
markup in Python (the registry's rows) call them directly.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from partnernet.base.identity import instance_id
from partnernet.base.models import SEED_ORIGIN


def origin_badges(obj: Any) -> SafeString:
    """Demo, reference-data (seed) and federated (read-only) badges for a row."""
    parts: list[SafeString] = []
    if getattr(obj, "is_demo", False):
        parts.append(format_html('<span class="pn-badge pn-badge-demo">{}</span>', _("demo")))
    origin = getattr(obj, "origin", None)
    if origin == SEED_ORIGIN:
        parts.append(
            format_html(
                '<span class="pn-badge" title="{}">{}</span>',
                _("Loaded by seed, the same on every instance: read-only here."),
                _("reference data"),
            )
        )
    elif origin and origin != instance_id():
        parts.append(
            format_html(
                '<span class="pn-badge pn-badge-foreign" title="{}">{}</span>',
                _("Made on instance %(origin)s; only that instance can change it.") % {"origin": origin},
                _("from another instance"),
            )
        )
    return SafeString(" ".join(parts))


def visibility_badge(visibility: str, label: str) -> SafeString:
    return format_html('<span class="pn-badge pn-badge-{}">{}</span>', visibility, label)
