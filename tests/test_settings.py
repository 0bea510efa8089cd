"""The embedded database is configured for several processes at once (web, worker, CLI)."""

import subprocess
import sys
from pathlib import Path

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
