"""A filter selecting few rows has its page found from them and then sorted (``selectors.FewRows``): the
pages are the queryset's, in every order, and PostgreSQL's registry takes that path when the counts say so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from partnernet.partnerships import search_rows
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.row_reads import FewRows
from partnernet.partnerships.rules import visible_partnerships
from partnernet.partnerships.selectors import SORTS, registry_page_rows
from tests.factories import MembershipFactory, PartnershipFactory, ptype

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows() -> list[Partnership]:
    """Fourteen research partnerships with shared dates, shared titles and no date at all, and two of
    another type that the filter leaves out."""
    made = [
        PartnershipFactory(
            title=f"Survey {n % 4}",
            start=None if n % 5 == 0 else dt.date(2010 + n % 3, 1 + n % 2, 1),
            type=ptype("research"),
        )
        for n in range(14)
    ]
    PartnershipFactory(title="Gallery week", type=ptype("glam"))
    PartnershipFactory(title="Gallery month", type=ptype("glam"))
    return made


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_few_rows_give_the_querysets_pages_in_every_order(rows: list[Partnership], sort: str) -> None:
    research = Partnership.objects.filter(type__key="research")
    expected = [p.pk for p in registry_page_rows(research, sort)]
    assert len(expected) == 14
    few = FewRows(research, SORTS[sort])
    assert len(few) == 14
    assert [p.pk for window in (slice(0, 5), slice(5, 10), slice(10, 15)) for p in few[window]] == expected
    assert [p.title for p in few[0:3]] == [p.title for p in registry_page_rows(research, sort)[:3]]


def test_the_registry_finds_few_rows_first_on_postgresql(
    client: Client, rows: list[Partnership], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = reverse("partnerships:registry")
    found = client.get(url, {"type": "research", "sort": "title"}).context["page"]
    walked = FewRows if connection.vendor == "postgresql" else type(Partnership.objects.all())
    assert isinstance(found.paginator.object_list.rows, walked)
    monkeypatch.setattr(search_rows, "FEW_ROWS", 13)  # fourteen rows are no longer few
    plain = client.get(url, {"type": "research", "sort": "title"}).context["page"]
    assert not isinstance(plain.paginator.object_list.rows, FewRows)
    assert [p.pk for p in found.object_list] == [p.pk for p in plain.object_list]
    assert found.paginator.count == plain.paginator.count == 14


def test_few_rows_of_a_members_view_and_of_nothing(rows: list[Partnership]) -> None:
    """A member's view adds its own entity's private rows through a subquery (its parameters come first);
    a filter that can match nothing, or a window past the end, is an empty page, not an error."""
    membership = MembershipFactory()
    own = PartnershipFactory(
        title="Survey 9", visibility="private", lead=membership.entity, type=ptype("research")
    )
    seen = visible_partnerships(membership.user).filter(type__key="research")
    few = FewRows(seen, SORTS["-title"])
    assert [p.pk for p in few[0:20]] == [p.pk for p in registry_page_rows(seen, "-title")]
    assert own.pk in [p.pk for p in few[0:20]]
    assert FewRows(Partnership.objects.none(), SORTS["title"])[0:50] == []
    assert len(FewRows(Partnership.objects.none(), SORTS["title"])) == 0
    assert FewRows(seen, SORTS["title"])[40:None] == []
