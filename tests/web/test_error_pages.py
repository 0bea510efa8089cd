"""Error pages in the site's look and the reader's language; flash messages shown once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from partnernet.directory.models import Membership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_403_says_why_and_what_to_do_next_in_the_layout() -> None:
    response = _client(UserFactory()).get("/support/queue/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only facilitators work the facilitators" in page
    assert 'class="pn-header"' in page
    assert 'href="/me/"' in page


def test_403_for_an_anonymous_reader_offers_the_login_with_next() -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/somewhere/?x=1")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied("Only members may do this."))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Only members may do this." in page
    assert "/accounts/login/?next=/somewhere/%3Fx%3D1" in page


def test_404_is_in_the_layout_and_in_the_readers_language() -> None:
    english = Client().get("/no/such/page/")
    assert english.status_code == 404
    assert "Page not found" in english.content.decode()
    assert 'class="pn-header"' in english.content.decode()
    french = Client().get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr"' in french
    arabic = Client().get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in arabic


def test_500_renders_alone_with_the_sites_stylesheet() -> None:
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Server error" in page
    assert "partnernet/css/partnernet.css" in page


def test_a_success_message_is_shown_once() -> None:
    member = MembershipFactory(role=Membership.Role.ADMIN).user
    client = _client(member)
    created = client.post("/accounts/tokens/", {"name": "script", "scope": "read"})
    assert created.status_code == 200
    token = member.api_tokens.get()
    page = client.post(f"/accounts/tokens/{token.pk}/revoke/", follow=True).content.decode()
    assert page.count("is revoked.") == 1
