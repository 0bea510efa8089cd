"""Shared fixtures: the test database carries the real reference data, as every instance does."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

IN_CI = os.environ.get("CI") == "true"


def skip_unless_ci(reason: str) -> None:
    """Skip outside CI with the reason printed; under CI=true a missing service is a failure."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from partnernet.exchange.seed import seed_reference

    with django_db_blocker.unblock():
        seed_reference()


@pytest.fixture
def committed(transactional_db: Any) -> None:
    """Committed data (for threads, a live server, a worker that closes its connection, or MariaDB's
    statements that commit by themselves); the reference data again when an earlier transactional test's
    flush removed it. pytest-django runs transactional tests after all others, so the flush they end with
    never takes the reference data from a test that relies on the shared seed."""
    from partnernet.exchange.seed import seed_reference
    from partnernet.framework.models import Region

    if not Region.objects.exists():
        seed_reference()


@pytest.fixture
def demo_data(db: Any) -> None:
    """The demo data set of ``seed --demo`` (rolled back after the test like any other write)."""
    from partnernet.exchange.demo import seed_demo

    seed_demo()


@pytest.fixture(autouse=True)
def default_language_after_each_test() -> Iterator[None]:
    """A page requested in Arabic leaves Arabic active in the thread (LocaleMiddleware activates a language
    and nothing resets it), so a later test checking an English message outside a request would see Arabic."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Argon2 costs a quarter of a CPU second per hash, on purpose; the factories make thousands of accounts.
    In-process tests hash with MD5 (tests/accounts checks that the shipped setting is Argon2); the real
    processes some tests start run with the shipped settings."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_caches_after_each_test() -> Iterator[None]:
    """Rate limits count in the cache per address, and every test client and browser comes from 127.0.0.1:
    without this, the suite's sixth public proposal would be refused whichever test sends it."""
    yield
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture(autouse=True)
def no_kept_figures_between_tests() -> None:
    """Figures kept per version (``base.versions``) from an earlier test could be a minute old at a version
    this test reaches too (empty tables look alike), and would then be renewed by a background thread with
    its own database connection, outside this test's transaction."""
    from partnernet.base import versions

    versions.settle()
    versions.forget()


PASS_DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "engine_urls",
}
"""Fixtures through which a test reaches the pass's database (``engine_urls``: the backup round trip makes
its databases on the pass's server)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``no_database`` every test that never touches the pass's database: the pure core, and the real
    processes that run on their own SQLite data folders. scripts/test runs them once, in the SQLite pass; the
    PostgreSQL pass would repeat exactly the same work."""
    for item in items:
        uses = PASS_DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        if not uses and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.no_database)
