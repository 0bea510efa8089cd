"""The two case studies the model names: a source for every fact, scores labelled as demo judgements."""

import pytest
from django.core.management import call_command

from partnernet.impact.models import Evaluation, EvaluationFact, Outcome, Score
from partnernet.impact.selectors import overall_score

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("demo_data")
def test_both_cases_are_loaded_with_sourced_facts_and_labelled_scores() -> None:
    cases = {e.steward.key: e for e in Evaluation.objects.select_related("steward")}
    assert set(cases) == {"wikimedia-germany", "wikimedia-sweden"}
    for evaluation in cases.values():
        assert evaluation.is_demo
        assert evaluation.title.startswith("Demo ·")
        assert evaluation.facts.count() >= 5
        assert all(f.source_url.startswith("http") for f in evaluation.facts.all())
        assert evaluation.scores.count() == 5
        assert all("Demo judgement" in s.rationale for s in evaluation.scores.all())
        assert overall_score(evaluation) is not None
    assert cases["wikimedia-germany"].partnerships.get().partners.get().name.startswith("Bundesarchiv")


@pytest.mark.usefixtures("demo_data")
def test_the_real_bundesarchiv_figure_is_sourced_and_not_demo() -> None:
    figure = Outcome.objects.get(key="bundesarchiv-2008-media-uploaded")
    assert not figure.is_demo
    assert figure.source_url.startswith("https://lists.wikimedia.org/")
    assert all(o.note.startswith("Demo ·") for o in Outcome.objects.filter(is_demo=True))


def test_seeding_the_demo_twice_changes_no_impact_row() -> None:
    call_command("seed", demo=True, verbosity=0)
    before = (
        Evaluation.objects.count(),
        EvaluationFact.objects.count(),
        Score.objects.count(),
        Outcome.objects.count(),
    )
    stamps = list(Outcome.objects.order_by("pk").values_list("updated_at", flat=True))
    call_command("seed", demo=True, verbosity=0)
    assert (
        Evaluation.objects.count(),
        EvaluationFact.objects.count(),
        Score.objects.count(),
        Outcome.objects.count(),
    ) == before
    assert list(Outcome.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
