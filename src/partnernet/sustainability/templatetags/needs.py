"""Amounts of needs and pledges in the reader's language (money in its own currency)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from partnernet.sustainability.formats import amount

register = template.Library()


@register.filter
def need_amount(need: Any, value: Decimal | None = None) -> str:
    """``need``'s amount, or ``value`` in the need's unit: "1 500,00 €", "2.5 FTE"."""
    return amount(need.amount if value is None else value, need.unit, need.currency)


@register.filter
def pledge_amount(pledge: Any) -> str:
    return amount(pledge.amount, pledge.need.unit, pledge.need.currency)


@register.filter
def share(value: float | None) -> str:
    """A share in [0, 1] as a percentage in the reader's language."""
    from partnernet.i18n.formats import percent

    return percent(value) if value is not None else ""


@register.simple_tag
def money_amount(value: Decimal, currency: str) -> str:
    return amount(value, "money", currency)


@register.simple_tag
def quantity_amount(value: Decimal, unit: str) -> str:
    return amount(value, unit)
