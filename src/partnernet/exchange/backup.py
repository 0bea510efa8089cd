"""``partnernet backup FILE`` and ``partnernet restore FILE`` (FORMATS.md): one archive of an instance.

The archive is a gzipped tar with ``manifest.json`` first, then the database copy, then the files of the
data folder that make the instance itself: the secret key, the federation key and the uploads. The database
copy is consistent while the server and worker keep writing: SQLite's online backup API copies one snapshot
(WAL readers do not block writers), ``pg_dump`` reads one transaction snapshot, ``mariadb-dump
--single-transaction`` likewise. Restore goes only into an empty database of the same engine and an empty
data folder; anything else is the operator's mistake (``BackupRefused``, exit 2), so nothing is ever
overwritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from partnernet.base.identity import instance_id

FORMAT = "partnernet-backup"
VERSION = 1
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump", "mysql": "database.sql"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mysql": "MariaDB"}


class BackupRefused(Exception):
    """The operator asked for something that cannot be done safely (exit 2): nothing was written."""


class BackupFailed(Exception):
    """A tool or the database failed (exit 1)."""


@dataclass(frozen=True)
class InstanceFile:
    """A file of the data folder that belongs in a backup, by its name in the archive."""

    name: str
    path: Path


def instance_files() -> list[InstanceFile]:
    files = [
        InstanceFile("files/secret_key", Path(settings.DATA_DIR) / "secret_key"),
        InstanceFile(f"files/{Path(settings.FEDERATION_KEY_FILE).name}", Path(settings.FEDERATION_KEY_FILE)),
    ]
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        files += [
            InstanceFile(f"files/media/{path.relative_to(media).as_posix()}", path)
            for path in sorted(media.rglob("*"))
            if path.is_file()
        ]
    return [item for item in files if item.path.is_file()]


def _config() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(
            f"'{name}' is not installed (Debian: apt-get install postgresql-client mariadb-client)"
        )
    return found


def _run(args: list[str], env: dict[str, str] | None = None, stdin: Any = None, stdout: Any = None) -> None:
    result = subprocess.run(
        args,
        env={**os.environ, **(env or {})},
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BackupFailed(f"{Path(args[0]).name} failed: {message[0] if message else result.returncode}")


@contextmanager
def _mariadb_options(config: dict[str, Any]) -> Iterator[list[str]]:
    """Connection options for the MariaDB tools; the password goes in a private option file, never argv."""
    with tempfile.NamedTemporaryFile("w", suffix=".cnf", delete=False) as handle:
        handle.write(f"[client]\npassword={config.get('PASSWORD') or ''}\n")
        option_file = handle.name
    os.chmod(option_file, 0o600)
    try:
        yield [
            f"--defaults-extra-file={option_file}",
            f"--host={config.get('HOST') or '127.0.0.1'}",
            f"--port={config.get('PORT') or 3306}",
            f"--user={config.get('USER') or 'root'}",
        ]
    finally:
        os.unlink(option_file)


def _postgres_env(config: dict[str, Any]) -> dict[str, str]:
    env = {
        "PGHOST": str(config.get("HOST") or "127.0.0.1"),
        "PGPORT": str(config.get("PORT") or 5432),
        "PGUSER": str(config.get("USER") or "postgres"),
        "PGDATABASE": str(config["NAME"]),
    }
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    return env


def dump_database(target: Path) -> None:
    """A consistent copy of the database into ``target``, taken while others write."""
    vendor = connection.vendor
    config = _config()
    if vendor == "sqlite":
        source = sqlite3.connect(f"file:{config['NAME']}?mode=ro", uri=True, timeout=30)
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)  # one step: a single read snapshot of the whole database
        finally:
            copy.close()
            source.close()
    elif vendor == "postgresql":
        _run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
            env=_postgres_env(config),
        )
    elif vendor == "mysql":
        with _mariadb_options(config) as options, target.open("wb") as out:
            _run(
                [_tool("mariadb-dump"), *options, "--single-transaction", "--routines", "--triggers",
                 "--hex-blob", "--default-character-set=utf8mb4", str(config["NAME"])],
                stdout=out,
            )  # fmt: skip
    else:
        raise BackupRefused(f"backups of a {vendor} database are not supported")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _applied_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        latest[app] = max(latest.get(app, ""), name)
    return latest


def backup(archive: Path) -> dict[str, Any]:
    """Write the archive (atomically: a partial file never carries the final name); return its manifest."""
    if archive.exists():
        raise BackupRefused(f"{archive} exists: choose a new file name (a backup never overwrites)")
    if not archive.parent.is_dir():
        raise BackupRefused(f"{archive.parent} is not a folder")
    vendor = connection.vendor
    with tempfile.TemporaryDirectory(dir=archive.parent, prefix=".partnernet-backup-") as work:
        dump = Path(work) / DUMP_NAMES.get(vendor, "database")
        dump_database(dump)
        files = instance_files()
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "instance": instance_id(),
            "engine": vendor,
            "database": {"name": dump.name, "sha256": _sha256(dump), "size": dump.stat().st_size},
            "migrations": _applied_migrations(),
            "secret_key": "file" if (Path(settings.DATA_DIR) / "secret_key").is_file() else "environment",
            "files": [
                {"name": item.name, "sha256": _sha256(item.path), "size": item.path.stat().st_size}
                for item in files
            ],
        }
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode, info.mtime = len(data), 0o600, int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            for item in files:
                tar.add(item.path, arcname=item.name)
        os.chmod(partial, 0o600)  # it holds the secret key and the federation key
        os.replace(partial, archive)
    return manifest
