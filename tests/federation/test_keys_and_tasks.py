"""The instance key lives in a private file of the data folder; sync runs as a self-scheduling task."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
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


def test_a_lost_key_is_not_made_again_silently_only_on_the_operators_command(fresh_key: Path) -> None:
    first = keys.instance_key_pair()
    keys._cache.clear()
    fresh_key.unlink()
    with pytest.raises(keys.KeyLost, match="federation key replace"):
        keys.instance_key_pair()
    assert not fresh_key.exists()
    replaced = keys.replace_lost_key()
    assert replaced != first
    keys._cache.clear()
    assert keys.instance_key_pair() == replaced
    assert list(InstanceKey.objects.values_list("reason", flat=True)) == ["first", "replaced"]
    with pytest.raises(ImproperlyConfigured, match="not lost"):
        keys.replace_lost_key()
