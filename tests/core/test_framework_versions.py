"""Snapshot differences: additions, removals and field changes, and diffing is consistent both ways."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from partnernet.core.framework_versions import Change, ChangeKind, diff_snapshots


def test_additions_removals_and_changes_by_section_and_key() -> None:
    before = {
        "themes": {
            "climate": {"name": "Climate", "active": True},
            "sports": {"name": "Sports", "active": True},
        },
        "types": {"glam": {"name": "GLAM", "active": True}},
    }
    after = {
        "themes": {"climate": {"name": "Climate and environment", "active": True}},
        "types": {"glam": {"name": "GLAM", "active": True}, "games": {"name": "Games", "active": True}},
    }
    assert diff_snapshots(before, after) == [
        Change("themes", "climate", ChangeKind.CHANGED, (("name", "Climate", "Climate and environment"),)),
        Change("themes", "sports", ChangeKind.REMOVED),
        Change("types", "games", ChangeKind.ADDED),
    ]


rows = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d"]),
    st.fixed_dictionaries({"name": st.sampled_from(["x", "y"]), "active": st.booleans()}),
)
snapshots = st.fixed_dictionaries({"types": rows, "themes": rows})


@given(snapshots, snapshots)
def test_diff_is_empty_exactly_when_equal_and_mirrors_when_reversed(one: dict, two: dict) -> None:
    forward, backward = diff_snapshots(one, two), diff_snapshots(two, one)
    assert (forward == []) == (one == two)
    flip = {ChangeKind.ADDED: ChangeKind.REMOVED, ChangeKind.REMOVED: ChangeKind.ADDED}
    assert [(c.section, c.key, flip.get(c.kind, c.kind)) for c in forward] == [
        (c.section, c.key, c.kind) for c in backward
    ]
