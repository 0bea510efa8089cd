"""The instance key lives in a private file of the data folder; sync runs as a self-scheduling task."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from partnernet.federation import keys
from partnernet.federation.models import InstanceKey
from partnernet.federation.tasks import schedule_sync, sync_federation

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_key(settings: Settings, tmp_path: Path) -> Path:
    """A key file of its own for the test, on an instance that has published no key yet."""
    settings.FEDERATION_KEY_FILE = tmp_path / "key.pem"
    InstanceKey.objects.all().delete()
    return tmp_path / "key.pem"


def test_the_key_file_is_made_once_readable_only_by_the_instance(fresh_key: Path, tmp_path: Path) -> None:
    first = keys.instance_key_pair()
    assert stat.S_IMODE((tmp_path / "key.pem").stat().st_mode) == 0o600
    keys._cache.clear()
    assert keys.instance_key_pair() == first
    assert list(tmp_path.iterdir()) == [tmp_path / "key.pem"]


def test_a_key_file_others_may_read_is_refused(fresh_key: Path, tmp_path: Path) -> None:
    keys.instance_key_pair()
    keys._cache.clear()
    os.chmod(tmp_path / "key.pem", 0o644)
    with pytest.raises(ImproperlyConfigured, match="chmod 600"):
        keys.instance_key_pair()


def test_sync_task_schedules_exactly_one_next_run() -> None:
    result = sync_federation.call()
    assert result == {"peers": 0, "failed": 0, "delivered": 0}
    waiting = DBTaskResult.objects.filter(task_path=sync_federation.module_path, status="READY")
    assert waiting.count() == 1
    schedule_sync()
    assert waiting.count() == 1


def test_a_lost_key_is_not_made_again_silently_only_on_the_operators_command(
    fresh_key: Path, client: Client
) -> None:
    first = keys.instance_key_pair()
    keys._cache.clear()
    fresh_key.unlink()
    with pytest.raises(keys.KeyLost, match="federation key replace"):
        keys.instance_key_pair()
    for path in ("/.well-known/partnernet", "/federation/feed"):
        refused = client.get(path)
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "unavailable"
    assert not fresh_key.exists()
    replaced = keys.replace_lost_key()
    assert replaced != first
    keys._cache.clear()
    assert keys.instance_key_pair() == replaced
    assert list(InstanceKey.objects.values_list("reason", flat=True)) == ["first", "replaced"]
    with pytest.raises(ImproperlyConfigured, match="not lost"):
        keys.replace_lost_key()


def test_rotating_the_key_publishes_a_statement_and_signs_the_feed_again(
    fresh_key: Path, client: Client
) -> None:
    from partnernet.core.federation.activities import ACTIVITY_PURPOSE
    from partnernet.core.federation.canonical import parse_json
    from partnernet.core.federation.identity import read_well_known, well_known_rotations
    from partnernet.core.federation.rotation import follow_rotations
    from partnernet.core.federation.signing import check_document_signature
    from partnernet.federation.models import FeedEvent
    from tests.factories import EntityFactory

    old = keys.instance_key_pair()
    EntityFactory()
    call_command("federation", "key", "rotate")
    new = keys.instance_key_pair()
    assert new != old
    document = client.get("/.well-known/partnernet").json()
    identity = read_well_known(document, expected_fingerprint=new.fingerprint)
    chain = follow_rotations(
        old.public_key, identity.public_key, well_known_rotations(document), instance=identity.instance
    )
    assert chain == [old.public_key, new.public_key]
    for event in FeedEvent.objects.all():
        signed = parse_json(event.document.encode())
        assert isinstance(signed, dict)
        assert check_document_signature(signed, ACTIVITY_PURPOSE, new.public_key) is None
