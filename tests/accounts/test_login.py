"""Local accounts: Argon2 hashes, login through allauth's pages, throttling by django-axes."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"


def test_passwords_are_hashed_with_argon2(settings: Any) -> None:
    from partnernet import settings as shipped

    settings.PASSWORD_HASHERS = shipped.PASSWORD_HASHERS
    user = UserFactory(password=PASSWORD)
    assert user.password.startswith("argon2$")


def test_login_page_logs_in_with_username_and_password() -> None:
    UserFactory(username="volunteer", password=PASSWORD)
    client = Client()
    response = client.post("/accounts/login/", {"login": "volunteer", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/tokens/").status_code == 200


def _fail(client: Client, name: str) -> Any:
    return client.post("/accounts/login/", {"login": name, "password": "wrong password"})


def test_repeated_failures_lock_the_name_out_even_with_the_right_password() -> None:
    UserFactory(username="target", password=PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _fail(client, "target").status_code == 200
    locked = _fail(client, "target")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert AccessAttempt.objects.filter(username="target").exists()
    again = client.post("/accounts/login/", {"login": "target", "password": PASSWORD})
    assert again.status_code == 429
    assert client.get("/accounts/tokens/").status_code == 302


def test_the_admin_login_is_throttled_too() -> None:
    UserFactory(username="staffer", password=PASSWORD, is_staff=True)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "staffer", "password": "wrong password"})
    response = client.post("/admin/login/", {"username": "staffer", "password": PASSWORD})
    assert response.status_code == 429
