"""The registry's export streams plain values and still shows each person only what they may see, with the
list cells of every row it shows."""

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from partnernet.base.formats import RowWriter
from partnernet.base.registry import record_kind
from partnernet.partnerships.models import Partnership
from tests.factories import EntityFactory, MembershipFactory, PartnerFactory, PartnershipFactory, theme

pytestmark = [pytest.mark.django_db, pytest.mark.mariadb]


def exported(client: Client, fmt: str, **params: str) -> str:
    response = client.get(reverse("partnerships:export", args=[fmt]), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


def object_export(keys: list[str], fmt: str) -> str:
    """The same rows written from model objects through the kind's ``row``: the bytes before streaming."""
    kind = record_kind("partnerships").exchange
    buffer = io.StringIO()
    objects = kind.queryset().filter(key__in=keys).order_by("key", "origin")
    RowWriter(buffer, fmt, kind.fields).write_all(kind.row(obj) for obj in objects)
    return buffer.getvalue()


@pytest.fixture
def parties() -> dict[str, Any]:
    supporter_a, supporter_b = EntityFactory(key="sup-a"), EntityFactory(key="sup-b")
    partners = [PartnerFactory(key="museum-b"), PartnerFactory(key="museum-a")]
    for visibility in ("public", "movement", "private"):
        partnership = PartnershipFactory(key=visibility, title=f"+{visibility} ümlaut", visibility=visibility)
        partnership.supporters.set([supporter_b, supporter_a])
        partnership.partners.set(partners)
        partnership.themes.set([theme("science"), theme("climate")])
    PartnershipFactory(key="stranger-private", visibility="private")
    return {"supporter": supporter_a}


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_anonymous_export_has_public_rows_with_list_cells(client: Client, parties: Any, fmt: str) -> None:
    text = exported(client, fmt)
    assert text == object_export(["public"], fmt)
    if fmt == "csv":
        (row,) = csv.DictReader(io.StringIO(text))
        assert (row["supporters"], row["partners"], row["themes"]) == ("sup-a;sup-b", "museum-a;museum-b",
                                                                       "climate;science")  # fmt: skip
        assert row["title"] == "'+public ümlaut"
    else:
        (row,) = (json.loads(line) for line in text.splitlines())
        assert row["supporters"] == ["sup-a", "sup-b"]
        assert row["title"] == "+public ümlaut"


def test_a_supporters_member_also_gets_its_private_and_movement_rows(client: Client, parties: Any) -> None:
    membership = MembershipFactory(entity=parties["supporter"])
    client.force_login(membership.user)
    text = exported(client, "csv")
    assert [row["key"] for row in csv.DictReader(io.StringIO(text))] == ["movement", "private", "public"]
    assert text == object_export(["movement", "private", "public"], "csv")


def test_a_filter_on_a_theme_keeps_every_theme_of_the_matching_rows(client: Client, parties: Any) -> None:
    Partnership.objects.get(key="public").themes.remove(theme("science"))
    PartnershipFactory(key="public-other").themes.set([theme("science")])
    rows = list(csv.DictReader(io.StringIO(exported(client, "csv", theme="climate"))))
    assert [(row["key"], row["themes"]) for row in rows] == [("public", "climate")]
    rows = list(csv.DictReader(io.StringIO(exported(client, "csv", theme="science"))))
    assert [(row["key"], row["themes"]) for row in rows] == [("public-other", "science")]
