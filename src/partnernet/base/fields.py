"""Parsers for the cell values of FORMATS.md, each turning raw text into a clean value or a message.

Every parser takes what a CSV cell or a JSON Lines value holds (text, a number, a list or nothing) and
either returns the clean value or raises ``FieldError`` with a message a coordinator can act on. Keeping the
rules here means import, the web forms and the API reject the same things with the same words.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Choices

Raw = str | int | float | bool | list[object] | None

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_url_validator = URLValidator(schemes=["http", "https"])
TEXT_LIMIT = 10_000
"""The longest free text any field takes (a description, a rationale, a comment), in characters. Fields
stored in a column with a width have that width as their limit; nothing longer reaches the database."""


class FieldError(ValueError):
    """A value that cannot be accepted; the message names what is wrong and, where useful, what is valid."""


def is_empty(raw: Raw) -> bool:
    """No value: nothing, whitespace only, or a list of such values (FORMATS.md: empty cell = no value)."""
    if raw is None:
        return True
    if isinstance(raw, list):
        return all(is_empty(item) for item in raw)  # type: ignore[arg-type]
    if isinstance(raw, bool | int | float):
        return False
    return not str(raw).strip()


def text(raw: Raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list):
        raise FieldError("expected a single value, not a list")
    value = str(raw).strip()
    if "\x00" in value:
        raise FieldError("contains a NUL character")
    if len(value) > TEXT_LIMIT:
        raise FieldError(f"is longer than {TEXT_LIMIT} characters")
    return value


def required_text(raw: Raw, max_length: int) -> str:
    value = text(raw)
    if not value:
        raise FieldError("is required")
    if len(value) > max_length:
        raise FieldError(f"is longer than {max_length} characters")
    return value


def optional_text(raw: Raw, max_length: int) -> str:
    value = text(raw)
    if len(value) > max_length:
        raise FieldError(f"is longer than {max_length} characters")
    return value


def key(raw: Raw) -> str:
    value = text(raw)
    if not value:
        raise FieldError("is required")
    if not KEY_RE.match(value):
        raise FieldError(f"'{value}' is not a key (lower-case letters, digits, '-' and '_', at most 100)")
    return value


def choice(raw: Raw, choices: Iterable[str] | type[Choices], default: str | None = None) -> str:
    """One of ``choices``: a list of codes, or a model's choices class (its values listed once per process,
    since Django lists them afresh on every access and cleaners ask once per row)."""
    value = text(raw)
    allowed = _choice_values(choices) if isinstance(choices, type) else list(choices)
    if not value:
        if default is not None:
            return default
        raise FieldError(f"is required (one of: {', '.join(allowed)})")
    if value not in allowed:
        raise FieldError(f"'{value}' is not one of: {', '.join(allowed)}")
    return value


@functools.cache
def _choice_values(choices: type[Choices]) -> tuple[str, ...]:
    return tuple(choices.values)


INTEGER_MAX = 2_147_483_647
"""The largest whole number any field stores (a 32-bit column on every database engine)."""


def integer(
    raw: Raw, minimum: int = 0, maximum: int | None = INTEGER_MAX, default: int | None = None
) -> int | None:
    if isinstance(raw, bool):
        raise FieldError(f"'{raw}' is not a whole number")
    value = text(raw)
    if not value:
        return default
    if not re.fullmatch(r"[+-]?[0-9]+", value):
        raise FieldError(f"'{value}' is not a whole number")
    number = int(value)
    if number < minimum:
        raise FieldError(f"{number} is less than {minimum}")
    if maximum is not None and number > maximum:
        raise FieldError(f"{number} is more than {maximum}")
    return number


def year(raw: Raw) -> int | None:
    value = text(raw)
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{4}", value):
        raise FieldError(f"'{value}' is not a year (four digits)")
    return int(value)


def decimal(
    raw: Raw, minimum: Decimal = Decimal(0), places: int = 2, maximum: Decimal = Decimal("99999999999999.99")
) -> Decimal | None:
    value = text(raw)
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise FieldError(f"'{value}' is not a decimal number") from None
    if not number.is_finite():
        raise FieldError(f"'{value}' is not a decimal number")
    if number < minimum:
        raise FieldError(f"{value} is less than {minimum}")
    if number > maximum:
        raise FieldError(f"{value} is more than {maximum}")
    quantum = Decimal(1).scaleb(-places)
    if number != number.quantize(quantum):
        raise FieldError(f"'{value}' has more than {places} decimal places")
    return number.quantize(quantum)


def date(raw: Raw) -> dt.date | None:
    value = text(raw)
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise FieldError(f"'{value}' is not an ISO 8601 date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FieldError(f"'{value}' is not a valid date") from None


def yes_no(raw: Raw) -> bool | None:
    if isinstance(raw, bool):
        return raw
    value = text(raw).lower()
    if not value:
        return None
    if value == "yes":
        return True
    if value == "no":
        return False
    raise FieldError(f"'{value}' is not 'yes' or 'no'")


def qid(raw: Raw) -> str:
    value = text(raw)
    if value and not QID_RE.match(value):
        raise FieldError(f"'{value}' is not a Wikidata QID (Q followed by digits)")
    return value


def url(raw: Raw) -> str:
    value = text(raw)
    if not value:
        return ""
    if len(value) > 200:
        raise FieldError("is longer than 200 characters")
    try:
        _url_validator(value)
    except ValidationError:
        raise FieldError(f"'{value}' is not an http(s) URL") from None
    return value


def language(raw: Raw) -> str:
    """A BCP 47 tag in its conventional case: ``pt-br`` becomes ``pt-BR``, ``ZH-HANT`` becomes ``zh-Hant``."""
    value = text(raw)
    if not value:
        return ""
    if not LANGUAGE_RE.match(value) or len(value) > 35:
        raise FieldError(f"'{value}' is not a BCP 47 language tag (such as en, sv, pt-BR)")
    head, *rest = value.split("-")
    parts = [head.lower()]
    for part in rest:
        if len(part) == 2 and part.isalpha():
            parts.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            parts.append(part.title())
        else:
            parts.append(part.lower())
    return "-".join(parts)


def items(raw: Raw) -> list[str]:
    """A list cell: a JSON array, or text separated by ``;``. Empty items are dropped."""
    if raw is None:
        return []
    if isinstance(raw, list):
        values = [text(item if not isinstance(item, list) else None) for item in raw]  # type: ignore[arg-type]
    else:
        values = [part.strip() for part in text(raw).split(";")]
    return [value for value in values if value]


def languages(raw: Raw) -> list[str]:
    return sorted({language(item) for item in items(raw)})


def keys(raw: Raw) -> list[str]:
    return sorted({key(item) for item in items(raw)})


def currency(raw: Raw) -> str:
    """An ISO 4217 currency code (``EUR``, ``GHS``), as Babel (CLDR) knows them; written in capitals."""
    from babel.numbers import list_currencies

    value = text(raw).upper()
    if not value:
        return ""
    if not re.fullmatch(r"[A-Z]{3}", value) or value not in list_currencies():
        raise FieldError(f"'{text(raw)}' is not an ISO 4217 currency code (such as EUR, USD, GHS)")
    return value
