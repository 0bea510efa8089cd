"""Response time is measured from the support workflow's timeline: offer → the same steward's answer."""

import datetime as dt

import pytest
from django.utils import timezone

from partnernet.analytics.selectors import network_data
from partnernet.analytics.sustainability import response_days_by_steward, sustainability
from partnernet.support.models import EventKind, RequestEvent
from tests.factories import EntityFactory, StewardshipFactory, SupportRequestFactory

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0))


def event(request, kind: str, steward, days: float) -> None:  # type: ignore[no-untyped-def]
    RequestEvent.objects.create(
        request=request, kind=kind, status=kind, steward=steward, at=T0 + dt.timedelta(days=days)
    )


def test_offer_to_answer_days_per_steward_and_unanswered_offers_ignored() -> None:
    slow, quick = EntityFactory(key="slow-steward"), EntityFactory(key="quick-steward")
    first = SupportRequestFactory(key="first")
    event(first, EventKind.OFFERED, slow, 0)
    event(first, EventKind.DECLINED, slow, 12)
    event(first, EventKind.OFFERED, quick, 12)
    event(first, EventKind.ACCEPTED, quick, 13.5)
    waiting = SupportRequestFactory(key="waiting")
    event(waiting, EventKind.OFFERED, slow, 0)
    assert response_days_by_steward() == {slow.pk: [12.0], quick.pk: [1.5]}
    assert response_days_by_steward([quick.pk]) == {quick.pk: [1.5]}


def test_slow_answers_raise_the_slow_responses_alert() -> None:
    steward = EntityFactory(key="late-steward", kind="chapter")
    StewardshipFactory(entity=steward, response_days=7)
    for n in range(3):
        request = SupportRequestFactory(key=f"late-{n}")
        event(request, EventKind.OFFERED, steward, 0)
        event(request, EventKind.ACCEPTED, steward, 20)
    figures = sustainability(network_data())["late-steward"].to_json()
    assert figures["median_response_days"] == 20.0
    assert "slow_responses" in figures["alerts"]


def test_a_suggestion_links_to_a_prefilled_proposal_form(client) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Group

    from tests.factories import MembershipFactory

    user = MembershipFactory(role="admin").user
    user.groups.add(Group.objects.get(name="facilitators"))
    client.force_login(user)
    page = client.get("/analytics/suggestions/glam/154/").content.decode()
    assert "/framework/proposals/new/?kind=take_up&amp;type=glam&amp;region=154&amp;level=lead" in page
    form = client.get("/framework/proposals/new/", {"kind": "take_up", "type": "glam", "region": "154"})
    # The pickers show the prefilled cell by name and keep its key for the form.
    assert 'data-key="glam"' in form.content.decode()
    assert 'data-key="154"' in form.content.decode()
    assert 'value="Northern Europe"' in form.content.decode()


def test_timed_out_offers_count_as_slow_responses() -> None:
    steward = EntityFactory(key="silent-steward", kind="chapter")
    StewardshipFactory(entity=steward, response_days=7)
    quick = SupportRequestFactory(key="answered")
    event(quick, EventKind.OFFERED, steward, 0)
    event(quick, EventKind.ACCEPTED, steward, 1)
    for n in range(2):
        request = SupportRequestFactory(key=f"silent-{n}")
        event(request, EventKind.OFFERED, steward, 0)
        event(request, EventKind.TIMED_OUT, steward, 7)
    figures = sustainability(network_data())["silent-steward"].to_json()
    assert figures["timed_out_offers"] == 2
    assert figures["median_response_days"] == 7.0
    assert "slow_responses" in figures["alerts"]
    assert response_days_by_steward() == {steward.pk: [1.0]}
