"""The network and its report are reused while nothing they read changes, and read afresh after any write
(``analytics/memo.py``): a created, updated or deleted row, a new supporter, a resolved request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partnernet.analytics.memo import current_network, network_version
from partnernet.base.versions import forget
from tests.factories import EntityFactory, PartnershipFactory, StewardshipFactory, SupportRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh() -> None:
    forget()


def test_the_same_version_reuses_the_network() -> None:
    PartnershipFactory().supporters.add(EntityFactory())
    version, data = current_network()
    with CaptureQueriesContext(connection) as queries:
        again_version, again = current_network()
    assert again is data
    assert again_version == version
    assert len(queries) == len(network_version_queries())


def network_version_queries() -> list[object]:
    with CaptureQueriesContext(connection) as queries:
        network_version()
    return list(queries)


@pytest.mark.parametrize(
    "change",
    ["new partnership", "new supporter", "renamed entity", "resolved request", "deleted partnership"],
)
def test_any_write_moves_the_version_and_the_network_is_read_again(change: str) -> None:
    lead, other = EntityFactory(), EntityFactory()
    partnership = PartnershipFactory(lead=lead)
    steward = StewardshipFactory(entity=other)
    request = SupportRequestFactory(requester=lead, steward=other, stewardship=steward, status="accepted")
    before, data = current_network()
    if change == "new partnership":
        PartnershipFactory(lead=other)
    elif change == "new supporter":
        partnership.supporters.add(other)
    elif change == "renamed entity":
        other.name = "Renamed"
        other.save()
    elif change == "resolved request":
        request.status = "resolved"
        request.save()
    else:
        partnership.delete()
    after, fresh = current_network()
    assert after != before
    assert fresh is not data


def test_the_dashboard_shows_a_supporter_added_after_it_was_seen(client: Client) -> None:
    lead = EntityFactory(key="memo-lead", name="Memo lead chapter")
    partnership = PartnershipFactory(lead=lead)
    first = client.get("/analytics/").content.decode()
    newcomer = EntityFactory(key="memo-newcomer", name="Memo newcomer group")
    partnership.supporters.add(newcomer)
    second = client.get("/analytics/").content.decode()
    assert "memo-newcomer" not in first
    assert "memo-newcomer" in second
