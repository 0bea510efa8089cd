"""What support and the agreement process e-mail also waits in the app, with a link to what it is about."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from partnernet.notifications.models import Notification
from partnernet.support import services
from tests.factories import MembershipFactory, StewardshipFactory, UserFactory, region
from tests.framework.agreement import entity_with_admin, take_up
from tests.support.conftest import World, new_request, world

__all__ = ["world"]

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_an_offer_tells_both_sides_in_the_app(world: World) -> None:
    request = new_request(world)
    told = Notification.objects.filter(url=f"/support/r/{request.key}/")
    assert set(told.values_list("user_id", flat=True)) == {world.asker.pk, world.first_user.pk}
    assert told.first().sentence["id"] == "mail.offered.subject"  # type: ignore[union-attr]


def test_an_accepted_offer_and_an_ended_hosting_are_told_too(world: World) -> None:
    request = new_request(world)
    services.accept_offer(world.first_user, request.key)
    assert Notification.objects.filter(user=world.asker, sentence__id="mail.accepted.subject").exists()
    services.resolve_request(world.first_user, request.key, "Co-signed.")
    hosting = services.establish_hosting(world.first_user, request.key)
    services.end_hosting(world.asker, hosting.pk, "We have our own association now.")
    ended = Notification.objects.get(user=world.first_user, sentence__id="mail.hosting_ended.subject")
    assert ended.url == f"/support/entity/{world.requester.key}/"


@override_settings(TASKS=IMMEDIATE)
def test_a_proposal_that_opens_tells_the_affected_admins_in_the_app(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user, entity = entity_with_admin()
    in_cell = StewardshipFactory(region=region("SE")).entity
    steward = UserFactory(email="")
    MembershipFactory(entity=in_cell, role="admin", user=steward)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = take_up(user, entity)
    told = Notification.objects.filter(url=f"/framework/proposals/{proposal.key}")
    assert set(told.values_list("user_id", flat=True)) == {user.pk, steward.pk}
