"""Names from CLDR and formats from Babel, in the UI languages and in any other language a person picks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from partnernet.framework.models import Region
from partnernet.i18n import formats
from partnernet.i18n.names import language_name, region_label, region_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "world", "northern_europe", "sweden"),
    [
        ("fr", "Monde", "Europe du Nord", "Suède"),
        ("es", "Mundo", "Europa septentrional", "Suecia"),
        ("ar", "العالم", "شمال أوروبا", "السويد"),
        ("de", "Welt", "Nordeuropa", "Schweden"),
        ("pt-br", "Mundo", "Europa Setentrional", "Suécia"),
        ("sv", "Världen", "Nordeuropa", "Sverige"),  # not a UI language: CLDR still names it
    ],
)
def test_m49_areas_and_countries_are_named_by_cldr(
    language: str, world: str, northern_europe: str, sweden: str
) -> None:
    regions = {r.code: r for r in Region.objects.filter(code__in=["001", "154", "SE"])}
    assert region_label(regions["001"], language) == world
    assert region_label(regions["154"], language) == northern_europe
    with translation.override(language):
        assert regions["SE"].label == sweden


def test_english_keeps_the_m49_and_iso_names_and_missing_cldr_names_fall_back() -> None:
    assert region_name("419", "Latin America and the Caribbean", "en") == "Latin America and the Caribbean"
    assert region_name("830", "Channel Islands", "fr") == "Channel Islands"  # CLDR names no 830
    every = Region.objects.all()
    with translation.override("ar"):
        assert all(region.label for region in every)


def test_language_names_follow_the_reader() -> None:
    assert language_name("sv", "fr") == "suédois"
    assert language_name("sv", "fr", capitalise=True) == "Suédois"
    assert language_name("pt-BR", "de") == "Portugiesisch (Brasilien)"
    assert language_name("not-a-tag", "fr") == "not-a-tag"


def test_numbers_dates_and_money_are_written_the_readers_way() -> None:
    assert formats.number(1234567.5, "fr") == "1\u202f234\u202f567,5"
    assert formats.number(1234567.5, "de") == "1.234.567,5"
    assert formats.number(Decimal("3.5"), "en", digits=2) == "3.50"
    assert formats.money(1500, "EUR", "pt-br") == "€\xa01.500,00"
    assert formats.date(dt.date(2025, 2, 12), "fr") == "12 févr. 2025"
    assert formats.date(dt.date(2025, 2, 12), "de") == "12.02.2025"
    assert formats.listing(["a", "b", "c"], "es") == "a, b y c"
    with translation.override("fr"):
        assert formats.percent(0.25).replace("\u202f", " ").replace("\xa0", " ") == "25 %"
