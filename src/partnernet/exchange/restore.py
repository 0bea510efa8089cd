"""``partnernet restore FILE``: an archive of ``partnernet backup`` into an empty instance of the same engine.

Everything is checked before anything is written: the archive's manifest and checksums, the engine (a
SQLite archive does not go into PostgreSQL: the copy is the engine's own format), an empty database (no
table at all) and a data folder without a secret key, a federation key or uploads. The operator then runs
``partnernet migrate`` only when the archive comes from an older release.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection

from partnernet.exchange.backup import (
    DUMP_NAMES,
    ENGINE_NAMES,
    FORMAT,
    VERSION,
    BackupRefused,
    _config,
    _mariadb_options,
    _postgres_env,
    _run,
    _tool,
)

PRIVATE = {"files/secret_key", f"files/{Path(settings.FEDERATION_KEY_FILE).name}"}


def read_manifest(tar: tarfile.TarFile, archive: Path) -> dict[str, Any]:
    try:
        member = tar.extractfile("manifest.json")
        manifest = json.loads(member.read()) if member is not None else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"{archive} is not a Partnernet backup (no manifest.json)")
    if manifest.get("version") != VERSION:
        raise BackupRefused(
            f"{archive} is a backup of format version {manifest.get('version')}; expected {VERSION}"
        )
    return manifest


def target_problems(engine: str) -> list[str]:
    """Why this instance is not an empty target for an archive of ``engine`` (empty list: it is)."""
    here = connection.vendor
    if engine != here:
        return [
            f"the archive holds a {ENGINE_NAMES.get(engine, engine)} database and this instance uses "
            f"{ENGINE_NAMES.get(here, here)}: restore it into a {ENGINE_NAMES.get(engine, engine)} instance"
        ]
    problems = []
    tables = connection.introspection.table_names()
    if tables:
        problems.append(f"the database is not empty ({len(tables)} tables): restore only into an empty one")
    data = Path(settings.DATA_DIR)
    for name in ("secret_key", Path(settings.FEDERATION_KEY_FILE).name):
        if (data / name).exists():
            problems.append(f"{data / name} exists: restore only into an empty data folder")
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()):
        problems.append(f"{media} holds uploads: restore only into an empty data folder")
    return problems


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


def _extract(
    tar: tarfile.TarFile, manifest: dict[str, Any], work: Path
) -> tuple[Path, list[tuple[str, Path]]]:
    """Every listed member into ``work``, each checked against its manifest checksum."""
    wanted = [manifest["database"], *manifest.get("files", [])]
    extracted: list[tuple[str, Path]] = []
    for entry in wanted:
        name = entry["name"]
        if not _safe_member(name):
            raise BackupRefused(f"the archive names an unsafe path: {name}")
        try:
            source = tar.extractfile(name)
        except KeyError:
            source = None
        if source is None:
            raise BackupRefused(f"the archive lacks {name}, which its manifest lists")
        target = work / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with target.open("wb") as out:
            for chunk in iter(lambda: source.read(1 << 20), b""):  # noqa: B023 - read at once
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != entry["sha256"]:
            raise BackupRefused(f"{name} in the archive is damaged (checksum differs)")
        extracted.append((name, target))
    return extracted[0][1], extracted[1:]


def load_database(engine: str, dump: Path) -> None:
    config = _config()
    if engine == "sqlite":
        connection.close()
        target = Path(config["NAME"])
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        partial = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(dump, partial)
        os.replace(partial, target)
    elif engine == "postgresql":
        env = _postgres_env(config)
        _run(
            [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             f"--dbname={env['PGDATABASE']}", str(dump)],
            env=env,
        )  # fmt: skip
    elif engine == "mysql":
        with _mariadb_options(config) as options, dump.open("rb") as source:
            _run([_tool("mariadb"), *options, str(config["NAME"])], stdin=source)
    else:
        raise BackupRefused(f"restoring a {engine} database is not supported")


def _place_files(files: list[tuple[str, Path]]) -> None:
    data = Path(settings.DATA_DIR)
    media = Path(settings.MEDIA_ROOT)
    for name, source in files:
        if name.startswith("files/media/"):
            target = media / name.removeprefix("files/media/")
        else:
            target = data / name.removeprefix("files/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        if name in PRIVATE:
            os.chmod(target, 0o600)


def restore(archive: Path) -> dict[str, Any]:
    """Check everything, then load the database and place the files; return the manifest."""
    if not archive.is_file():
        raise BackupRefused(f"{archive} is not a file")
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError) as error:
        raise BackupRefused(f"{archive} is not a Partnernet backup ({error})") from None
    with tar:
        manifest = read_manifest(tar, archive)
        engine = manifest.get("engine", "")
        if manifest.get("database", {}).get("name") != DUMP_NAMES.get(engine):
            raise BackupRefused(f"{archive} has no database copy for {engine}")
        problems = target_problems(engine)
        if problems:
            raise BackupRefused("; ".join(problems))
        with tempfile.TemporaryDirectory(dir=settings.DATA_DIR, prefix=".partnernet-restore-") as work:
            dump, files = _extract(tar, manifest, Path(work))
            load_database(engine, dump)
            _place_files(files)
    # Nothing counted from the database it replaced may be read again. Restore runs without a writable
    # data folder's cache (``PARTNERNET_NO_WRITE``: its own is in memory), so the folder goes itself.
    shutil.rmtree(settings.CACHE_DIR, ignore_errors=True)
    return manifest
