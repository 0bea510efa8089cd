"""Impact pages: who may record, fetch and tune the rubric; form errors next to the field."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client, override_settings

from partnernet.audit.models import AuditEvent
from partnernet.impact.models import Criterion, FetchRun, Outcome, OutcomeSource
from tests.factories import MembershipFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_party_records_an_outcome_and_a_stranger_may_not() -> None:
    partnership = PartnershipFactory(key="p1")
    member = MembershipFactory(entity=partnership.lead).user
    data = {
        "form": "outcome",
        "indicator": "participants",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "value": "12",
        "measured_on": "2025-12-31",
    }
    assert logged_in(UserFactory()).post("/impact/partnerships/p1/", data).status_code == 403
    response = logged_in(member).post("/impact/partnerships/p1/", data)
    assert response.status_code == 302
    outcome = Outcome.objects.get(partnership=partnership)
    assert (outcome.value, outcome.source) == (Decimal(12), "entered")
    assert AuditEvent.objects.filter(verb="record_outcome", actor=member).exists()


def test_bad_outcome_input_shows_errors_next_to_the_fields_and_stores_nothing() -> None:
    partnership = PartnershipFactory(key="p2")
    member = MembershipFactory(entity=partnership.lead).user
    page = logged_in(member).post(
        "/impact/partnerships/p2/",
        {
            "form": "outcome",
            "indicator": "participants",
            "period_start": "2025-06-01",
            "period_end": "2025-01-01",
            "measured_on": "2025-12-31",
        },
    )
    assert page.status_code == 200
    form = page.context["outcome_form"]
    assert "period_end" in form.errors
    assert "value" in form.errors
    assert not Outcome.objects.exists()


def test_a_source_with_a_bad_target_is_refused_with_the_connector_message() -> None:
    partnership = PartnershipFactory(key="p3")
    member = MembershipFactory(entity=partnership.lead).user
    page = logged_in(member).post(
        "/impact/partnerships/p3/",
        {"form": "source", "connector": "wikidata", "target": "Berlin", "period_start": "2025-01-01"},
    )
    assert "item ids" in page.context["source_form"].errors["target"][0]
    assert not OutcomeSource.objects.exists()


def test_private_partnership_page_is_404_for_strangers() -> None:
    PartnershipFactory(key="hidden", visibility="private")
    assert Client().get("/impact/partnerships/hidden/").status_code == 404


def test_fetch_button_queues_a_background_run_and_its_page_shows_progress() -> None:
    partnership = PartnershipFactory(key="p4")
    OutcomeSource.objects.create(
        partnership=partnership, connector="dashboard", target="campaigns/x", period_start=dt.date(2025, 1, 1)
    )
    member = MembershipFactory(entity=partnership.lead).user
    client = logged_in(member)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        response = client.post("/impact/fetch/", {"partnership": "p4"})
    run = FetchRun.objects.get()
    assert response["Location"] == f"/impact/runs/{run.pk}/"
    page = client.get(f"/impact/runs/{run.pk}/").content.decode()
    assert "<progress" in page
    assert 'hx-trigger="every 2s"' in page
    assert Client().post("/impact/fetch/", {}).status_code == 403  # fetching everything is for facilitators


def test_only_facilitators_change_rubric_weights(demo_data: None) -> None:
    criterion = Criterion.objects.get(key="weaker-entities-supported")
    url = f"/impact/rubrics/{criterion.rubric.key}/"
    assert logged_in(UserFactory()).get(url).status_code == 403
    facilitator = UserFactory()
    facilitator.groups.add(Group.objects.get_or_create(name="facilitators")[0])
    data = {f"weight-{c.pk}": str(c.weight) for c in criterion.rubric.criteria.all()}
    data[f"weight-{criterion.pk}"] = "3"
    assert logged_in(facilitator).post(url, data).status_code == 302
    criterion.refresh_from_db()
    assert criterion.weight == Decimal(3)
    assert AuditEvent.objects.filter(verb="set_criterion_weight").count() == 1


def test_evaluations_side_by_side_show_both_cases_with_sources_and_demo_label(
    demo_data: None, client: Client
) -> None:
    page = client.get("/impact/evaluations/").content.decode()
    assert "Wikidata, stewarded by Wikimedia Deutschland" in page
    assert "GLAM content-partnership tools at Wikimedia Sverige" in page
    assert "Demo judgement" in page
    assert "https://blog.wikimedia.de/2013/02/20/the-future-of-wikidata/" in page
    assert "Overall (weighted)" in page


def test_indicator_dictionary_defines_every_indicator(client: Client) -> None:
    page = client.get("/impact/indicators/").content.decode()
    for code in ("media_uploaded", "files_in_use", "page_views", "wikidata_items_created", "results"):
        assert f'id="{code}"' in page


def test_facilitator_scores_a_case_and_out_of_range_scores_are_refused(demo_data: None) -> None:
    from partnernet.impact.models import Evaluation, Score

    evaluation = Evaluation.objects.get(key="demo-eval-wmse-glam-tools")
    criterion = evaluation.rubric.criteria.get(key="sustainability")
    url = f"/impact/evaluations/{evaluation.key}/score/"
    assert Client().get(url).status_code in (302, 403)
    facilitator = UserFactory()
    facilitator.groups.add(Group.objects.get_or_create(name="facilitators")[0])
    client = logged_in(facilitator)
    data = {}
    for c in evaluation.rubric.criteria.all():
        s = Score.objects.get(evaluation=evaluation, criterion=c)
        data[f"score-{c.pk}"] = str(s.score)
        data[f"rationale-{c.pk}"] = s.rationale
    data[f"score-{criterion.pk}"] = "9"
    page = client.post(url, data)
    assert page.status_code == 200
    assert f"score-{criterion.pk}" in page.context["form"].errors
    data[f"score-{criterion.pk}"] = "2"
    assert client.post(url, data).status_code == 302
    assert Score.objects.get(evaluation=evaluation, criterion=criterion).score == 2
    assert AuditEvent.objects.filter(verb="score_evaluation").count() == 1


@pytest.mark.django_db
def test_an_impossible_year_is_ignored_on_the_page_and_refused_by_the_api(client: Client) -> None:
    assert client.get("/impact/", {"year": "20000000"}).status_code == 200
    assert client.get("/api/v1/outcomes", {"year": 20000000}).status_code == 422
