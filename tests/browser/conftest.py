"""Fixtures the browser tests share with the pages' tests."""

from tests.support.conftest import committed, fast_passwords, world

__all__ = ["committed", "fast_passwords", "world"]
