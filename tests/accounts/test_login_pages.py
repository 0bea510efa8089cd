"""The log-in and sign-up pages in the site's look; where people land; the admin for staff only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_and_signup_pages_are_in_the_layout_and_link_to_each_other() -> None:
    login = Client().get("/accounts/login/?next=/support/new/").content.decode()
    assert 'class="pn-header"' in login
    assert 'name="next" value="/support/new/"' in login
    assert "/accounts/signup/?next=%2Fsupport%2Fnew%2F" in login
    signup = Client().get("/accounts/signup/").content.decode()
    assert 'class="pn-header"' in signup
    assert 'href="/accounts/login/' in signup


def test_sign_up_follows_next_and_bad_input_is_a_form_error() -> None:
    client = Client()
    bad = client.post(
        "/accounts/signup/",
        {"username": "maja", "email": "not an address", "password1": "short", "password2": "short"},
    )
    assert bad.status_code == 200
    assert "Enter a valid email address." in bad.content.decode()
    assert not get_user_model().objects.filter(username="maja").exists()
    good = client.post(
        "/accounts/signup/",
        {
            "username": "maja",
            "email": "maja@example.org",
            "password1": "a long password for maja",
            "password2": "a long password for maja",
            "next": "/support/new/",
        },
    )
    assert good.status_code == 302
    assert good["Location"] == "/support/new/"


def test_the_support_page_sends_people_to_the_sites_login_not_the_admin() -> None:
    page = Client().get("/support/").content.decode()
    assert "/admin/login/" not in page
    assert 'href="/accounts/login/?next=/support/new/"' in page


def test_the_admin_stays_for_staff() -> None:
    person = UserFactory()
    client = Client()
    client.force_login(person)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "admin:index" not in client.get("/me/").content.decode()
    assert 'href="/admin/"' not in client.get("/me/").content.decode()
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert 'href="/admin/"' in client.get("/me/").content.decode()


def test_the_headers_log_in_link_carries_next_except_on_the_log_in_pages_themselves() -> None:
    assert 'href="/accounts/login/?next=/partnerships/"' in Client().get("/partnerships/").content.decode()
    login = Client().get("/accounts/login/").content.decode()
    assert "?next=/accounts/" not in login
