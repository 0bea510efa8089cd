import pytest
from django.test import Client, override_settings
from django.urls import include, path

from partnernet.directory.models import Entity
from partnernet.i18n.formats import number
from partnernet.partnerships.models import Partnership
from partnernet.web.views import home
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def test_home_answers_200_without_redirect_and_summarises_instead_of_listing_every_entity(
    client: Client,
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'dir="ltr"' in body
    assert Entity.objects.count() > 200
    assert "Wikimedia Sweden" not in body  # the directory lists them; the home page counts them
    assert f">{Entity.objects.count()}</a>" in body
    assert 'href="/directory/entities/"' in body
    assert "Latest activity" in body


def test_numbers_on_the_home_page_follow_the_readers_language(client: Client) -> None:
    body = client.get("/", headers={"accept-language": "de"}).content.decode()
    assert '<html lang="de" dir="ltr">' in body
    assert f">{number(Entity.objects.count(), 'de')}</a>" in body


def test_the_home_page_asks_the_real_steward_finder(client: Client) -> None:
    body = client.get("/").content.decode()
    assert 'id="find-steward-title"' in body
    assert 'action="/stewards/"' in body


def _finder(request):  # type: ignore[no-untyped-def]
    raise AssertionError("not called")


urlpatterns = [
    path("", home, name="home"),
    path("find/", include(([path("", _finder, name="find_steward")], "web"))),
    path("", include("partnernet.urls")),
]


@override_settings(ROOT_URLCONF=__name__)
def test_the_find_a_steward_box_sends_place_type_and_theme_to_the_finder(client: Client) -> None:
    body = client.get("/").content.decode()
    assert 'id="find-steward-title"' in body
    assert 'action="/find/"' in body
    for name in ("place", "type", "theme"):
        assert f'name="{name}"' in body
    assert body.count("data-pn-picker") == 3


def test_home_follows_accept_language_and_sets_rtl_for_arabic(client: Client) -> None:
    response = client.get("/", headers={"accept-language": "ar"})
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_language_cookie_wins_over_accept_language(client: Client) -> None:
    client.cookies["partnernet_language"] = "fr"
    response = client.get("/", headers={"accept-language": "ar"})
    assert '<html lang="fr" dir="ltr">' in response.content.decode()


def test_home_runs_a_fixed_number_of_queries(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    """However many rows: the first request makes the kept figures (the coverage's four reads and the count
    of public partnerships), the next reads only their versions besides its own lists and counts."""
    for _ in range(3):
        PartnershipFactory(visibility="public")
    with django_assert_max_num_queries(11):
        client.get("/")
    with django_assert_max_num_queries(6):
        client.get("/")


@pytest.mark.usefixtures("demo_data")
def test_home_and_analytics_count_the_same_cells(client: Client) -> None:
    from partnernet.analytics.report import analysis_document

    coverage = client.get("/").context["coverage"]
    figures = client.get("/analytics/").context["figures"]["coverage"]
    document = analysis_document()["coverage"]
    assert (coverage.covered, coverage.partial, coverage.gaps, coverage.cells) == (
        document["covered"],
        len(document["partial"]),
        len(document["gaps"]),
        document["cells"],
    )
    assert figures == document
    assert client.get("/matrix/").context["matrix"].covered == coverage.covered


def test_the_count_of_public_partnerships_follows_every_write(client: Client) -> None:
    """The home page keeps the count per version of the partnership table: a new public row, a row made
    private and a deleted row each show on the next request."""

    def shown() -> str:
        return client.get("/").content.decode()

    public = Partnership.objects.filter(visibility="public")
    assert f">{number(public.count(), 'en')}</a>" in shown()
    made = PartnershipFactory(visibility="public")
    assert f">{number(public.count(), 'en')}</a>" in shown()
    other = PartnershipFactory(visibility="public")
    assert f">{number(public.count(), 'en')}</a>" in shown()
    other.visibility = "private"
    other.save()
    assert f">{number(public.count(), 'en')}</a>" in shown()
    before = public.count()
    made.delete()
    assert public.count() == before - 1
    assert f">{number(public.count(), 'en')}</a>" in shown()
