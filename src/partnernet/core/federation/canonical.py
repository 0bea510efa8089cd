"""Canonical JSON: the exact bytes a signature covers.

A signature is over bytes, but peers exchange parsed JSON, so signer and verifier must turn the same value
into the same bytes whatever their JSON library, key order or whitespace. This module implements the subset
of RFC 8785 (JSON Canonicalization Scheme) that Partnernet's documents need:

- objects with string keys, written in the order of their UTF-16 code units (RFC 8785 §3.2.3; this differs
  from code-point order only for keys mixing characters above U+FFFF with characters from U+E000 to U+FFFF);
- arrays, strings, ``true``, ``false`` and ``null``;
- integers in the I-JSON safe range ``-(2**53 - 1)`` to ``2**53 - 1``, in plain decimal;
- no whitespace; strings escaped as RFC 8785 prescribes (``\\"``, ``\\\\``, ``\\b``, ``\\f``, ``\\n``,
  ``\\r``, ``\\t``, other control characters as lower-case ``\\u00xx``, everything else literally), and the
  whole text encoded as UTF-8.

Floats are not part of the subset, NaN and Infinity included: their RFC 8785 form (ECMAScript number
formatting) differs from Python's in corner cases, and a float read by two peers need not be the same
decimal. A decimal value such as ``staff_fte`` therefore travels as a string (``"2.5"``). Strings holding a
lone surrogate are rejected because they have no UTF-8 form. Within this subset the output is byte for byte
what RFC 8785 gives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeAlias

JsonValue: TypeAlias = bool | int | str | Sequence["JsonValue"] | Mapping[str, "JsonValue"] | None
"""A JSON value of the supported subset; arrays may be lists or tuples, objects any mapping."""

MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 64
"""Deepest nesting accepted, so hostile input fails with a clear error instead of exhausting the stack."""

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""A JSON escape of a surrogate (``\\ud800``…``\\udfff``): a text without one has none once parsed."""
_escape = json.encoder.encode_basestring


class CanonicalJsonError(ValueError):
    """A value outside the supported subset, or a text that is not strict JSON."""


def canonical_json(value: JsonValue) -> bytes:
    """The canonical UTF-8 bytes of ``value``.

    Equal values give equal bytes regardless of mapping order, and ``json.loads`` of the result gives the
    value back (tuples come back as lists). Raises ``CanonicalJsonError`` for anything outside the subset.
    """
    try:
        if _plain(value, 0):
            return _dumps(value).encode("utf-8")
        parts: list[str] = []
        _encode(value, parts, 0)
        return "".join(parts).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CanonicalJsonError("string holds a lone surrogate, which has no UTF-8 form") from exc


def encode_members(value: Mapping[str, JsonValue]) -> dict[str, str]:
    """Each member of the object ``value`` in canonical form (``"name":value``), by name.

    With ``join_members`` it gives exactly ``canonical_json(value)``; kept apart so a signer can encode a
    document's members once and join them twice, without and with its signature.
    """
    members: dict[str, str] = {}
    for key in value:
        if not isinstance(key, str):
            raise CanonicalJsonError(f"object keys must be strings, not {type(key).__name__}")
        _check_surrogates(key)
        item = value[key]
        if _plain(item, 1):
            members[key] = f"{_encode_string(key)}:{_dumps(item)}"
            continue
        parts: list[str] = [_encode_string(key), ":"]
        _encode(item, parts, 1)
        members[key] = "".join(parts)
    return members


def join_members(members: Mapping[str, str]) -> bytes:
    """The canonical UTF-8 bytes of an object from its members as ``encode_members`` wrote them."""
    keys = list(members)
    if all(key.isascii() for key in keys):
        keys.sort()
    else:
        keys.sort(key=lambda key: key.encode("utf-16-be"))
    text = "{" + ",".join(members[key] for key in keys) + "}"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CanonicalJsonError("string holds a lone surrogate, which has no UTF-8 form") from exc


def parse_json(data: bytes | str) -> JsonValue:
    """Parse untrusted JSON strictly into the supported subset.

    Python's ``json.loads`` accepts things another peer would read differently: duplicate keys (which one
    wins?), ``NaN`` and ``Infinity``, floats, huge integers. This parser rejects all of them, and lone
    surrogates, with ``CanonicalJsonError``, so whatever it returns can be canonicalised and verified.
    """
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        value: JsonValue = json.loads(
            text,
            object_pairs_hook=_object_without_duplicates,
            parse_float=_reject_float,
            parse_constant=_reject_constant,
            parse_int=_safe_integer,
        )
    except CanonicalJsonError:
        raise
    except (ValueError, RecursionError) as exc:
        raise CanonicalJsonError(f"not strict JSON: {exc}") from exc
    if _plain(value, 0) and not _SURROGATE_ESCAPE.search(text) and not _LONE_SURROGATE.search(text):
        return value  # canonical_json would succeed: the only failure left to it is a lone surrogate
    canonical_json(value)
    return value


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False).encode


def _plain(value: object, depth: int) -> bool:
    """Whether ``json``'s C encoder writes ``value`` exactly as ``_encode`` would: only exact dicts with
    ASCII string keys (sorted the same by code point and by UTF-16), lists, tuples, exact strings, safe
    integers, booleans and null, within the depth limit. Checking is much cheaper than encoding in Python,
    and anything else (a float, a huge integer, a subclass, a non-ASCII key) takes the careful path, which
    gives the same bytes or the same error. Lone surrogates fail in the final UTF-8 encoding on both."""
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return True
    if kind is int:
        return -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER  # type: ignore[operator]
    if kind is dict:
        for key in value:  # type: ignore[attr-defined]
            if type(key) is not str or not key.isascii():
                return False
        items = value.values()  # type: ignore[attr-defined]
    elif kind is list or kind is tuple:
        items = value
    else:
        return False
    if depth >= MAX_DEPTH:
        return False
    return _plain_items(items, depth + 1)


def _plain_items(items: Iterable[object], depth: int) -> bool:
    """``_plain`` of each of ``items``, the scalars checked here: most values of a document are scalars,
    and a call per scalar was most of the time ``verify_page`` spent outside the signatures."""
    for item in items:
        kind = type(item)
        if kind is str or item is None or kind is bool:
            continue
        if kind is int:
            if not -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER:  # type: ignore[operator]
                return False
        elif not _plain(item, depth):
            return False
    return True


def _encode(value: object, out: list[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise CanonicalJsonError(f"nested deeper than {MAX_DEPTH} levels")
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(str(_checked_integer(int(value))))
    elif isinstance(value, str):
        out.append(_encode_string(value))
    elif isinstance(value, Mapping):
        _encode_object(value, out, depth)
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _encode(item, out, depth + 1)
        out.append("]")
    elif isinstance(value, float):
        raise CanonicalJsonError(f"floats are not supported ({value!r}); send a decimal as a string")
    else:
        raise CanonicalJsonError(f"{type(value).__name__} is not a JSON value")


def _encode_object(value: Mapping[object, object], out: list[str], depth: int) -> None:
    keys: list[str] = []
    for key in value:
        if not isinstance(key, str):
            raise CanonicalJsonError(f"object keys must be strings, not {type(key).__name__}")
        keys.append(key)
    if all(key.isascii() for key in keys):
        keys.sort()  # code-point order is UTF-16 order for ASCII, and much cheaper
    else:
        for key in keys:
            _check_surrogates(key)
        keys.sort(key=lambda key: key.encode("utf-16-be"))
    out.append("{")
    for index, key in enumerate(keys):
        if index:
            out.append(",")
        out.append(_encode_string(key))
        out.append(":")
        _encode(value[key], out, depth + 1)
    out.append("}")


def _encode_string(text: str) -> str:
    """RFC 8785 string escaping: what ``json.dumps(text, ensure_ascii=False)`` writes, through the C escaper
    it uses. A lone surrogate passes here and fails when the whole text is encoded as UTF-8."""
    return _escape(text)


def _check_surrogates(text: str) -> None:
    if _LONE_SURROGATE.search(text):
        raise CanonicalJsonError("string holds a lone surrogate, which has no UTF-8 form")


def _checked_integer(number: int) -> int:
    if not -MAX_SAFE_INTEGER <= number <= MAX_SAFE_INTEGER:
        raise CanonicalJsonError(f"integer {number} is outside the safe range ±(2**53 - 1)")
    return number


def _object_without_duplicates(pairs: list[tuple[str, JsonValue]]) -> dict[str, JsonValue]:
    result: dict[str, JsonValue] = {}
    for key, item in pairs:
        if key in result:
            raise CanonicalJsonError(f"duplicate key {key!r}")
        result[key] = item
    return result


def _reject_float(text: str) -> JsonValue:
    raise CanonicalJsonError(f"floats are not supported ({text}); send a decimal as a string")


def _reject_constant(text: str) -> JsonValue:
    raise CanonicalJsonError(f"{text} is not JSON")


def _safe_integer(text: str) -> int:
    if len(text.lstrip("-")) > 16:
        raise CanonicalJsonError(f"integer {text[:20]}… is outside the safe range ±(2**53 - 1)")
    return _checked_integer(int(text))
