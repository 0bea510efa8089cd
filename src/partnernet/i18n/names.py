"""Names in the reader's language: countries and M49 areas from CLDR (through Babel), taxonomy terms from
their per-language labels, languages from CLDR.

Region names are not stored per language: CLDR already names every ISO 3166-1 country and the UN M49 areas
(001, 002, 150, 154 …) in hundreds of languages, so any language a person picks works, not only the UI's.
English pages keep the stored names, which follow the M49 and ISO 3166 standards ("Latin America and the
Caribbean" where CLDR says "Latin America"); elsewhere a code CLDR does not name (830, the Channel Islands)
falls back to the stored English name.

Taxonomy terms (partnership types, themes, region groupings) are the movement's own words, so their
translations are data: ``labels`` on the term, ``{"fr": "…", "ar": "…"}``, edited by facilitators and
carried by the agreement process.
"""

from __future__ import annotations

import functools
from typing import Any, Protocol

from babel import Locale, UnknownLocaleError
from django.utils import translation

ENGLISH = "en"


def babel_locale(language: str | None = None) -> Locale:
    """The Babel locale of a Django or BCP 47 language code (``pt-br`` → ``pt_BR``); English when unknown."""
    return _locale(language or translation.get_language() or ENGLISH)


@functools.lru_cache(maxsize=64)
def _locale(language: str) -> Locale:
    tag = language.replace("_", "-")
    try:
        return Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        pass
    try:
        return Locale.parse(tag.split("-")[0])
    except (ValueError, UnknownLocaleError):
        return Locale.parse(ENGLISH)


def _primary(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def is_english(language: str | None = None) -> bool:
    return _primary(language or translation.get_language() or ENGLISH) == ENGLISH


def _capitalised(name: str) -> str:
    """CLDR writes some names in lower case for use inside sentences (fr "région micronésienne"); as labels
    they start with a capital, like the stored names."""
    return name[:1].upper() + name[1:]


@functools.lru_cache(maxsize=64)
def _territories(language: str) -> dict[str, str]:
    return {code: _capitalised(name) for code, name in _locale(language).territories.items()}


def region_name(code: str, stored: str, language: str | None = None) -> str:
    """The name of a region (M49 code or ISO country code) in ``language`` (default: the active one)."""
    language = language or translation.get_language() or ENGLISH
    if is_english(language):
        return stored
    return _territories(language).get(code, stored)


class Named(Protocol):
    code: str
    name: str


def region_label(region: Named | None, language: str | None = None) -> str:
    """:func:`region_name` of a ``Region`` row; empty for none."""
    if region is None:
        return ""
    return region_name(region.code, region.name, language)


def label_for(labels: dict[str, Any] | None, stored: str, language: str | None = None) -> str:
    """A term's label in ``language``: the exact tag, then its primary language, then the stored name."""
    if not labels:
        return stored
    language = (language or translation.get_language() or ENGLISH).lower().replace("_", "-")
    for tag in (language, _primary(language)):
        for key, value in labels.items():
            if key.lower() == tag and isinstance(value, str) and value.strip():
                return value
    return stored


class Labelled(Protocol):
    name: str
    labels: dict[str, Any]


def term_label(term: Labelled | None, language: str | None = None) -> str:
    """The label of a partnership type, theme or region grouping in ``language``; empty for none."""
    if term is None:
        return ""
    return label_for(getattr(term, "labels", None), term.name, language)


def language_name(tag: str, language: str | None = None, *, capitalise: bool = False) -> str:
    """A language tag's name in the reader's language (``sv`` → "suédois" in French); the tag when unknown.
    ``capitalise`` for a label that stands alone rather than a word inside a sentence."""
    try:
        parsed = Locale.parse(tag.replace("_", "-"), sep="-")
    except (ValueError, UnknownLocaleError):
        return tag
    name = parsed.get_display_name(babel_locale(language))
    if not name:
        return tag
    return _capitalised(name) if capitalise else name


def official_languages(territory: str) -> list[str]:
    """BCP 47 tags of the languages CLDR records as official in ``territory`` (ISO 3166-1 alpha-2), sorted;
    where CLDR records none official (the United States), its de facto official ones. Data, not a claim
    about what an organisation works in: whoever stores it marks it as derived."""
    from babel.languages import get_official_languages

    tags = get_official_languages(territory) or get_official_languages(territory, de_facto=True)
    return sorted({tag.replace("_", "-") for tag in tags})
