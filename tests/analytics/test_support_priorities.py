"""Where support matters most: open needs ranked by their effect on the network, on the page, the API and
the facilitators' dashboard."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from partnernet.analytics.priorities import PriorityFilters, support_priorities
from partnernet.sustainability import services
from tests.factories import EntityFactory, MembershipFactory, StewardshipFactory, UserFactory, ptype, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs() -> dict[str, object]:
    pillar = EntityFactory(key="pillar", name="Pillar chapter", kind="chapter")
    StewardshipFactory(entity=pillar, key="pillar-glam", type=ptype("glam"), region=region("154"))
    StewardshipFactory(entity=pillar, key="pillar-edu", type=ptype("education"), region=region("154"))
    small = EntityFactory(key="small", name="Small group")
    base = {"amount": "100", "unit": "money", "currency": "EUR", "visibility": "public"}
    sole = services.declare_need(
        None,
        pillar,
        {**base, "kind": "staff", "title": "Pillar coordinator", "stewardships": ["pillar-glam"]},
    )
    loud = services.declare_need(
        None, small, {**base, "kind": "tools", "title": "Laptops", "urgency": "critical"}
    )
    services.declare_need(None, small, {**base, "kind": "tools", "title": "Hidden", "visibility": "private"})
    return {"sole": sole, "loud": loud, "pillar": pillar}


def test_the_only_steward_of_several_cells_comes_before_an_urgent_ordinary_need(needs: dict) -> None:
    ranked = support_priorities(UserFactory())
    assert [p.need.title for p in ranked] == ["Pillar coordinator", "Laptops"]
    code, params = ranked[0].ranked.reasons[0]
    assert (code, params["cells"]) == ("only_steward", 2)


def test_filters_by_type_region_and_kind(needs: dict) -> None:
    user = UserFactory()
    assert [p.need.title for p in support_priorities(user, PriorityFilters(region="150"))] == [
        "Pillar coordinator"
    ]
    assert [p.need.title for p in support_priorities(user, PriorityFilters(type="education"))] == []
    assert [p.need.title for p in support_priorities(user, PriorityFilters(kind="tools"))] == ["Laptops"]


def test_page_and_api_rank_alike_and_never_show_a_private_need(needs: dict) -> None:
    page = Client().get("/analytics/support/").content.decode()
    assert page.index("Pillar coordinator") < page.index("Laptops")
    assert "the only steward of 2 cells" in page
    assert "Hidden" not in page
    items = Client().get("/api/v1/support-priorities").json()["items"]
    assert [item["need"] for item in items] == [needs["sole"].key, needs["loud"].key]
    assert Client().get("/api/v1/support-priorities?region=XX9").status_code == 422


def test_facilitators_see_unmet_needs_beside_single_points_of_failure(needs: dict) -> None:
    facilitator = UserFactory()
    facilitator.groups.add(Group.objects.get(name="facilitators"))
    client = Client()
    client.force_login(facilitator)
    page = client.get("/analytics/").content.decode()
    assert "unmet needs, where support matters most" in page
    assert "/needs/?status=unmet&amp;entity=pillar" in page


def test_the_entity_page_offers_its_admins_to_declare_a_need(needs: dict) -> None:
    admin = MembershipFactory(entity=needs["pillar"], role="admin").user
    client = Client()
    client.force_login(admin)
    page = client.get("/directory/entities/pillar/").content.decode()
    assert "/needs/new/?entity=pillar" in page
    assert "Pillar coordinator" in page
    assert "/needs/new/?entity=pillar" not in Client().get("/directory/entities/pillar/").content.decode()


def test_an_alert_on_the_dashboard_links_the_entitys_admin_to_declare_a_need(needs: dict) -> None:
    admin = MembershipFactory(entity=needs["pillar"], role="admin").user  # one person behind a lead role
    client = Client()
    client.force_login(admin)
    page = client.get("/analytics/").content.decode()
    assert "one person behind a lead role" in page
    assert "/needs/new/?entity=pillar" in page
