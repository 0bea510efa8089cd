"""The embedded database is configured for several processes at once (web, worker, CLI)."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.clitools import cli_env

PROBE = (
    "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
    "names = ('journal_mode', 'busy_timeout', 'foreign_keys'); "
    "print(*[c.execute('PRAGMA ' + p).fetchone()[0] for p in names])"
)


def test_sqlite_file_database_uses_wal_a_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    env = {**cli_env(tmp_path), "DJANGO_SETTINGS_MODULE": "partnernet.settings"}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["wal", "30000", "1"]
    assert (tmp_path / "partnernet.sqlite3").exists()


def test_secret_key_is_made_once_in_the_data_folder_and_private(tmp_path: Path) -> None:
    env = {**cli_env(tmp_path), "DJANGO_SETTINGS_MODULE": "partnernet.settings"}
    read = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    first = subprocess.run([sys.executable, "-c", read], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", read], env=env, capture_output=True, text=True, check=True)
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_djangos_system_checks_pass() -> None:
    """The data verbs skip Django's checks at every start (cli.UNCHECKED); here they run once, in-process."""
    from django.core.management import call_command

    call_command("check", fail_level="WARNING")


SHOW_PARALLEL = (
    "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
    "c.execute('SHOW max_parallel_workers_per_gather'); print(c.fetchone()[0])"
)


def _postgresql_url() -> str:
    """The server the PostgreSQL pass runs on, its ``postgres`` database (SHOW needs no tables)."""
    import os

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's session settings: runs in the PostgreSQL pass")
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0].split("?", 1)[0] + "/postgres"


@pytest.mark.django_db  # so that the PostgreSQL pass, which runs only database tests, runs it
def test_postgresql_sessions_make_no_parallel_plans_unless_the_url_asks(tmp_path: Path) -> None:
    """Parallel plans cost pages under load (``settings.PG_SESSION``); ``options`` in the URL still win."""
    url = _postgresql_url()

    def shown(database_url: str) -> subprocess.CompletedProcess[str]:
        env = {**cli_env(tmp_path, database_url), "DJANGO_SETTINGS_MODULE": "partnernet.settings"}
        command = [sys.executable, "-c", SHOW_PARALLEL]
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False)

    plain = shown(url)
    assert plain.stdout.split() == ["0"], plain.stderr
    asked = shown(f"{url}?options=-c%20max_parallel_workers_per_gather%3D3")
    assert asked.stdout.split() == ["3"], asked.stderr


CACHE_PROBE = (
    "import sys, django; django.setup(); from django.core.cache import cache; "
    "cache.set('probe', sys.argv[1]) if len(sys.argv) > 1 else print(cache.get('probe'))"
)


def test_the_cache_is_shared_by_every_process_of_the_instance(tmp_path: Path) -> None:
    """A count cached by one worker is read by the next (``settings.CACHES``); the folder is private."""
    env = {**cli_env(tmp_path), "DJANGO_SETTINGS_MODULE": "partnernet.settings"}
    subprocess.run([sys.executable, "-c", CACHE_PROBE, "seen"], env=env, check=True)
    read = subprocess.run(
        [sys.executable, "-c", CACHE_PROBE], env=env, capture_output=True, text=True, check=True
    )
    assert read.stdout.split() == ["seen"]
    assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700


STARTUP_PROBE = """
import sys
import django
django.setup()
late = ("ninja", "pydantic", "httpx")
print(*[name in sys.modules for name in late])
import partnernet.api.urls
from partnernet.federation.client import new_client
new_client().close()
print(*[name in sys.modules for name in late])
"""


def test_the_apps_start_without_the_api_and_http_libraries_which_load_when_used(tmp_path: Path) -> None:
    """Every process starts the apps (each ``partnernet`` command, the worker); Ninja with pydantic and httpx
    cost about 0.2 s of that and are used only by the API's URLs and by calls to peers and Wikimedia."""
    env = {**cli_env(tmp_path), "DJANGO_SETTINGS_MODULE": "partnernet.settings", "PARTNERNET_NO_WRITE": "1"}
    command = [sys.executable, "-c", STARTUP_PROBE]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["False False False", "True True True"]
