"""How unevenly a quantity is spread over the nodes that hold it: top-k share, HHI and Gini.

The decentralisation report asks whether support and stewardship load sit with a few strong organisations or
are spread across the movement. These are the three textbook answers, over non-negative integer counts
(requests handled, cases held). Each is computed with exact integer arithmetic up to one final division, so
the figures are correctly rounded and comparable across runs and instances. A figure is ``None`` when the
total is zero: shares of nothing are undefined, not zero.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection


def top_share(values: Collection[int], k: int) -> float | None:
    """Share of the total held by the ``k`` largest values, in [0, 1].

    With fewer than ``k`` values every value counts, so the share is 1. ``None`` when the total is zero.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    total = _checked_total(values)
    if total == 0:
        return None
    return sum(heapq.nlargest(k, values)) / total


def hhi(values: Collection[int]) -> float | None:
    """Herfindahl-Hirschman index: the sum of squared shares, on the 0-1 scale (not 0-10,000).

    It ranges from ``1 / len(values)`` (an even spread) to 1 (one holder has everything); ``None`` when the
    total is zero.
    """
    total = _checked_total(values)
    if total == 0:
        return None
    return sum(value * value for value in values) / (total * total)


def gini(values: Collection[int]) -> float | None:
    """Gini coefficient of the values as a whole population, in ``[0, 1 - 1/len(values)]``.

    Defined as the mean absolute difference over all ordered pairs divided by twice the mean, computed from
    the sorted values as ``(2 * sum(i * x_i) - (k + 1) * total) / (k * total)`` with ``i`` counted from 1.
    Zeros are members of the population and raise the figure. ``None`` when the total is zero.
    """
    total = _checked_total(values)
    if total == 0:
        return None
    count = len(values)
    weighted = sum(rank * value for rank, value in enumerate(sorted(values), start=1))
    return (2 * weighted - (count + 1) * total) / (count * total)


def _checked_total(values: Collection[int]) -> int:
    """The sum of the values; ``ValueError`` when one is negative (a count cannot be)."""
    total = 0
    for value in values:
        if value < 0:
            raise ValueError(f"counts must not be negative, got {value}")
        total += value
    return total
