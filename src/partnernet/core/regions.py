"""The M49 region hierarchy as plain data.

Routing, coverage analytics and validation all ask the same questions of the hierarchy (is this region inside
that one, how many steps apart are they, what is the chain up to the world), so they share this one small,
immutable structure instead of each walking database rows. It is built once from ``code -> parent`` pairs and
answers every question from memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

WORLD = "001"


@dataclass(frozen=True)
class RegionTree:
    """An immutable tree of region codes, rooted at ``001`` (the world).

    ``parents`` maps every code but the root to its parent code. Names are optional and only used to
    explain decisions to people.
    """

    parents: Mapping[str, str]
    names: Mapping[str, str] = field(default_factory=dict)
    _chains: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str | None, str]]) -> RegionTree:
        """Build from ``(code, parent_code_or_None, name)`` triples."""
        parents: dict[str, str] = {}
        names: dict[str, str] = {}
        for code, parent, name in rows:
            names[code] = name
            if parent:
                parents[code] = parent
        return cls(parents=parents, names=names)

    def __contains__(self, code: object) -> bool:
        return code == WORLD or code in self.parents

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    def chain(self, code: str) -> tuple[str, ...]:
        """The code itself, then each ancestor up to and including the world.

        Raises ``KeyError`` for an unknown code, and ``ValueError`` when the parents form a cycle, so a
        corrupt table fails loudly instead of looping.
        """
        cached = self._chains.get(code)
        if cached is not None:
            return cached
        if code not in self:
            raise KeyError(code)
        chain = [code]
        seen = {code}
        current = code
        while current != WORLD:
            current = self.parents.get(current, WORLD)
            if current in seen:
                raise ValueError(f"region hierarchy has a cycle at {current}")
            seen.add(current)
            chain.append(current)
        result = tuple(chain)
        self._chains[code] = result
        return result

    def depth(self, code: str) -> int:
        """Steps from the world down to ``code`` (the world has depth 0)."""
        return len(self.chain(code)) - 1

    def covers(self, outer: str, inner: str) -> bool:
        """True when ``inner`` is ``outer`` or lies inside it."""
        return outer in self.chain(inner)

    def steps_up(self, inner: str, outer: str) -> int | None:
        """How many steps up from ``inner`` reach ``outer``; ``None`` when ``outer`` does not contain it."""
        chain = self.chain(inner)
        try:
            return chain.index(outer)
        except ValueError:
            return None

    def distance(self, a: str, b: str) -> int:
        """Edges on the tree path between two regions (0 for the same region)."""
        chain_a = self.chain(a)
        chain_b = set(self.chain(b))
        for steps, code in enumerate(chain_a):
            if code in chain_b:
                return steps + self.chain(b).index(code)
        raise ValueError(f"{a} and {b} share no ancestor")  # pragma: no cover - every chain ends at WORLD

    def descendants(self, code: str) -> frozenset[str]:
        """Every code inside ``code``, itself included."""
        return frozenset(c for c in (*self.parents, WORLD) if code in self.chain(c))
