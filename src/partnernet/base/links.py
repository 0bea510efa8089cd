"""Links to a record's page by its key (or keys), without a full ``reverse`` per link.

A registry page or the matrix links to a hundred or more records; Django's ``reverse`` walks the URL
resolver and checks the arguments each time (about 40 µs). For a pattern whose only argument is a slug, the
address is the same text around the keys, so it is worked out once per view name, script prefix and URL
configuration, and the keys are put in. Only keys of slug characters take the short way (``reverse`` would
neither quote them nor refuse them, under a ``slug`` or a ``str`` converter); any other goes through
``reverse``, and fails there if the pattern refuses it.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlencode

from django.urls import get_script_prefix, get_urlconf, reverse

from partnernet.base.identity import instance_id

SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
_MARK = "pn-key-placeholder-{}-"


@functools.lru_cache(maxsize=256)
def _pieces(viewname: str, arity: int, prefix: str, urlconf: str | None) -> tuple[str, ...]:
    marks = [_MARK.format(i) for i in range(arity)]
    rest = reverse(viewname, args=marks, urlconf=urlconf)
    pieces = []
    for mark in marks:
        before, found, rest = rest.partition(mark)
        if not found:
            raise ValueError(f"{viewname} does not place its keys in order")
        pieces.append(before)
    return (*pieces, rest)


def keyed_url(viewname: str, *keys: str) -> str:
    """``reverse(viewname, args=keys)`` for a pattern whose arguments are slugs or plain strings."""
    if not all(SLUG.match(key) for key in keys):
        return reverse(viewname, args=keys)
    pieces = _pieces(viewname, len(keys), get_script_prefix(), get_urlconf())
    return "".join(piece + key for piece, key in zip(pieces, keys, strict=False)) + pieces[-1]


def record_link(viewname: str, key: str, origin: str | None) -> str:
    """The page of the record ``key`` from ``origin`` (``keyed_url``), naming the origin when it is not this
    instance's own: keys are unique per origin only, so a peer's copy needs ``?origin=`` to be told from a
    local row with the same key."""
    url = keyed_url(viewname, key)
    if origin and origin != instance_id():
        url += "?" + urlencode({"origin": origin})
    return url
