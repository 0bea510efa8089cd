"""Quorum rules: examples, monotonicity properties, and a brute-force baseline of the plain rule."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.core.quorum import Outcome, QuorumResult, QuorumRule, Stance, Voice, evaluate

CLOSES = datetime(2026, 12, 1, tzinfo=UTC)
AFTER = CLOSES + timedelta(seconds=1)
TWO_THIRDS = QuorumRule(min_participants=3, min_support_share=Fraction(2, 3), closes_at=CLOSES)
PARENTS = {"GH": "011", "NG": "011", "011": "202", "202": "002", "SE": "154", "154": "150", "150": "001"}


def covers(outer: str, inner: str) -> bool:
    """A small M49 chain: is ``inner`` equal to or inside ``outer``?"""
    while inner != outer and inner in PARENTS:
        inner = PARENTS[inner]
    return inner == outer


def voices(*stances: Stance, regions: frozenset[str] = frozenset()) -> list[Voice]:
    return [Voice(f"entity-{index}", stance, regions) for index, stance in enumerate(stances)]


YES, NO, ABSTAIN = Stance.SUPPORT, Stance.OPPOSE, Stance.ABSTAIN


def test_two_thirds_met_exactly_passes() -> None:
    result = evaluate(TWO_THIRDS, voices(YES, YES, NO), now=AFTER)
    assert result.outcome is Outcome.PASSED
    assert result.passed
    tally = result.tally
    assert (tally.support, tally.oppose, tally.abstain, tally.participants) == (2, 1, 0, 3)
    assert result.share == Fraction(2, 3)
    assert result.reasons == ()


def test_abstentions_count_toward_participation_but_not_in_the_share() -> None:
    result = evaluate(TWO_THIRDS, voices(YES, YES, NO, ABSTAIN, ABSTAIN), now=AFTER)
    assert result.passed
    assert result.tally.participants == 5
    assert result.share == Fraction(2, 3)


def test_share_below_the_minimum_fails_with_a_reason() -> None:
    result = evaluate(TWO_THIRDS, voices(YES, NO, NO, ABSTAIN), now=AFTER)
    assert result.outcome is Outcome.FAILED
    assert result.reasons == ("support is 1 of 3 (33.3%), below the required 66.7%",)


def test_minimum_participation_is_a_hard_condition() -> None:
    rule = replace(TWO_THIRDS, min_participants=5)
    result = evaluate(rule, voices(YES, YES, YES), now=AFTER)
    assert not result.passed
    assert not result.participation_met
    assert result.share == 1
    assert result.reasons == ("only 3 of the 5 entities required took part",)
    assert not evaluate(rule, voices(YES, YES, YES, YES), now=AFTER).passed
    assert evaluate(rule, voices(YES, YES, YES, YES, YES), now=AFTER).passed


def test_abstentions_complete_participation_without_weighing_on_the_share() -> None:
    rule = replace(TWO_THIRDS, min_participants=5)
    result = evaluate(rule, voices(YES, YES, YES, ABSTAIN, ABSTAIN), now=AFTER)
    assert result.passed
    assert result.share == 1


def test_share_is_computed_among_those_who_took_part() -> None:
    rule = replace(TWO_THIRDS, min_participants=5)
    assert not evaluate(rule, voices(YES, YES, YES, NO, NO), now=AFTER).passed
    assert evaluate(rule, voices(YES, YES, YES, YES, NO), now=AFTER).passed


def test_an_opponent_who_takes_part_completes_the_quorum() -> None:
    """The accepted price of a hard minimum: taking part counts, whatever the stance."""
    rule = QuorumRule(min_participants=3, min_support_share=Fraction(1, 2), closes_at=CLOSES)
    assert not evaluate(rule, voices(YES, YES), now=AFTER).passed
    assert evaluate(rule, voices(YES, YES, NO), now=AFTER).passed
    assert not evaluate(rule, voices(YES, NO, NO), now=AFTER).passed


def test_all_abstaining_does_not_pass() -> None:
    result = evaluate(TWO_THIRDS, voices(ABSTAIN, ABSTAIN, ABSTAIN), now=AFTER)
    assert not result.passed
    assert result.share is None
    assert result.reasons == ("no entity supported or opposed (3 abstained)",)


def test_nobody_taking_part_fails() -> None:
    result = evaluate(TWO_THIRDS, [], now=AFTER)
    assert not result.passed
    assert result.tally.participants == 0


def test_before_closing_the_proposal_is_open() -> None:
    result = evaluate(TWO_THIRDS, voices(YES, YES, YES), now=CLOSES - timedelta(hours=1))
    assert result.outcome is Outcome.OPEN
    assert not result.passed
    assert not result.provisional
    assert result.tally.support == 3
    assert result.reasons == ()


def test_provisional_evaluation_before_closing() -> None:
    result = evaluate(TWO_THIRDS, voices(YES, YES, YES), now=CLOSES - timedelta(hours=1), provisional=True)
    assert (result.outcome, result.passed, result.provisional) == (Outcome.PASSED, True, True)
    assert not evaluate(TWO_THIRDS, voices(YES, YES, YES), now=CLOSES, provisional=True).provisional


def test_closing_time_itself_is_closed() -> None:
    assert evaluate(TWO_THIRDS, voices(YES, YES, YES), now=CLOSES).outcome is Outcome.PASSED


def test_affected_region_must_take_part_without_opposing() -> None:
    rule = replace(TWO_THIRDS, require_affected_region=True)
    ghana = frozenset({"GH"})
    others = voices(YES, YES, YES, regions=frozenset({"SE"}))
    failed = evaluate(rule, others, now=AFTER, affected_regions={"GH"})
    assert failed.reasons == ("no entity of the affected region (GH) supported or abstained",)
    assert evaluate(rule, [*others, Voice("wmgh", ABSTAIN, ghana)], now=AFTER, affected_regions={"GH"}).passed
    assert not evaluate(rule, [*others, Voice("wmgh", NO, ghana)], now=AFTER, affected_regions={"GH"}).passed


def test_affected_region_hierarchy_through_covers() -> None:
    rule = replace(TWO_THIRDS, require_affected_region=True)
    base = voices(YES, YES, YES, regions=frozenset({"SE"}))
    in_ghana = Voice("wmgh", YES, frozenset({"GH"}))
    world = Voice("wmf", YES, frozenset({"001"}))
    assert evaluate(rule, [*base, in_ghana], now=AFTER, affected_regions={"011"}, covers=covers).passed
    assert not evaluate(rule, [*base, in_ghana], now=AFTER, affected_regions={"011"}).passed
    assert not evaluate(rule, [*base, world], now=AFTER, affected_regions={"GH"}, covers=covers).passed


def test_required_region_without_affected_regions_fails_and_says_so() -> None:
    rule = replace(TWO_THIRDS, require_affected_region=True)
    result = evaluate(rule, voices(YES, YES, YES, regions=frozenset({"SE"})), now=AFTER)
    assert "names no affected region" in result.reasons[0]


def test_every_failed_condition_has_a_reason() -> None:
    rule = replace(TWO_THIRDS, require_affected_region=True)
    assert len(evaluate(rule, voices(NO, NO, NO), now=AFTER, affected_regions={"GH"}).reasons) == 2


def test_two_voices_of_one_entity_are_refused() -> None:
    with pytest.raises(ValueError, match="more than one voice"):
        evaluate(TWO_THIRDS, [Voice("wmse", YES), Voice("wmse", NO)], now=AFTER)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_participants": 0}, "at least one"),
        ({"min_support_share": Fraction(0)}, r"\(0, 1\]"),
        ({"min_support_share": Fraction(3, 2)}, r"\(0, 1\]"),
        ({"closes_at": datetime(2026, 12, 1)}, "timezone-aware"),
    ],
)
def test_rule_rejects_nonsense(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        replace(TWO_THIRDS, **changes)


CODES = ["GH", "NG", "011", "SE", "150"]
region_sets = st.frozensets(st.sampled_from(CODES), max_size=2)


@dataclass(frozen=True)
class Case:
    rule: QuorumRule
    voices: list[Voice]
    affected: frozenset[str]

    def result(self, *, rule: QuorumRule | None = None, extra: Voice | None = None) -> QuorumResult:
        given_voices = self.voices if extra is None else [*self.voices, extra]
        return evaluate(
            rule or self.rule, given_voices, now=AFTER, affected_regions=self.affected, covers=covers
        )


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """Voices and a rule whose minimum lies near their number, where participation decides outcomes."""
    given_voices = draw(
        st.lists(
            st.builds(Voice, st.text("abcdef", min_size=1, max_size=3), st.sampled_from(Stance), region_sets),
            max_size=8,
            unique_by=lambda voice: voice.entity,
        )
    )
    rule = QuorumRule(
        min_participants=draw(st.integers(max(1, len(given_voices) - 1), len(given_voices) + 2)),
        min_support_share=Fraction(draw(st.integers(1, 6)), 6),
        closes_at=CLOSES,
        require_affected_region=draw(st.booleans()),
    )
    return Case(rule, given_voices, draw(st.frozensets(st.sampled_from(CODES), max_size=2)))


@given(cases(), region_sets)
def test_adding_a_support_never_turns_a_pass_into_a_fail(case: Case, regions: frozenset[str]) -> None:
    if case.result().passed:
        assert case.result(extra=Voice("newcomer", YES, regions)).passed


@given(cases(), region_sets)
def test_adding_an_oppose_never_turns_a_fail_into_a_pass_once_participation_was_met(
    case: Case, regions: frozenset[str]
) -> None:
    before = case.result()
    if before.participation_met and not before.passed:
        assert not case.result(extra=Voice("newcomer", NO, regions)).passed


@given(cases(), region_sets)
def test_adding_an_oppose_can_only_pass_by_completing_participation(
    case: Case, regions: frozenset[str]
) -> None:
    """Without the participation condition an oppose never helps: a pass after one must have completed it."""
    before = case.result()
    after = case.result(extra=Voice("newcomer", NO, regions))
    if after.passed and not before.passed:
        assert not before.participation_met
        assert before.tally.participants + 1 == case.rule.min_participants


@given(cases(), region_sets)
def test_an_opposing_entity_of_the_region_never_satisfies_the_region_condition(
    case: Case, regions: frozenset[str]
) -> None:
    rule = replace(case.rule, require_affected_region=True)
    before = case.result(rule=rule)
    after = case.result(rule=rule, extra=Voice("newcomer", NO, regions))
    region_reason = [reason for reason in before.reasons if "affected region" in reason]
    assert region_reason == [reason for reason in after.reasons if "affected region" in reason]


@given(cases(), st.integers(min_value=0, max_value=3), st.integers(0, 5), st.booleans())
def test_raising_the_minimums_never_turns_a_fail_into_a_pass(
    case: Case, more_people: int, more_share: int, require_region: bool
) -> None:
    stricter = replace(
        case.rule,
        min_participants=case.rule.min_participants + more_people,
        min_support_share=min(Fraction(1), case.rule.min_support_share + Fraction(more_share, 6)),
        require_affected_region=case.rule.require_affected_region or require_region,
    )
    if not case.result().passed:
        assert not case.result(rule=stricter).passed


@given(cases(), st.data())
def test_order_of_voices_does_not_matter(case: Case, data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(case.voices))
    assert replace(case, voices=shuffled).result() == case.result()


@given(cases())
def test_matches_a_brute_force_reading_of_the_rule(case: Case) -> None:
    """Baseline: enough entities took part, support among supports and opposes met, region present."""
    rule = case.rule
    support = oppose = abstain = 0
    for voice in case.voices:
        if voice.stance is YES:
            support += 1
        elif voice.stance is NO:
            oppose += 1
        else:
            abstain += 1
    expected = (
        support + oppose + abstain >= rule.min_participants
        and support + oppose > 0
        and support * rule.min_support_share.denominator
        >= rule.min_support_share.numerator * (support + oppose)
    )
    if rule.require_affected_region:
        expected = expected and any(
            voice.stance is not NO and any(covers(a, r) for a in case.affected for r in voice.regions)
            for voice in case.voices
        )
    assert case.result().passed == expected
