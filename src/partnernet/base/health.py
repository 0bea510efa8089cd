"""Is this instance able to serve? The database answers, is of a supported version, and is migrated.

One check for two readers: every command-line verb that needs the database asks it first (``preflight``,
one clear line instead of a traceback), and ``/healthz`` reports it to monitors. The worker's heartbeat —
the ``worker`` command writes one row every ``HEARTBEAT_SECONDS`` — tells a monitor whether background tasks
run at all.
"""

from __future__ import annotations

import datetime as dt
import os
import pkgutil
import socket
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import NotSupportedError
from django.utils import timezone

HEARTBEAT_SECONDS = 30
STALE_AFTER = dt.timedelta(seconds=int(os.environ.get("PARTNERNET_WORKER_STALE_SECONDS", "300")))
_migrated: set[str] = set()
"""Aliases found migrated in this process: a database does not become unmigrated under a running server
(an upgrade migrates, then restarts it), so the migration graph is read once, not on every health check."""


def describe_database(alias: str = DEFAULT_DB_ALIAS) -> str:
    """The database as an operator names it, without its password: ``postgresql db@host:5432``."""
    config = settings.DATABASES[alias]
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        return f"SQLite {config['NAME']}"
    host = config.get("HOST") or "localhost"
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"{connections[alias].display_name} database '{config.get('NAME')}' at {host}{port}"


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0].strip() if text else type(error).__name__


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> int:
    """How many migrations are still to apply.

    When every migration file of every app is recorded as applied, none is: that is found from the files'
    names and one query. Only otherwise is the migration graph built to count them, as ``migrate`` would
    plan them; building it imports every migration module, about 0.05 s at every start of every command.
    """
    if _every_file_recorded(alias):
        return 0
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _every_file_recorded(alias: str) -> bool:
    """Whether ``django_migrations`` names every migration module of every installed app, found as Django's
    loader finds them (the app's migrations package, its modules not starting with ``_`` or ``~``)."""
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    recorded = MigrationRecorder(connections[alias]).applied_migrations()
    for app_config in apps.get_app_configs():
        module_name, explicit = MigrationLoader.migrations_module(app_config.label)
        if module_name is None:
            continue
        try:
            package = import_module(module_name)
        except ModuleNotFoundError as error:
            if explicit or error.name != module_name:
                return False  # the graph decides, and reports what is broken
            continue  # an app without a migrations package, as the loader treats it
        names = (
            name
            for _finder, name, is_package in pkgutil.iter_modules(getattr(package, "__path__", ()))
            if not is_package and name[0] not in "_~"
        )
        if any((app_config.label, name) not in recorded for name in names):
            return False
    return True


def database_problem(alias: str = DEFAULT_DB_ALIAS) -> str | None:
    """One line saying why the database cannot serve this instance, or None when it can."""
    connection = connections[alias]
    try:
        connection.ensure_connection()
        connection.check_database_version_supported()
    except NotSupportedError as error:
        return f"{describe_database(alias)} is not supported: {_first_line(error)}"
    except Exception as error:  # any driver's "cannot connect", whatever its class
        return f"cannot reach the {describe_database(alias)}: {_first_line(error)}"
    if alias in _migrated:
        return None
    try:
        pending = unapplied_migrations(alias)
    except Exception as error:
        return f"cannot read the migration state of the {describe_database(alias)}: {_first_line(error)}"
    if pending:
        return (
            f"the {describe_database(alias)} is not migrated ({pending} migrations to apply): "
            "run `partnernet migrate` first"
        )
    _migrated.add(alias)
    return None


def beat(name: str = "worker") -> None:
    """Record that the process ``name`` is alive (the worker calls this every ``HEARTBEAT_SECONDS``)."""
    from partnernet.base.models import Heartbeat

    Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": timezone.now(), "host": f"{socket.gethostname()} pid {os.getpid()}"}
    )


def worker_state(now: dt.datetime | None = None) -> dict[str, Any]:
    from partnernet.base.models import Heartbeat

    row = Heartbeat.objects.filter(name="worker").first()
    if row is None:
        return {"last_beat": None, "age_seconds": None, "stale": True, "host": None}
    age = ((now or timezone.now()) - row.beat_at).total_seconds()
    return {
        "last_beat": row.beat_at.isoformat(),
        "age_seconds": round(age),
        "stale": age > STALE_AFTER.total_seconds(),
        "host": row.host,
    }
