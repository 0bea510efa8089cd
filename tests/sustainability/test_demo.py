"""The demo needs, pledges and plan: labelled as demo, statuses derived, unchanged by a second run."""

from __future__ import annotations

import pytest

from partnernet.base.seeding import SeedCounts
from partnernet.sustainability.demo import load_needs_demo
from partnernet.sustainability.models import CapacityPlan, Need, Pledge
from partnernet.sustainability.planning import plan_view
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("demo_data")


def test_demo_needs_and_pledges_are_labelled_and_their_status_derived() -> None:
    needs = Need.objects.all()
    assert needs.count() == 5
    for row in [*needs, *Pledge.objects.all()]:
        assert row.is_demo
        assert row.key.startswith("demo-")
    assert all(need.title.startswith("Demo ·") for need in needs)
    status = dict(needs.values_list("key", "status"))
    assert status["demo-need-ghana-coordinator"] == "partly_met"
    assert status["demo-need-bangladesh-training"] == "met"
    assert status["demo-need-sweden-tools"] == "open"
    assert {n.visibility for n in needs} == {"public", "movement", "private"}


def test_a_second_run_changes_nothing() -> None:
    counts = SeedCounts()
    load_needs_demo(counts)
    assert (counts.created, counts.updated) == ({}, {})


def test_the_demo_plan_reads_its_progress_from_the_stewardship() -> None:
    plan = CapacityPlan.objects.get()
    view = plan_view(plan.entity, UserFactory())
    assert view.goals[0].progress.current == 1
    assert view.goals[0].progress.share == 0.0


@pytest.mark.usefixtures("db")
def test_generate_makes_demo_needs_with_derived_statuses() -> None:
    from partnernet.core.synthetic import Shape
    from partnernet.exchange.generation import generate

    counts = generate(Shape(entities=60, partnerships=50, seed=9))
    generated = Need.objects.filter(key__startswith="gen9-")
    assert generated.count() == counts.needs > 0
    assert Pledge.objects.filter(key__startswith="gen9-").count() == counts.pledges > 0
    assert all(need.is_demo and need.title.startswith("Demo ·") for need in generated)
    assert generated.filter(status="met").exists()
