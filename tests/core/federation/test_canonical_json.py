"""Canonical JSON: RFC 8785 examples, the rejected corners, and stability properties."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.core.federation.canonical import (
    MAX_DEPTH,
    MAX_SAFE_INTEGER,
    CanonicalJsonError,
    JsonValue,
    canonical_json,
    parse_json,
)

scalars = st.none() | st.booleans() | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER) | st.text(max_size=12)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)


def reordered(value: Any, rng: random.Random) -> Any:
    """The same value with every object's members inserted in a shuffled order."""
    if isinstance(value, dict):
        names = list(value)
        rng.shuffle(names)
        return {name: reordered(value[name], rng) for name in names}
    if isinstance(value, list):
        return [reordered(item, rng) for item in value]
    return value


def test_members_are_sorted_and_whitespace_is_dropped() -> None:
    value: JsonValue = {"b": 1, "a": [True, None, "x"], "c": {"z": -0, "y": False}}
    assert canonical_json(value) == b'{"a":[true,null,"x"],"b":1,"c":{"y":false,"z":0}}'


def test_keys_are_ordered_by_utf16_code_units_as_in_rfc_8785() -> None:
    value = {
        "\u20ac": "Euro",
        "\r": "CR",
        "\ufb33": "Hebrew",
        "1": "One",
        "\U0001f600": "Emoji",
        "\u0080": "Ctl",
    }
    value["\u00f6"] = "Latin"
    names = list(json.loads(canonical_json(value)))
    assert names == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


def test_strings_are_escaped_minimally_and_encoded_as_utf8() -> None:
    text = 'quote " backslash \\ tab \t newline \n nul \x00 unit \x1f del \x7f é \u2028 😀'
    expected = '"quote \\" backslash \\\\ tab \\t newline \\n nul \\u0000 unit \\u001f del \x7f é \u2028 😀"'
    assert canonical_json(text) == expected.encode("utf-8")


def test_tuples_are_arrays() -> None:
    assert canonical_json({"a": (1, "2")}) == b'{"a":[1,"2"]}'


@pytest.mark.parametrize(
    "value",
    [
        1.5,
        float("nan"),
        float("inf"),
        MAX_SAFE_INTEGER + 1,
        -MAX_SAFE_INTEGER - 1,
        {1: "numeric key"},
        "lone \ud800 surrogate",
        b"bytes",
        {"when": object()},
    ],
    ids=["float", "nan", "infinity", "big", "small", "int-key", "surrogate", "bytes", "object"],
)
def test_values_outside_the_subset_are_rejected(value: Any) -> None:
    with pytest.raises(CanonicalJsonError):
        canonical_json(value)


def test_nesting_beyond_the_limit_is_rejected() -> None:
    value: JsonValue = []
    for _ in range(MAX_DEPTH + 1):
        value = [value]
    with pytest.raises(CanonicalJsonError, match="nested deeper"):
        canonical_json(value)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',
        '{"a": NaN}',
        "[Infinity]",
        "[1.0]",
        "[1e400]",
        "[9007199254740992]",
        '["\\ud800"]',
        '{"a": [1, 2',
        "[" * 5000 + "]" * 5000,
    ],
    ids=["duplicate", "nan", "infinity", "float", "overflow", "big", "surrogate", "cut-short", "deep"],
)
def test_parse_refuses_what_peers_could_read_differently(text: str) -> None:
    with pytest.raises(CanonicalJsonError):
        parse_json(text)


def test_parse_accepts_bytes_and_keeps_integers_exact() -> None:
    assert parse_json(b'{"n": 9007199254740991, "s": "\xc3\xa9"}') == {"n": MAX_SAFE_INTEGER, "s": "é"}


@given(json_values, st.randoms(use_true_random=False))
def test_canonical_form_is_stable_under_member_order(value: JsonValue, rng: random.Random) -> None:
    assert canonical_json(reordered(value, rng)) == canonical_json(value)


@given(json_values)
def test_canonical_form_round_trips_through_json_loads(value: JsonValue) -> None:
    encoded = canonical_json(value)
    assert json.loads(encoded) == value
    assert parse_json(encoded) == value
    assert canonical_json(json.loads(encoded)) == encoded


@given(
    st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(st.characters(max_codepoint=0xD7FF), max_size=8), children, max_size=4)
        ),
        max_leaves=25,
    )
)
def test_matches_sorted_compact_json_dumps_when_key_orders_agree(value: JsonValue) -> None:
    """Below U+D800 code-point order is UTF-16 order, so the standard library is an exact baseline."""
    baseline = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_json(value) == baseline.encode("utf-8")


@pytest.mark.parametrize(
    "text",
    [
        '{"\\udc00": 1}',
        '{"a": {"b": ["x\\uDBFF"]}}',
        '["lone \ud800 as a character"]',
        "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2),
    ],
    ids=["escaped-key", "escaped-nested", "literal", "just-too-deep"],
)
def test_parse_refuses_what_has_no_canonical_form_however_it_is_written(text: str) -> None:
    """``parse_json`` skips re-encoding a page when nothing in it can fail to encode: these must not slip
    through that shortcut."""
    with pytest.raises(CanonicalJsonError):
        parse_json(text)


def test_parse_accepts_an_escaped_surrogate_pair_and_the_deepest_nesting_allowed() -> None:
    assert parse_json('["\\ud83d\\ude00"]') == ["\U0001f600"]
    deepest = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)  # the outermost array is at depth 0
    assert canonical_json(parse_json(deepest)) == deepest.encode()
