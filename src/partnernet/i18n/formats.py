"""Numbers, dates and money formatted for the reader with Babel (CLDR), in the active language.

Django's own ``intcomma`` and ``date`` filters know a handful of formats; CLDR knows how every language writes
"1 234,5", "12 févr. 2025" or "US$ 1.500,00", including Arabic's own digits and separators. Every page
formats through these functions (or the template filters of ``partnernet_i18n``), so a figure reads the same
in a table, a chart label and the PDF report.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import dates as babel_dates
from babel import lists as babel_lists
from babel import numbers as babel_numbers

from partnernet.i18n.names import babel_locale

Number = int | float | Decimal


def number(value: Number | None, language: str | None = None, *, digits: int | None = None) -> str:
    """A number with the reader's grouping and decimal signs; ``digits`` fixes the decimals shown."""
    if value is None:
        return ""
    locale = babel_locale(language)
    if digits is not None:
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return babel_numbers.format_decimal(value, format=pattern, locale=locale)
    return babel_numbers.format_decimal(value, locale=locale)


def percent(value: Number | None, language: str | None = None) -> str:
    """A share (0.25) as a percentage ("25 %" in French)."""
    if value is None:
        return ""
    return babel_numbers.format_percent(value, locale=babel_locale(language))


def money(value: Number | None, currency: str, language: str | None = None) -> str:
    """An amount in ``currency`` (ISO 4217) as the reader writes it: "1 500,00 €", "US$1,500.00"."""
    if value is None:
        return ""
    return babel_numbers.format_currency(value, currency, locale=babel_locale(language))


def date(value: dt.date | None, language: str | None = None, *, style: str = "medium") -> str:
    """A day: "12 Feb 2025", "12 févr. 2025", "١٢‏/٠٢‏/٢٠٢٥"; ``style`` is a CLDR length."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return babel_dates.format_date(value, format=style, locale=babel_locale(language))


def datetime(value: dt.datetime | None, language: str | None = None, *, style: str = "medium") -> str:
    """A moment in UTC (the instance's time zone), with the reader's date and time formats."""
    if value is None:
        return ""
    return babel_dates.format_datetime(value, format=style, tzinfo=dt.UTC, locale=babel_locale(language))


def month(value: dt.date | None, language: str | None = None) -> str:
    """A month and year, as a time axis labels it ("févr. 2025")."""
    if value is None:
        return ""
    return babel_dates.format_skeleton("yMMM", value, locale=babel_locale(language))


def year(value: int, language: str | None = None) -> str:
    """A year, with the reader's digits and no grouping ("2025", "٢٠٢٥")."""
    return babel_dates.format_skeleton("y", dt.date(value, 1, 1), locale=babel_locale(language))


def listing(items: list[str], language: str | None = None) -> str:
    """Items joined as the reader's language joins a list: "a, b and c", "a, b et c", "a وb"."""
    if not items:
        return ""
    return babel_lists.format_list(items, locale=babel_locale(language))
