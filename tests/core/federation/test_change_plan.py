"""Applying verified activities: idempotent, monotonic, and a tombstone is final."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from partnernet.core.federation.activities import Activity, Verb
from partnernet.core.federation.changes import Action, KnownVersion, plan_changes
from partnernet.core.federation.identity import GlobalId

ORIGIN = "pn-0a1b2c3d4e5f6a7b"
WHEN = datetime(2026, 11, 1, tzinfo=UTC)


def activity(sequence: int, verb: Verb = Verb.UPDATE, *, record: int = 1, kind: str = "partners") -> Activity:
    return Activity(
        verb=verb,
        actor=ORIGIN,
        sequence=sequence,
        published=WHEN,
        record=GlobalId(ORIGIN, UUID(int=record)),
        kind=kind,
        key=f"partner-{record}",
        fields=None if verb is Verb.DELETE else {"name": f"Museum v{sequence}"},
    )


def gid(record: int = 1) -> str:
    return f"{ORIGIN}:{UUID(int=record)}"


def actions(known: dict[str, KnownVersion], *activities: Activity) -> list[Action]:
    return [change.action for change in plan_changes(known, activities).changes]


def test_create_update_delete_in_one_plan() -> None:
    plan = plan_changes({}, [activity(1, Verb.CREATE), activity(2), activity(3, Verb.DELETE)])
    assert [change.action for change in plan.changes] == [Action.CREATE, Action.UPDATE, Action.DELETE]
    assert plan.versions == {gid(): KnownVersion("partners", 3, deleted=True)}


def test_replaying_a_plan_changes_nothing() -> None:
    batch = [activity(1, Verb.CREATE), activity(2, record=2), activity(3)]
    first = plan_changes({}, batch)
    second = plan_changes(first.versions, batch)
    assert [change.action for change in second.changes] == [Action.IGNORE] * 3
    assert second.versions == {}


def test_older_version_never_overwrites_a_newer_one() -> None:
    known = {gid(): KnownVersion("partners", 10)}
    plan = plan_changes(known, [activity(7)])
    assert [change.action for change in plan.changes] == [Action.IGNORE]
    assert "already at 10" in plan.changes[0].reason


def test_a_tombstone_is_never_resurrected_by_an_older_activity() -> None:
    known = {gid(): KnownVersion("partners", 5, deleted=True)}
    replays = actions(known, activity(3), activity(5, Verb.CREATE), activity(6, Verb.DELETE))
    assert replays == [Action.IGNORE] * 3


def test_a_record_published_again_after_its_tombstone_comes_back_in_full() -> None:
    known = {gid(): KnownVersion("partners", 5, deleted=True)}
    plan = plan_changes(known, [activity(7, Verb.UPDATE), activity(4, Verb.CREATE)])
    assert [change.action for change in plan.changes] == [Action.CREATE, Action.IGNORE]
    assert plan.versions == {gid(): KnownVersion("partners", 7, deleted=False)}


def test_delete_of_an_unseen_record_keeps_a_tombstone_against_late_creates() -> None:
    plan = plan_changes({}, [activity(9, Verb.DELETE), activity(4, Verb.CREATE)])
    assert [change.action for change in plan.changes] == [Action.DELETE, Action.IGNORE]
    assert plan.versions == {gid(): KnownVersion("partners", 9, deleted=True)}


def test_update_of_an_unseen_record_creates_it() -> None:
    assert actions({}, activity(4)) == [Action.CREATE]


def test_create_of_a_known_record_updates_it() -> None:
    assert actions({gid(): KnownVersion("partners", 2)}, activity(4, Verb.CREATE)) == [Action.UPDATE]


def test_activity_changing_a_records_kind_is_refused() -> None:
    plan = plan_changes({gid(): KnownVersion("entities", 2)}, [activity(4)])
    assert [change.action for change in plan.changes] == [Action.REFUSE]
    assert plan.versions == {}


@given(
    st.data(),
    st.dictionaries(
        st.integers(min_value=1, max_value=3),
        st.tuples(st.integers(min_value=1, max_value=4), st.booleans()),
        min_size=1,
        max_size=3,
    ),
)
def test_any_delivery_order_with_replays_converges(
    data: st.DataObject, records: dict[int, tuple[int, bool]]
) -> None:
    """An origin's history (updates, perhaps a final delete) delivered shuffled and repeated ends the same."""
    history: list[Activity] = []
    expected: dict[str, KnownVersion] = {}
    for record, (updates, deleted) in records.items():
        for _ in range(updates):
            history.append(activity(len(history) + 1, record=record))
        if deleted:
            history.append(activity(len(history) + 1, Verb.DELETE, record=record))
        expected[gid(record)] = KnownVersion("partners", len(history), deleted=deleted)
    replays = data.draw(st.lists(st.sampled_from(history), max_size=5))
    delivered = data.draw(st.permutations(history + replays))
    plan = plan_changes({}, delivered)
    assert plan.versions == expected
    assert all(change.action is Action.IGNORE for change in plan_changes(plan.versions, history).changes)
