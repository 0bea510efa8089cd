"""Quorum rules of the agreement process: whether a proposal passed, and why not.

A rule is data (stored with each proposal, so changing the framework's default later does not change the
outcome of a proposal already open): a minimum number of participating entities, a minimum share of
support, whether an entity of the affected region must take part, and the closing time.

The rule. A proposal passes when, at closing, every condition holds:

1. Participation (hard): at least ``min_participants`` entities took part. An entity takes part by
   supporting, opposing or abstaining; abstaining is how an entity counts toward the minimum without
   weighing on the outcome.
2. Share: ``support / (support + oppose) >= min_support_share``, computed among those who took part and
   took a side (abstentions are in the participation, not in the share's denominator). The comparison is
   inclusive (two thirds of three meets a two-thirds rule) and exact, with fractions. When nobody supports
   or opposes the share is undefined and the proposal does not pass.
3. Affected region (when the rule asks for it): at least one entity of an affected region took part
   *without opposing* (support or abstain). An entity is of an affected region when one of its regions
   equals an affected code, or lies inside one according to ``covers(affected, region)`` (e.g.
   ``RegionTree.covers``); a world-wide entity is not thereby of every region. An opposing entity of the
   region does not satisfy the condition: a region's objection must not be what lets a change to that
   region through.

Why participation is hard. The movement agrees that "at least N entities took part" is a precondition of
legitimacy, not a weight: three unanimous supports do not carry a rule that asks for five participants.
The price, accepted on purpose and visible in the tests, is that an opponent who takes part can complete
the quorum: two supports fail a minimum of three, and two supports with one oppose pass a one-half share.
An opponent who wants a proposal to fail for want of participation stays away; one who takes part is
counted. What still holds: adding a support never turns a pass into a fail; adding an oppose never turns
a fail into a pass once participation was met; raising any minimum (participants, share, the region
requirement) never turns a fail into a pass; the order of the voices does not matter.
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
    opposes (None when there are neither); ``participation_met`` says whether enough entities took part.
    """

    outcome: Outcome
    passed: bool
    provisional: bool
    tally: Tally
    share: Fraction | None
    participation_met: bool
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
    decisive = tally.support + tally.oppose
    share = Fraction(tally.support, decisive) if decisive else None
    participation_met = tally.participants >= rule.min_participants
    decided = now >= rule.closes_at
    if not decided and not provisional:
        return QuorumResult(Outcome.OPEN, False, False, tally, share, participation_met, ())
    reasons: list[str] = []
    if not participation_met:
        reasons.append(
            f"only {tally.participants} of the {rule.min_participants} entities required took part"
        )
    if share is None or share < rule.min_support_share:
        reasons.append(_share_reason(rule, tally, share))
    if rule.require_affected_region:
        affected = frozenset(affected_regions)
        if not any(_of_affected_region(voice, affected, covers) for voice in voices):
            reasons.append(_region_reason(affected))
    passed = not reasons
    outcome = Outcome.PASSED if passed else Outcome.FAILED
    return QuorumResult(outcome, passed, not decided, tally, share, participation_met, tuple(reasons))


def _of_affected_region(
    voice: Voice, affected: frozenset[str], covers: Callable[[str, str], bool] | None
) -> bool:
    if voice.stance is Stance.OPPOSE:
        return False
    if voice.regions & affected:
        return True
    return covers is not None and any(covers(outer, region) for outer in affected for region in voice.regions)


def _share_reason(rule: QuorumRule, tally: Tally, share: Fraction | None) -> str:
    if share is None:
        return f"no entity supported or opposed ({tally.abstain} abstained)"
    decisive = tally.support + tally.oppose
    return (
        f"support is {tally.support} of {decisive} ({_percent(share)}),"
        f" below the required {_percent(rule.min_support_share)}"
    )


def _region_reason(affected: frozenset[str]) -> str:
    if not affected:
        return "an entity of the affected region must take part, but the proposal names no affected region"
    codes = ", ".join(sorted(affected))
    return f"no entity of the affected region ({codes}) supported or abstained"


def _percent(value: Fraction) -> str:
    return f"{float(value):.1%}"
