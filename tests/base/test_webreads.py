"""The web server's SQLite connections read through a memory map (``base.webreads``); other processes' do
not, so that a bulk command's resident memory stays its own."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.backends.sqlite3.base import DatabaseWrapper

from partnernet.base import webreads


def mapped_bytes(folder: Path, blocker: Any) -> int:
    """``PRAGMA mmap_size`` of a new SQLite connection to a database file in ``folder`` (a file of its own,
    outside the test database, which ``blocker`` lets it open)."""
    wrapper = DatabaseWrapper(
        {
            **connections["default"].settings_dict,
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(folder / "reads.sqlite3"),
            "OPTIONS": {},
        },
        alias="webreads",
    )
    try:
        with blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size")
            return int(cursor.fetchone()[0])
    finally:
        wrapper.close()


@pytest.fixture
def unmapped() -> Iterator[None]:
    """No map to begin with (an earlier test may have loaded ``wsgi``); the map is left as it was found."""
    was = connection_created.disconnect(dispatch_uid=webreads.DISPATCH_UID)
    yield
    connection_created.disconnect(dispatch_uid=webreads.DISPATCH_UID)
    if was:
        webreads.map_sqlite_reads()


@pytest.mark.usefixtures("unmapped")
def test_connections_are_mapped_once_the_web_server_asks(tmp_path: Path, django_db_blocker: Any) -> None:
    assert mapped_bytes(tmp_path, django_db_blocker) == 0
    webreads.map_sqlite_reads()
    assert 0 < mapped_bytes(tmp_path, django_db_blocker) <= webreads.MMAP_BYTES


@pytest.mark.usefixtures("unmapped")
def test_loading_the_web_application_maps_its_connections(tmp_path: Path, django_db_blocker: Any) -> None:
    from partnernet import wsgi

    importlib.reload(wsgi)  # what a gunicorn worker does first
    assert mapped_bytes(tmp_path, django_db_blocker) > 0
