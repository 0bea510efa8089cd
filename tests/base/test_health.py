"""The one database check of the command line and ``/healthz``: each reason gets one clear line."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.utils import NotSupportedError, OperationalError

from partnernet.base import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def forget_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "_migrated", set())


def test_a_migrated_database_has_no_problem() -> None:
    assert health.database_problem() is None
    assert "default" in health._migrated


def test_an_unsupported_version_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def too_old() -> None:
        raise NotSupportedError("PostgreSQL 14 or later is required (found 12.3).")

    monkeypatch.setattr(connection, "check_database_version_supported", too_old)
    problem = health.database_problem()
    assert problem is not None
    assert "is not supported: PostgreSQL 14 or later is required (found 12.3)." in problem
    assert "\n" not in problem


def test_an_unreachable_database_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise OperationalError(
            'connection to server at "db", port 5432 failed: Connection refused\nIs it up?'
        )

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    problem = health.database_problem()
    assert problem == (
        f"cannot reach the {health.describe_database()}: "
        'connection to server at "db", port 5432 failed: Connection refused'
    )


def test_pending_migrations_are_counted_and_the_fix_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "unapplied_migrations", lambda alias="default": 3)
    problem = health.database_problem()
    assert problem is not None
    assert "not migrated (3 migrations to apply): run `partnernet migrate` first" in problem


def test_a_migrated_database_is_known_without_the_migration_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    import django.db.migrations.executor as executor

    def no_graph(*args: object, **kwargs: object) -> None:
        raise AssertionError("the migration graph was built")

    monkeypatch.setattr(executor, "MigrationExecutor", no_graph)
    assert health.unapplied_migrations() == 0


def test_a_migration_not_recorded_is_counted_by_the_graph() -> None:
    from django.db.migrations.recorder import MigrationRecorder

    recorded = MigrationRecorder.Migration.objects.filter(app="partnerships").order_by("-applied").first()
    assert recorded is not None
    recorded.delete()  # rolled back with the test
    assert health.unapplied_migrations() >= 1
    problem = health.database_problem()
    assert problem is not None
    assert "not migrated" in problem


def test_a_migrations_module_that_cannot_be_imported_is_left_to_the_graph(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As Django's loader: a wrong ``MIGRATION_MODULES`` entry is an error for the graph to report, not an
    app without migrations."""
    from django.db.migrations.loader import MigrationLoader

    real = MigrationLoader.migrations_module

    def moved(cls: type, label: str) -> tuple[str | None, bool]:
        return ("partnernet.no_such_package.migrations", True) if label == "partnerships" else real(label)

    monkeypatch.setattr(MigrationLoader, "migrations_module", classmethod(moved))
    assert health._every_file_recorded("default") is False
    problem = health.database_problem()
    assert problem is not None
    assert "cannot read the migration state" in problem
