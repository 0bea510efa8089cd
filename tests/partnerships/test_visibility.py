"""Visibility is enforced by one selector and one predicate; both must agree for every role."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from partnernet.partnerships.rules import visible_partnerships
from tests.factories import EntityFactory, MembershipFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows() -> dict[str, object]:
    lead = EntityFactory(key="lead")
    supporter = EntityFactory(key="supporter")
    other = EntityFactory(key="other")
    public = PartnershipFactory(key="pub", lead=lead, visibility="public")
    movement = PartnershipFactory(key="mov", lead=lead, visibility="movement")
    private = PartnershipFactory(key="priv", lead=lead, visibility="private")
    private.supporters.add(supporter)
    return {"lead": lead, "supporter": supporter, "other": other, "rows": (public, movement, private)}


def visible_keys(user: object) -> set[str]:
    return set(
        visible_partnerships(user).filter(key__in=["pub", "mov", "priv"]).values_list("key", flat=True)
    )


def check_predicate_agrees(user: object, expected: set[str], rows: dict[str, object]) -> None:
    for partnership in rows["rows"]:  # type: ignore[attr-defined]
        assert user.has_perm("partnerships.view_partnership", partnership) == (partnership.key in expected)  # type: ignore[attr-defined]


def test_anonymous_sees_only_public(rows: dict[str, object]) -> None:
    assert visible_keys(AnonymousUser()) == {"pub"}
    check_predicate_agrees(AnonymousUser(), {"pub"}, rows)


def test_account_without_membership_sees_only_public(rows: dict[str, object]) -> None:
    user = UserFactory()
    assert visible_keys(user) == {"pub"}
    check_predicate_agrees(user, {"pub"}, rows)


def test_member_of_an_unrelated_entity_sees_movement_but_not_private(rows: dict[str, object]) -> None:
    user = MembershipFactory(entity=rows["other"]).user
    assert visible_keys(user) == {"pub", "mov"}
    check_predicate_agrees(user, {"pub", "mov"}, rows)


@pytest.mark.parametrize("party", ["lead", "supporter"])
def test_members_of_the_lead_or_a_supporter_see_private(rows: dict[str, object], party: str) -> None:
    user = MembershipFactory(entity=rows[party]).user
    assert visible_keys(user) == {"pub", "mov", "priv"}
    check_predicate_agrees(user, {"pub", "mov", "priv"}, rows)


def test_facilitator_sees_movement_but_not_private(rows: dict[str, object]) -> None:
    user = UserFactory()
    user.groups.add(Group.objects.get(name="facilitators"))
    assert visible_keys(user) == {"pub", "mov"}
    check_predicate_agrees(user, {"pub", "mov"}, rows)


def test_superuser_as_operator_sees_everything(rows: dict[str, object]) -> None:
    user = UserFactory(is_superuser=True)
    assert visible_keys(user) == {"pub", "mov", "priv"}
