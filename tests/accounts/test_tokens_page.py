"""The token page: create (secret shown once), list, revoke; only one's own tokens."""

from __future__ import annotations

import pytest
from django.test import Client

from partnernet.accounts.models import ApiToken
from partnernet.accounts.services import create_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_page_needs_login() -> None:
    response = Client().get("/accounts/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_created_secret_is_shown_once_and_works() -> None:
    user = UserFactory(password="!")
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/tokens/", {"name": "export script", "scope": "read"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=user)
    secret = response.context["secret"]
    assert secret.startswith(f"pn_{token.prefix}_")
    assert secret in response.content.decode()
    assert Client().get("/api/v1/requests", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    again = client.get("/accounts/tokens/").content.decode()
    assert secret not in again
    assert "export script" in again


def test_form_errors_are_shown_next_to_the_field() -> None:
    user = UserFactory(password="!")
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/tokens/", {"name": "", "scope": "admin"})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert 'class="pn-field-error" id="id_name-error"' in response.content.decode()


def test_revoke_own_token_and_not_someone_elses() -> None:
    owner = UserFactory(password="!")
    other = UserFactory(password="!")
    token, _ = create_token(owner, "t", "write")
    client = Client()
    client.force_login(other)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(owner)
    assert client.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
