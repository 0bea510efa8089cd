import pytest
from django.test import Client

from partnernet.audit.selectors import history_of
from partnernet.audit.services import diff, record, snapshot
from tests.factories import EntityFactory, UserFactory, region

pytestmark = pytest.mark.django_db


def test_events_keep_who_what_and_the_field_changes() -> None:
    user = UserFactory(username="coordinator")
    entity = EntityFactory(name="Before", country=region("SE"))
    before = snapshot(entity, ["name", "country"])
    entity.name = "After"
    entity.country = region("NO")
    entity.save()
    record(
        user, "update", "update_entity_profile", entity, diff(before, snapshot(entity, ["name", "country"]))
    )
    record(None, "other", "nightly_check", entity)
    events = list(history_of(entity))
    assert [e.verb for e in events] == ["nightly_check", "update_entity_profile"]
    assert events[1].actor == user
    assert events[1].actor_label == "coordinator"
    assert events[1].changes == {"name": ["Before", "After"], "country": ["Sweden (SE)", "Norway (NO)"]}
    assert events[0].actor_label == "system"


def test_history_of_one_object_excludes_others() -> None:
    one, two = EntityFactory(), EntityFactory()
    record(None, "create", "create_entity", one)
    assert history_of(two).count() == 0
    assert history_of(one).count() == 1


@pytest.mark.django_db
def test_a_partnership_timeline_reads_as_sentences_in_the_readers_language(client: Client) -> None:
    from partnernet.partnerships.services import create_partnership, update_partnership
    from tests.factories import EntityFactory, UserFactory, ptype

    user = UserFactory(username="ana")
    partnership = create_partnership(
        user,
        {"title": "Scans", "lead": EntityFactory(), "type": ptype("glam"), "status": "active",
         "visibility": "public"},
    )  # fmt: skip
    changed = {"title": "Scans", "lead": partnership.lead, "type": ptype("glam"), "status": "paused",
               "visibility": "public"}  # fmt: skip
    update_partnership(user, partnership, changed)
    page = client.get(f"/partnerships/{partnership.key}/").content.decode()
    assert "ana recorded the partnership" in page
    assert "ana changed status" in page
