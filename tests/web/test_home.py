import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_answers_200_without_redirect_and_lists_real_affiliates(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Wikimedia Sweden" in body
    assert "Wikimedia Foundation" in body
    assert 'dir="ltr"' in body


def test_home_follows_accept_language_and_sets_rtl_for_arabic(client: Client) -> None:
    response = client.get("/", headers={"accept-language": "ar"})
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_language_cookie_wins_over_accept_language(client: Client) -> None:
    client.cookies["partnernet_language"] = "fr"
    response = client.get("/", headers={"accept-language": "ar"})
    assert '<html lang="fr" dir="ltr">' in response.content.decode()


@pytest.mark.usefixtures("demo_data")
def test_demo_entities_carry_a_visible_demo_label(client: Client) -> None:
    body = client.get("/").content.decode()
    assert "Demo · Volunteer in Accra" in body
    assert "pn-badge-demo" in body


def test_home_runs_a_fixed_number_of_queries(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(8):
        client.get("/")
