import pytest

from partnernet.core.regions import RegionTree


@pytest.fixture
def tree() -> RegionTree:
    return RegionTree.from_rows(
        [
            ("001", None, "World"),
            ("150", "001", "Europe"),
            ("154", "150", "Northern Europe"),
            ("SE", "154", "Sweden"),
            ("NO", "154", "Norway"),
            ("002", "001", "Africa"),
            ("202", "002", "Sub-Saharan Africa"),
            ("011", "202", "Western Africa"),
            ("GH", "011", "Ghana"),
        ]
    )


def test_chain_runs_from_region_up_to_the_world(tree: RegionTree) -> None:
    assert tree.chain("GH") == ("GH", "011", "202", "002", "001")
    assert tree.chain("001") == ("001",)


def test_region_covers_itself_and_everything_inside_it(tree: RegionTree) -> None:
    assert tree.covers("150", "SE")
    assert tree.covers("SE", "SE")
    assert tree.covers("001", "GH")
    assert not tree.covers("154", "GH")
    assert not tree.covers("SE", "154")


def test_steps_up_is_none_when_outer_does_not_contain(tree: RegionTree) -> None:
    assert tree.steps_up("SE", "154") == 1
    assert tree.steps_up("SE", "001") == 3
    assert tree.steps_up("SE", "002") is None


def test_distance_goes_through_the_nearest_common_ancestor(tree: RegionTree) -> None:
    assert tree.distance("SE", "NO") == 2
    assert tree.distance("SE", "GH") == 7
    assert tree.distance("GH", "GH") == 0


def test_descendants_include_the_region_itself(tree: RegionTree) -> None:
    assert tree.descendants("154") == {"154", "SE", "NO"}


def test_unknown_code_raises_key_error(tree: RegionTree) -> None:
    with pytest.raises(KeyError):
        tree.chain("XX")


def test_cycle_in_parents_fails_loudly() -> None:
    broken = RegionTree(parents={"A": "B", "B": "A"})
    with pytest.raises(ValueError, match="cycle"):
        broken.chain("A")
