"""Quorum rules of the agreement process: whether a proposal passed, and why not.

A rule is data (stored with each proposal, so changing the framework's default later does not change the
outcome of a proposal already open): a minimum number of participating entities, a minimum share of
support, whether an entity of the affected region must take part, and the closing time.

Participation. An entity takes part by supporting, opposing or abstaining. Abstentions count toward
participation but not in the share: the share is ``support / (support + oppose)``.

Missing participants count as opposition. With the obvious reading ("at least N took part, and the share
was met") an opponent can make a proposal pass by taking part: two supports fail a minimum of three, and
an added oppose would make three participants with two thirds in favour. Opponents would then do better
to stay away, and a proposal would fail for want of the very voices that would have let it pass. So the
minimum is applied the other way round: when fewer than N entities took part, each missing one counts as
an oppose in the share. A proposal passes when

    support >= min_support_share * (support + oppose + max(0, N - participants))

which is exactly "it would pass even if every missing entity had turned up and opposed". Adding a support
never turns a pass into a fail, adding an oppose never turns a fail into a pass, and raising the minimum
never turns a fail into a pass. The share is compared inclusively (two thirds of three is enough for a
two-thirds rule) and exactly, with fractions. When nobody supports or opposes, the share is undefined and
the proposal does not pass.

Affected region. When required, at least one entity of an affected region must take part *without
opposing* (support or abstain): requiring mere participation would again let an opponent of the region
make the proposal pass by taking part. An entity is of an affected region when one of its regions equals
an affected code, or lies inside one according to ``covers(affected, region)`` (e.g.
``RegionTree.covers``); a world-wide entity is not thereby of every region.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from fractions import Fraction


class Stance(StrEnum):
    SUPPORT = "support"
    OPPOSE = "oppose"
    ABSTAIN = "abstain"


class Outcome(StrEnum):
    OPEN = "open"
    PASSED = "passed"
    FAILED = "failed"


@dataclass(frozen=True)
class QuorumRule:
    """The conditions a proposal must meet by ``closes_at`` (timezone-aware)."""

    min_participants: int
    min_support_share: Fraction
    closes_at: datetime
    require_affected_region: bool = False

    def __post_init__(self) -> None:
        if self.min_participants < 1:
            raise ValueError("at least one entity must take part")
        if not 0 < self.min_support_share <= 1:
            raise ValueError("the minimum support share lies in (0, 1]")
        if self.closes_at.tzinfo is None:
            raise ValueError("closes_at must be timezone-aware")


@dataclass(frozen=True)
class Voice:
    """One entity's stance, with the region codes the entity is in."""

    entity: str
    stance: Stance
    regions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Tally:
    support: int
    oppose: int
    abstain: int

    @property
    def participants(self) -> int:
        return self.support + self.oppose + self.abstain


@dataclass(frozen=True)
class QuorumResult:
    """The outcome and everything a facilitator needs to explain it.

    ``passed`` is true only for ``PASSED``. While the proposal is open the outcome is ``OPEN`` and
    ``reasons`` is empty, unless a provisional reading was asked for: then ``provisional`` is true and the
    outcome is what it would be if the proposal closed now. ``share`` is support among supports and
    opposes; ``counted_share`` is the share the rule compares, with missing participants as opposes.
    """

    outcome: Outcome
    passed: bool
    provisional: bool
    tally: Tally
    share: Fraction | None
    counted_share: Fraction | None
    reasons: tuple[str, ...]


def evaluate(
    rule: QuorumRule,
    voices: Iterable[Voice],
    *,
    now: datetime,
    affected_regions: Iterable[str] = (),
    provisional: bool = False,
    covers: Callable[[str, str], bool] | None = None,
) -> QuorumResult:
    """Evaluate ``voices`` (at most one per entity, cast before the closing time) under ``rule``.

    ``ValueError`` when an entity has two voices: the caller keeps each entity's latest.
    """
    voices = tuple(voices)
    entities = [voice.entity for voice in voices]
    if len(set(entities)) != len(entities):
        raise ValueError("an entity has more than one voice")
    tally = Tally(
        support=sum(voice.stance is Stance.SUPPORT for voice in voices),
        oppose=sum(voice.stance is Stance.OPPOSE for voice in voices),
        abstain=sum(voice.stance is Stance.ABSTAIN for voice in voices),
    )
    missing = max(0, rule.min_participants - tally.participants)
    counted = tally.support + tally.oppose + missing
    decisive = tally.support + tally.oppose
    share = Fraction(tally.support, decisive) if decisive else None
    counted_share = Fraction(tally.support, counted) if counted else None
    decided = now >= rule.closes_at
    if not decided and not provisional:
        return QuorumResult(Outcome.OPEN, False, False, tally, share, counted_share, ())
    reasons: list[str] = []
    if counted_share is None or counted_share < rule.min_support_share:
        reasons.append(_share_reason(rule, tally, missing, counted_share))
    if rule.require_affected_region:
        affected = frozenset(affected_regions)
        if not any(_of_affected_region(voice, affected, covers) for voice in voices):
            reasons.append(_region_reason(affected))
    passed = not reasons
    outcome = Outcome.PASSED if passed else Outcome.FAILED
    return QuorumResult(outcome, passed, not decided, tally, share, counted_share, tuple(reasons))


def _of_affected_region(
    voice: Voice, affected: frozenset[str], covers: Callable[[str, str], bool] | None
) -> bool:
    if voice.stance is Stance.OPPOSE:
        return False
    if voice.regions & affected:
        return True
    return covers is not None and any(covers(outer, region) for outer in affected for region in voice.regions)


def _share_reason(rule: QuorumRule, tally: Tally, missing: int, counted_share: Fraction | None) -> str:
    required = _percent(rule.min_support_share)
    if counted_share is None:
        return f"no entity supported or opposed ({tally.abstain} abstained)"
    counted = tally.support + tally.oppose + missing
    reason = (
        f"support is {tally.support} of {counted} ({_percent(counted_share)}), below the required {required}"
    )
    if missing:
        reason += (
            f": only {tally.participants} of the {rule.min_participants} entities required took part,"
            f" and the {missing} missing count as opposition"
        )
    return reason


def _region_reason(affected: frozenset[str]) -> str:
    if not affected:
        return "an entity of the affected region must take part, but the proposal names no affected region"
    codes = ", ".join(sorted(affected))
    return f"no entity of the affected region ({codes}) supported or abstained"


def _percent(value: Fraction) -> str:
    return f"{float(value):.1%}"
