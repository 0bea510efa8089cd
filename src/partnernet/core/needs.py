"""The arithmetic of needs and pledges: when a need is met, and how much of it is still open.

A need (what an entity needs to hold or grow its stewardships) may carry an amount in one unit — FTE, hours,
or money in one ISO 4217 currency — or none (mentoring, a letter of support). Pledges commit to it in the
need's own unit; only *delivered* pledges count towards it, and only the need's admins confirm a delivery.

- A withdrawn need stays withdrawn, whatever was delivered.
- A need with an amount is **met** exactly when the delivered amounts add up to at least the amount; **partly
  met** when at least one pledge was delivered but they do not cover it yet; **open** otherwise.
- A need without an amount is met by its first delivered pledge (there is nothing to add up).

Amounts are never summed across units or currencies: every figure here is in one need's unit. Pure Python,
exact ``Decimal`` arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

OPEN = "open"
PARTLY_MET = "partly_met"
MET = "met"
WITHDRAWN = "withdrawn"
NEED_STATUSES = (OPEN, PARTLY_MET, MET, WITHDRAWN)

PLEDGED = "pledged"
DELIVERED = "delivered"
CANCELLED = "cancelled"
PLEDGE_STATUSES = (PLEDGED, DELIVERED, CANCELLED)

PLEDGE_MOVES: dict[str, frozenset[str]] = {
    PLEDGED: frozenset({DELIVERED, CANCELLED}),
    DELIVERED: frozenset(),
    CANCELLED: frozenset(),
}
"""The pledge lifecycle: pledged → delivered (confirmed by the need's admins) or cancelled; both are final."""


@dataclass(frozen=True)
class PledgeFigure:
    """One pledge as the arithmetic sees it: its status and amount (in the need's unit, or none)."""

    status: str
    amount: Decimal | None = None


@dataclass(frozen=True)
class Coverage:
    """How far a need is covered: delivered and still pledged amounts, and what remains to be found."""

    status: str
    delivered: Decimal
    pledged: Decimal
    remaining: Decimal | None
    """``amount - delivered`` (never below 0); ``None`` for a need without an amount."""
    share: float | None
    """Delivered / amount, capped at 1; ``None`` for a need without an amount."""


def _total(pledges: Iterable[PledgeFigure], status: str) -> Decimal:
    return sum((p.amount or Decimal(0) for p in pledges if p.status == status), Decimal(0))


def need_status(amount: Decimal | None, pledges: Iterable[PledgeFigure], withdrawn: bool = False) -> str:
    """The status a need has given its pledges (the module doc states the rule)."""
    return coverage(amount, pledges, withdrawn).status


def coverage(amount: Decimal | None, pledges: Iterable[PledgeFigure], withdrawn: bool = False) -> Coverage:
    """The status of a need and its figures; ``amount`` must be positive when given."""
    items = list(pledges)
    if amount is not None and amount <= 0:
        raise ValueError("a need's amount must be positive")
    if any(p.amount is not None and p.amount < 0 for p in items):
        raise ValueError("a pledge's amount must not be negative")
    delivered = _total(items, DELIVERED)
    pledged = _total(items, PLEDGED)
    any_delivered = any(p.status == DELIVERED for p in items)
    if withdrawn:
        status = WITHDRAWN
    elif amount is None:
        status = MET if any_delivered else OPEN
    elif delivered >= amount:
        status = MET
    elif any_delivered:
        status = PARTLY_MET
    else:
        status = OPEN
    if amount is None:
        return Coverage(status, delivered, pledged, None, None)
    remaining = max(amount - delivered, Decimal(0))
    return Coverage(status, delivered, pledged, remaining, float(min(delivered / amount, Decimal(1))))


def may_move(current: str, target: str) -> bool:
    """Whether a pledge may go from ``current`` to ``target`` (staying put is not a move)."""
    return target in PLEDGE_MOVES.get(current, frozenset())


def totals_by_currency(amounts: Iterable[tuple[str, Decimal | None]]) -> dict[str, Decimal]:
    """Sum amounts per unit or currency code, never across them: ``[("EUR", 5), ("USD", 3), ("EUR", 1)]``
    gives ``{"EUR": 6, "USD": 3}``. Empty amounts are skipped; keys come out sorted."""
    sums: dict[str, Decimal] = {}
    for unit, value in amounts:
        if value is None or not unit:
            continue
        sums[unit] = sums.get(unit, Decimal(0)) + value
    return dict(sorted(sums.items()))
