"""``partnernet backup`` under concurrent writes, then ``restore`` into an identical instance (issue 21).

Real processes on their own data folders: an instance with rows, a login and a token; a writer adding rows
one transaction at a time while the backup runs; the restored copy must hold the same rows as of one moment
(every row the writer committed before it, none after), the same login and token, and the same federation
key, which still verifies the feed it signs.

The round trip runs on the engine of the pass: SQLite (its online backup), and in the PostgreSQL and MariaDB
passes of ``scripts/test`` on two databases made on that server for the test (``pg_dump``/``pg_restore``,
``mariadb-dump``/``mariadb``), dropped afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.clitools import cli_env, run_cli
from tests.conftest import skip_unless_ci

pytestmark = [pytest.mark.slow, pytest.mark.mariadb]

SETUP = """
import json
import django
django.setup()
from django.contrib.auth import get_user_model
from partnernet.accounts.services import create_token
from partnernet.federation.keys import instance_key_pair
from partnernet.core.federation.signing import encode_public_key
from partnernet.base.identity import instance_id
user = get_user_model().objects.create_user("operator", "op@example.org", "a long passphrase 42")
_, secret = create_token(user, "backup test", "write")
print(json.dumps({"token": secret, "public_key": encode_public_key(instance_key_pair().public_key),
                  "instance": instance_id()}))
"""

WRITER = """
import sys, time
import django
django.setup()
from partnernet.directory.models import Entity
n = 0
while True:
    Entity.objects.create(key=f"written-{n:05d}", name=f"Written {n}", kind="other_org")
    n += 1
    time.sleep(0.01)
"""

CHECK = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from partnernet.core.federation.feed import verify_page_body
from partnernet.core.federation.signing import decode_public_key
from partnernet.directory.models import Entity
facts = json.loads(sys.argv[1])
client = Client()
with_token = client.post("/api/v1/partners", {}, content_type="application/json",
                         HTTP_AUTHORIZATION="Bearer " + facts["token"]).status_code
without = client.post("/api/v1/partners", {}, content_type="application/json").status_code
feed = client.get("/federation/feed?after=0")
key = decode_public_key(facts["public_key"])
verdict = verify_page_body(
    feed.content, origin=facts["instance"], public_key=key, cursor=0, now=timezone.now()
)
written = sorted(Entity.objects.filter(key__startswith="written-").values_list("key", flat=True))
print(json.dumps({
    "login": get_user_model().objects.get(username="operator").check_password("a long passphrase 42"),
    "with_token": with_token, "without_token": without,
    "feed_problem": None if verdict.problem is None else str(verdict.problem),
    "written": written,
}))
"""


ENGINES = {
    "postgres": ("postgresql", ("pg_dump", "pg_restore")),
    "mysql": ("mysql", ("mariadb-dump", "mariadb")),
}
"""Server engines by URL scheme: the engine a manifest names, and the client tools backup and restore use."""


def _server_database(url: str, name: str, make: bool) -> None:
    """Make (or drop) database ``name`` on the server that ``url`` points at."""
    parts = urlsplit(url)
    if parts.scheme == "postgres":
        import psycopg

        admin = url.replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as db:
            db.execute(
                f'CREATE DATABASE "{name}"' if make else f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
            )
    else:
        import pymysql

        db = pymysql.connect(
            host=parts.hostname, port=parts.port or 3306, user=parts.username or "root",
            password=parts.password or "", connect_timeout=5,
        )  # fmt: skip
        try:
            with db.cursor() as cursor:
                cursor.execute(
                    f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"
                    if make
                    else f"DROP DATABASE IF EXISTS `{name}`"
                )
        finally:
            db.close()


@pytest.fixture
def engine_urls() -> Iterator[tuple[str, str | None, str | None]]:
    """``(engine, source URL, target URL)`` on the pass's engine; ``None`` URLs mean SQLite in the folders."""
    url = os.environ.get("DATABASE_URL", "")
    scheme = urlsplit(url).scheme
    if scheme not in ENGINES:
        yield "sqlite", None, None
        return
    engine, tools = ENGINES[scheme]
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        skip_unless_ci(
            f"{', '.join(missing)} not installed (apt-get install postgresql-client mariadb-client)"
        )
    base = url.rsplit("/", 1)[0]
    names = [f"partnernet_backup_{os.getpid()}_{side}" for side in ("source", "target")]
    for name in names:
        _server_database(url, name, make=True)
    try:
        yield engine, f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        for name in names:
            _server_database(url, name, make=False)


def django_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    return {**cli_env(data_dir, database_url), "DJANGO_SETTINGS_MODULE": "partnernet.settings"}


def python(
    data_dir: Path, database_url: str | None, code: str, *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=django_env(data_dir, database_url),
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


ENTITY = "from partnernet.directory.models import Entity"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump", "mysql": "database.sql"}


def test_backup_under_writes_restores_an_identical_instance(
    tmp_path: Path, engine_urls: tuple[str, str | None, str | None]
) -> None:
    engine, source_url, target_url = engine_urls
    source, target, archive = tmp_path / "source", tmp_path / "target", tmp_path / "instance.tar.gz"
    migrated = run_cli(source, "migrate", "-v0", database_url=source_url)
    assert migrated.returncode == 0, migrated.stderr
    (source / "media" / "agreements" / "2026").mkdir(parents=True)
    (source / "media" / "agreements" / "2026" / "mou.pdf").write_bytes(b"%PDF-1.4 demo agreement")
    setup = python(source, source_url, SETUP)
    assert setup.returncode == 0, setup.stderr
    facts = json.loads(setup.stdout)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER], env=django_env(source, source_url),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        time.sleep(4)
        backed_up = run_cli(source, "backup", str(archive), database_url=source_url)
        time.sleep(1)
    finally:
        writer.terminate()
        writer.wait(timeout=30)
    assert backed_up.returncode == 0, backed_up.stderr
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert names[0] == "manifest.json"
    assert {DUMPS[engine], "files/secret_key", "files/federation-ed25519.pem"} <= set(names)
    assert "files/media/agreements/2026/mou.pdf" in names
    assert (manifest["engine"], manifest["instance"]) == (engine, facts["instance"])

    (target / "cache").mkdir(parents=True)  # counts cached before the restore, from another database
    (target / "cache" / "stale.djcache").write_bytes(b"stale")
    restored = run_cli(target, "restore", str(archive), database_url=target_url)
    assert restored.returncode == 0, restored.stderr
    assert not (target / "cache").exists()
    assert (target / "media" / "agreements" / "2026" / "mou.pdf").read_bytes() == b"%PDF-1.4 demo agreement"
    assert (target / "secret_key").read_text() == (source / "secret_key").read_text()
    checked = python(target, target_url, CHECK, json.dumps(facts))
    assert checked.returncode == 0, checked.stderr
    state = json.loads(checked.stdout)
    assert state["login"] is True
    assert (state["with_token"], state["without_token"]) == (422, 401)
    assert state["feed_problem"] is None
    written = state["written"]
    assert written, "the writer committed rows before the backup"
    assert written == [f"written-{n:05d}" for n in range(len(written))]  # one moment: no gap, no torn row
    count = "print(Entity.objects.filter(key__startswith='written-').count())"
    after = python(source, source_url, f"import django; django.setup(); {ENTITY}; {count}")
    assert int(after.stdout) > len(written)  # the writer went on after the copy

    again = run_cli(target, "restore", str(archive), database_url=target_url)
    assert again.returncode == 2
    assert "not empty" in again.stderr
    assert "Traceback" not in again.stderr


def test_restore_of_something_else_is_refused_with_exit_2(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    result = run_cli(tmp_path / "empty", "restore", str(bogus))
    assert result.returncode == 2
    assert "not a Partnernet backup" in result.stderr
    assert not (tmp_path / "empty" / "secret_key").exists()
