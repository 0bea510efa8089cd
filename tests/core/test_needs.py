"""The status arithmetic of needs: met exactly when delivered pledges cover the amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.core.needs import (
    CANCELLED,
    DELIVERED,
    MET,
    OPEN,
    PARTLY_MET,
    PLEDGE_STATUSES,
    PLEDGED,
    WITHDRAWN,
    PledgeFigure,
    coverage,
    may_move,
    need_status,
    totals_by_currency,
)

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2)
pledges = st.lists(
    st.builds(PledgeFigure, st.sampled_from(PLEDGE_STATUSES), st.one_of(st.none(), amounts)), max_size=8
)


@settings(deadline=None)
@given(amounts, pledges)
def test_met_exactly_when_delivered_pledges_cover_the_amount(
    amount: Decimal, items: list[PledgeFigure]
) -> None:
    delivered = sum((p.amount or 0 for p in items if p.status == DELIVERED), Decimal(0))
    assert (need_status(amount, items) == MET) == (delivered >= amount)


@settings(deadline=None)
@given(amounts, pledges)
def test_partly_met_exactly_when_some_delivered_but_not_covered(
    amount: Decimal, items: list[PledgeFigure]
) -> None:
    delivered = sum((p.amount or 0 for p in items if p.status == DELIVERED), Decimal(0))
    some = any(p.status == DELIVERED for p in items)
    assert (need_status(amount, items) == PARTLY_MET) == (some and delivered < amount)
    assert (need_status(amount, items) == OPEN) == (not some)


@settings(deadline=None)
@given(amounts, pledges)
def test_pledged_and_cancelled_pledges_never_change_the_status(
    amount: Decimal, items: list[PledgeFigure]
) -> None:
    delivered_only = [p for p in items if p.status == DELIVERED]
    assert need_status(amount, items) == need_status(amount, delivered_only)


@settings(deadline=None)
@given(st.one_of(st.none(), amounts), pledges)
def test_withdrawn_stays_withdrawn(amount: Decimal | None, items: list[PledgeFigure]) -> None:
    assert need_status(amount, items, withdrawn=True) == WITHDRAWN


@settings(deadline=None)
@given(pledges)
def test_a_need_without_amount_is_met_by_its_first_delivery(items: list[PledgeFigure]) -> None:
    expected = MET if any(p.status == DELIVERED for p in items) else OPEN
    assert need_status(None, items) == expected


@settings(deadline=None)
@given(amounts, pledges)
def test_remaining_and_share_add_up(amount: Decimal, items: list[PledgeFigure]) -> None:
    figures = coverage(amount, items)
    assert figures.remaining == max(amount - figures.delivered, Decimal(0))
    assert figures.share is not None
    assert 0 <= figures.share <= 1
    assert (figures.share == 1) == (figures.status == MET)


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        coverage(Decimal("-1"), [])
    with pytest.raises(ValueError, match="negative"):
        coverage(Decimal("10"), [PledgeFigure(DELIVERED, Decimal("-5"))])


def test_lifecycle_moves() -> None:
    assert may_move(PLEDGED, DELIVERED)
    assert may_move(PLEDGED, CANCELLED)
    assert not may_move(DELIVERED, CANCELLED)
    assert not may_move(CANCELLED, DELIVERED)
    assert not may_move(PLEDGED, PLEDGED)


def test_money_is_never_summed_across_currencies() -> None:
    rows = [("EUR", Decimal(5)), ("USD", Decimal(3)), ("EUR", Decimal(1)), ("GHS", None)]
    assert totals_by_currency(rows) == {"EUR": Decimal(6), "USD": Decimal(3)}
