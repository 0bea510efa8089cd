"""Full-text search of the registry: what it finds, how it ranks, and that the index follows every write."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from partnernet.partnerships.models import Partnership
from partnernet.partnerships.search import drop_search_index, ensure_search_index
from partnernet.partnerships.selectors import search_partnerships
from tests.factories import EntityFactory, PartnerFactory, PartnershipFactory, ptype, theme

pytestmark = [pytest.mark.django_db, pytest.mark.mariadb]

URL = reverse("partnerships:registry")


def _titles(client: Client, **params: str) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [p.title for p in response.context["page"].object_list]


def _found(text: str) -> set[str]:
    return set(search_partnerships(Partnership.objects.all(), text).values_list("title", flat=True))


@pytest.fixture
def herbaria() -> None:
    PartnershipFactory(title="Digitising herbarium sheets", start="2020-01-01")
    PartnershipFactory(title="Plant photos", description="Scans of the old herbarium.", start="2024-01-01")
    PartnershipFactory(title="Botany week", lead=EntityFactory(name="Herbarium friends"), start="2023-01-01")
    pressed = PartnershipFactory(title="Pressed flowers", start="2021-01-01")
    pressed.partners.add(PartnerFactory(name="Uppsala Herbarium"))
    PartnershipFactory(title="Unrelated")


def test_search_reads_titles_descriptions_leads_and_partners_best_match_first(
    client: Client, herbaria: None
) -> None:
    found = _titles(client, q="herbarium")
    assert set(found) == {"Digitising herbarium sheets", "Plant photos", "Botany week", "Pressed flowers"}
    assert found[0] == "Digitising herbarium sheets"  # the title weighs most
    assert _titles(client, q="HERBARIUM", sort="start") == [
        "Digitising herbarium sheets",
        "Pressed flowers",
        "Botany week",
        "Plant photos",
    ]


def test_words_phrases_prefixes_case_and_diacritics() -> None:
    PartnershipFactory(title="Musée d'Orsay open data")
    PartnershipFactory(title="Data, open to all")
    assert _found("musee ORSAY") == {"Musée d'Orsay open data"}
    assert _found("open data") == {"Musée d'Orsay open data", "Data, open to all"}
    assert _found('"open data"') == {"Musée d'Orsay open data"}
    assert _found("ors*") == {"Musée d'Orsay open data"}
    assert _found("ors") == set()


@pytest.mark.parametrize(
    "text", ['"unbalanced', "NEAR(a b", "museum OR", "*", "'", "-", "title:x", "a & b | !c", "x:*", "\\"]
)
def test_engine_syntax_in_the_box_never_breaks_the_page_or_the_api(client: Client, text: str) -> None:
    PartnershipFactory(key="any", title="Any museum")
    assert client.get(URL, {"q": text}).status_code == 200
    answer = client.get("/api/v1/partnerships", {"q": text})
    assert answer.status_code == 200, answer.content


def test_the_api_searches_the_same_way_in_key_order(client: Client, herbaria: None) -> None:
    Partnership.objects.filter(title="Pressed flowers").update(key="a-pressed")
    items = client.get("/api/v1/partnerships", {"q": "herbarium"}).json()["items"]
    assert items[0]["key"] == "a-pressed"
    assert {row["title"] for row in items} == {
        "Digitising herbarium sheets",
        "Plant photos",
        "Botany week",
        "Pressed flowers",
    }


def test_the_index_follows_every_write_whoever_makes_it() -> None:
    lead = EntityFactory(name="Alpha chapter")
    museum = PartnerFactory(name="Kalmar museum")
    deal = PartnershipFactory(title="Scans", lead=lead)
    deal.partners.add(museum)
    assert _found("kalmar") == {"Scans"}
    museum.name = "Växjö museum"
    museum.save()
    assert _found("kalmar") == set()
    assert _found("vaxjo") == {"Scans"}
    lead.name = "Beta chapter"
    lead.save()
    assert _found("alpha") == set()
    assert _found("beta") == {"Scans"}
    deal.partners.remove(museum)
    assert _found("vaxjo") == set()
    Partnership.objects.filter(pk=deal.pk).update(title="Letters", description="Old letters, transcribed")
    assert _found("scans") == set()
    assert _found("transcribed") == {"Letters"}
    deal.refresh_from_db()
    deal.lead = EntityFactory(name="Gamma group")
    deal.save()
    assert _found("gamma") == {"Letters"}
    deal.delete()
    assert _found("letters") == set()


def test_search_facets_are_exact_and_recounted_after_a_partner_rename(client: Client) -> None:
    archive = PartnerFactory(name="Riksarkivet", kind="archive")
    for status in ("active", "active", "paused"):
        p = PartnershipFactory(status=status, type=ptype("research"))
        p.partners.add(archive)
        p.themes.add(theme("science"))
    PartnershipFactory(status="active")
    facets = client.get(URL, {"q": "riksarkivet"}).context["facets"]
    assert facets.total == 3
    assert {o.value: o.count for o in facets.status} == {"active": 2, "paused": 1}
    assert {o.value: o.count for o in facets.type} == {"research": 3}
    assert {o.value: o.count for o in facets.theme} == {"science": 3}
    assert {o.value: o.count for o in facets.partner_kind} == {"archive": 3}
    archive.name = "National archives"
    archive.save()
    assert client.get(URL, {"q": "riksarkivet"}).context["facets"].total == 0


def test_with_a_query_the_default_order_is_relevance_and_other_sorts_still_apply(client: Client) -> None:
    PartnershipFactory(title="Zebra maps", description="maps maps maps")
    PartnershipFactory(title="Atlas", description="Some maps")
    assert _titles(client, q="maps")[0] == "Zebra maps"
    assert _titles(client, q="maps", sort="title") == ["Atlas", "Zebra maps"]
    page = client.get(URL, {"q": "maps", "sort": "relevance"}).content.decode()
    assert "Best matches first." in page
    assert _titles(client, sort="relevance")  # without a query: the default order, no error


def test_a_missing_index_is_made_and_filled_from_the_stored_rows(committed: None) -> None:
    """Transactional (``committed``): MariaDB commits at every CREATE or DROP, which would end the
    transaction a plain test rolls back; the flush afterwards removes the rows on every engine."""
    PartnershipFactory(title="Before the index")
    drop_search_index(connection)
    assert ensure_search_index(connection)
    assert _found("before") == {"Before the index"}
    assert not ensure_search_index(connection)


def test_search_page_runs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(20):
        PartnershipFactory(title=f"Museum loan {n}").themes.add(theme("science"))
    client.get(URL)
    with django_assert_max_num_queries(16):
        client.get(URL, {"q": "museum loan", "theme": "science"})


def test_punctuation_alone_searches_nothing_and_keeps_the_default_order(client: Client) -> None:
    PartnershipFactory(title="Old", start="2001-01-01")
    PartnershipFactory(title="New", start="2025-01-01")
    response = client.get(URL, {"q": '"*'})
    assert [p.title for p in response.context["page"].object_list] == ["New", "Old"]
    assert response.context["sort"] == "-start"
    assert "Best matches first." not in response.content.decode()
