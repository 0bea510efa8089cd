from collections import Counter

from partnernet.core.regions import RegionTree
from partnernet.core.synthetic import Generator, Shape

TREE = RegionTree.from_rows(
    [
        ("001", None, "World"),
        ("150", "001", "Europe"),
        ("154", "150", "Northern Europe"),
        ("SE", "154", "Sweden"),
        ("002", "001", "Africa"),
        ("011", "002", "Western Africa"),
        ("GH", "011", "Ghana"),
        ("NG", "011", "Nigeria"),
    ]
)


def _run(seed: int = 1) -> tuple[list, list, list, list]:
    generator = Generator(Shape(entities=300, partnerships=3000, seed=seed), TREE, ["GH", "NG", "SE"])
    entities = list(generator.entities())
    stewardships = list(generator.stewardship_rows())
    partnerships = list(generator.partnership_rows())
    requests = list(generator.request_rows())
    return entities, stewardships, partnerships, requests


def test_same_seed_gives_the_same_rows() -> None:
    assert _run(7) == _run(7)
    assert _run(7)[2] != _run(8)[2]


def test_counts_follow_the_shape_and_scale_with_entities() -> None:
    entities, stewardships, partnerships, requests = _run()
    assert (len(entities), len(partnerships)) == (300, 3000)
    assert len(stewardships) == 30
    assert len(requests) == 150


def test_leads_are_skewed_a_few_big_nodes_and_a_long_tail() -> None:
    _, _, partnerships, _ = _run()
    leads = Counter(p.lead for p in partnerships)
    top = leads.most_common(3)
    assert sum(count for _, count in top) > 0.25 * len(partnerships)
    assert len(leads) > 100


def test_supporters_never_include_the_lead_and_dates_are_ordered() -> None:
    _, _, partnerships, _ = _run()
    for partnership in partnerships:
        assert partnership.lead not in partnership.supporters
        assert partnership.end is None or partnership.end >= partnership.start


def test_routed_requests_lie_inside_their_stewardship_cell() -> None:
    _, stewardships, _, requests = _run()
    routed = [r for r in requests if r.stewardship is not None]
    assert routed
    for request in routed:
        stewardship = stewardships[request.stewardship]
        assert request.type == stewardship.type
        assert TREE.covers(stewardship.region, request.region)
        assert request.resolved is None or request.resolved >= request.created
