import datetime as dt
from decimal import Decimal

import pytest

from partnernet.base import fields as f
from partnernet.base.fields import FieldError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("pt-br", "pt-BR"), ("EN", "en"), ("zh-hant", "zh-Hant"), ("sr-latn-rs", "sr-Latn-RS"), ("", "")],
)
def test_language_tags_take_their_conventional_case(raw: str, expected: str) -> None:
    assert f.language(raw) == expected


@pytest.mark.parametrize("raw", ["english", "e", "en_GB", "12"])
def test_malformed_language_tags_are_rejected(raw: str) -> None:
    with pytest.raises(FieldError, match="BCP 47"):
        f.language(raw)


def test_list_cells_split_on_semicolons_and_accept_json_arrays() -> None:
    assert f.items(" a; b ;;c ") == ["a", "b", "c"]
    assert f.items(["x", "", "y"]) == ["x", "y"]
    assert f.items(None) == []
    assert f.languages("sv;en;sv") == ["en", "sv"]


def test_year_must_be_four_digits() -> None:
    assert f.year("2004") == 2004
    assert f.year(2004) == 2004
    assert f.year("") is None
    with pytest.raises(FieldError, match="not a year"):
        f.year("20x0")


def test_dates_are_iso_and_real() -> None:
    assert f.date("2025-03-01") == dt.date(2025, 3, 1)
    with pytest.raises(FieldError, match="ISO 8601"):
        f.date("01/03/2025")
    with pytest.raises(FieldError, match="not a valid date"):
        f.date("2025-02-30")


def test_integers_respect_bounds_and_reject_decimals() -> None:
    assert f.integer("3") == 3
    assert f.integer("", default=7) == 7
    with pytest.raises(FieldError, match="less than 0"):
        f.integer("-1")
    with pytest.raises(FieldError, match="whole number"):
        f.integer("2.5")


def test_decimals_keep_two_places() -> None:
    assert f.decimal("1.5") == Decimal("1.50")
    with pytest.raises(FieldError, match="decimal places"):
        f.decimal("1.234")
    with pytest.raises(FieldError, match="not a decimal"):
        f.decimal("NaN")


def test_yes_no_and_qids_and_keys() -> None:
    assert f.yes_no("yes") is True
    assert f.yes_no("No") is False
    assert f.yes_no("") is None
    with pytest.raises(FieldError):
        f.yes_no("maybe")
    assert f.qid("Q8288") == "Q8288"
    with pytest.raises(FieldError, match="QID"):
        f.qid("8288")
    with pytest.raises(FieldError, match="not a key"):
        f.key("Has Spaces")
