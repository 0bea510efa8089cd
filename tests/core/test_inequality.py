"""Top-k share, HHI and Gini: hand-computed examples and exact rational baselines."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.core.inequality import gini, hhi, top_share

counts = st.lists(st.integers(min_value=0, max_value=10_000), max_size=60)


def test_top_share_of_the_largest_holders() -> None:
    assert top_share([10, 5, 3, 1, 1], 1) == 0.5
    assert top_share([10, 5, 3, 1, 1], 3) == 0.9
    assert top_share([1, 3, 10, 1, 5], 3) == 0.9


def test_top_share_with_fewer_holders_than_k_is_whole() -> None:
    assert top_share([4, 6], 3) == 1.0


def test_hhi_hand_examples() -> None:
    assert hhi([5, 3, 2]) == pytest.approx(0.38)
    assert hhi([7]) == 1.0
    assert hhi([1, 1, 1, 1]) == 0.25
    assert hhi([4, 0, 0]) == 1.0


def test_gini_hand_examples() -> None:
    assert gini([1, 2, 3, 4]) == 0.25
    assert gini([3, 3, 3]) == 0.0
    assert gini([7]) == 0.0
    assert gini([0, 0, 10]) == pytest.approx(2 / 3)
    assert gini([10, 0, 0, 0]) == 0.75


@pytest.mark.parametrize("figure", [hhi, gini, lambda values: top_share(values, 1)])
def test_no_total_means_no_figure(figure: object) -> None:
    assert figure([]) is None  # type: ignore[operator]
    assert figure([0, 0]) is None  # type: ignore[operator]


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        gini([3, -1])


def test_top_share_needs_a_positive_k() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        top_share([1], 0)


@given(counts)
def test_gini_equals_mean_absolute_difference_over_twice_the_mean(values: list[int]) -> None:
    total = sum(values)
    if total == 0:
        assert gini(values) is None
        return
    pairs = sum(abs(a - b) for a in values for b in values)
    assert gini(values) == float(Fraction(pairs, 2 * len(values) * total))


@given(counts)
def test_hhi_equals_sum_of_squared_shares(values: list[int]) -> None:
    total = sum(values)
    if total == 0:
        assert hhi(values) is None
        return
    assert hhi(values) == float(sum(Fraction(value, total) ** 2 for value in values))


@given(counts, st.integers(min_value=1, max_value=5))
def test_top_share_equals_sorted_prefix(values: list[int], k: int) -> None:
    total = sum(values)
    if total == 0:
        assert top_share(values, k) is None
        return
    assert top_share(values, k) == float(Fraction(sum(sorted(values, reverse=True)[:k]), total))
