"""Fixtures the browser tests share with the pages' tests."""

from tests.support.conftest import fast_passwords, world

__all__ = ["fast_passwords", "world"]
