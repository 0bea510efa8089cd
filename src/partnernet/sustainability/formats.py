"""Amounts of needs and pledges as a reader writes them: money in its own currency (never converted, never
summed with another currency), FTE and hours as numbers with their unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import get_language, pgettext

from partnernet.i18n import formats


def amount(value: Decimal | None, unit: str, currency: str = "", language: str | None = None) -> str:
    """``value`` in ``unit`` for the reader: "1 500,00 €", "2.5 FTE", "40 h"; "" without a value."""
    if value is None:
        return ""
    language = language or get_language()
    if unit == "money" and currency:
        return formats.money(value, currency, language)
    number = formats.number(value, language)
    if unit == "fte":
        return pgettext("an amount of staff", "%(n)s FTE") % {"n": number}
    if unit == "hours":
        return pgettext("an amount of time", "%(n)s h") % {"n": number}
    return number


def money_param(value: dict[str, Any]) -> str:
    """Resolver of the sentence parameter ``{"money": "12.50", "currency": "EUR"}``."""
    return amount(Decimal(str(value["money"])), "money", str(value.get("currency", "")))


def quantity_param(value: dict[str, Any]) -> str:
    """Resolver of the sentence parameter ``{"quantity": "2.5", "unit": "fte"}``."""
    return amount(Decimal(str(value["quantity"])), str(value.get("unit", "")))
