"""Template filters for the reader's language: stored sentences, CLDR names, numbers and dates.

``{% load partnernet_i18n %}`` then::

    {{ event.message|sentence:event.note }}   a stored sentence in the reader's language (else the text)
    {{ region|region_label }}                  a Region row's name from CLDR
    {{ "sv"|language_label }}                  a language tag's name
    {{ figure|num }}  {{ figure|num:2 }}       a number with the reader's separators (fixed decimals)
    {{ day|day }}  {{ moment|moment }}         a date; a date and time (UTC)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from partnernet.i18n import formats
from partnernet.i18n.names import language_name, region_label
from partnernet.i18n.sentences import render

register = template.Library()


@register.filter
def sentence(stored: Any, fallback: Any = "") -> str:
    return render(stored if isinstance(stored, dict) else None, fallback=str(fallback or ""))


@register.filter(name="region_label")
def region_label_filter(region: Any) -> str:
    return region_label(region)


@register.filter
def language_label(tag: Any) -> str:
    return language_name(str(tag), capitalise=True) if tag else ""


@register.filter
def num(value: Any, digits: Any = None) -> str:
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, int | float | Decimal) else Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return formats.number(number, digits=int(digits) if digits not in (None, "") else None)


@register.filter
def day(value: Any) -> str:
    return formats.date(value) if isinstance(value, dt.date) else ""


@register.filter
def moment(value: Any) -> str:
    return formats.datetime(value, style="short") + " UTC" if isinstance(value, dt.datetime) else ""


@register.filter
def timeline(event: Any) -> str:
    """An audit event as a sentence of the timeline, in the reader's language."""
    from partnernet.i18n.timeline import timeline_message

    return render(timeline_message(event))
