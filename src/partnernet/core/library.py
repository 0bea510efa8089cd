"""The library's decisions in plain Python: which resources fit a support request, best first, and what
changed between two versions of a resource.

Matching ranks by what the asker needs most, in this order: the same partnership type, a kind of resource
that meets the need (a letter template for ``letter``, a tool for ``tools`` …), the nearest region (the
request's own region, then each wider area that contains it, then resources for anywhere), the same
language; then resources others found helpful, then the most used. A resource that fits neither the type
nor the need is not offered at all.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

NEED_KINDS: dict[str, frozenset[tuple[str, str]]] = {
    "co_signing": frozenset({("template", "agreement"), ("template", "mou"), ("playbook", "")}),
    "fiscal_sponsorship": frozenset({("template", "agreement"), ("playbook", "")}),
    "tools": frozenset({("tool", "")}),
    "training": frozenset({("training", ""), ("playbook", "")}),
    "content_upload": frozenset({("playbook", ""), ("tool", ""), ("training", "")}),
    "letter": frozenset({("template", "letter")}),
    "other": frozenset(),
}
"""For each need of a support request, the (kind, template kind) of resources that meet it; an empty
template kind means any resource of that kind."""


@dataclass(frozen=True)
class Wanted:
    """What a support request asks for. ``regions`` is its region and every area containing it, nearest
    first (``("SE", "154", "150", "001")``)."""

    type: str
    need: str
    regions: tuple[str, ...]
    language: str = ""


@dataclass(frozen=True)
class Offered:
    """A published resource as matching sees it; empty ``types`` or ``regions`` mean any."""

    key: str
    kind: str
    template_kind: str = ""
    types: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    language: str = ""
    helped: int = 0
    uses: int = 0


@dataclass(frozen=True)
class Match:
    key: str
    same_type: bool
    meets_need: bool
    region_distance: int
    same_language: bool


def meets_need(need: str, kind: str, template_kind: str) -> bool:
    wanted = NEED_KINDS.get(need, frozenset())
    return (kind, template_kind) in wanted or (kind, "") in wanted


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def region_distance(wanted: tuple[str, ...], offered: frozenset[str]) -> int:
    """0 for the request's own region, 1 for the area containing it …; ``len(wanted)`` for a resource for
    anywhere; one more for a resource that names only regions elsewhere."""
    if not offered:
        return len(wanted)
    for distance, code in enumerate(wanted):
        if code in offered:
            return distance
    return len(wanted) + 1


def rank_resources(wanted: Wanted, offered: Iterable[Offered], limit: int | None = None) -> list[Match]:
    """The resources that fit ``wanted``, best first (see the module docstring); ties by key."""
    scored: list[tuple[tuple[object, ...], Match]] = []
    for item in offered:
        same_type = wanted.type in item.types
        type_rank = 0 if same_type else (1 if not item.types else 2)
        need = meets_need(wanted.need, item.kind, item.template_kind)
        if not (same_type or need):
            continue
        distance = region_distance(wanted.regions, item.regions)
        language = bool(wanted.language) and _primary(item.language) == _primary(wanted.language)
        match = Match(item.key, same_type, need, distance, language)
        sort_key = (type_rank, not need, distance, not language, -item.helped, -item.uses, item.key)
        scored.append((sort_key, match))
    scored.sort(key=lambda pair: pair[0])
    ranked = [match for _, match in scored]
    return ranked if limit is None else ranked[:limit]


@dataclass(frozen=True)
class DiffLine:
    """One line of a comparison: ``" "`` kept, ``"-"`` only in the older version, ``"+"`` only in the newer
    one, ``"@"`` a gap between changes."""

    sign: str
    text: str


def text_diff(old: str, new: str, context: int = 3) -> list[DiffLine]:
    """The lines that changed between two texts, with ``context`` unchanged lines around each change; an
    empty list when they are the same."""
    lines: list[DiffLine] = []
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=context)
    for line in diff:
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("@", "…"))
            continue
        lines.append(DiffLine(line[:1] or " ", line[1:]))
    return lines


def field_changes(old: dict[str, object], new: dict[str, object]) -> list[tuple[str, object, object]]:
    """The fields whose values differ, in ``new``'s order: (name, old value, new value)."""
    return [(name, old.get(name), value) for name, value in new.items() if old.get(name) != value]
