import pytest
from django.test import Client

from tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def test_entities_list_has_items_and_next_and_follows_the_cursor(client: Client) -> None:
    first = client.get("/api/v1/entities", {"limit": 2, "region": "150"}).json()
    assert set(first) == {"items", "next"}
    assert len(first["items"]) == 2
    assert set(first["items"][0]) >= {
        "key",
        "name",
        "kind",
        "country",
        "regions",
        "languages",
        "legal_identity",
    }
    second = client.get(first["next"]).json()
    keys = [row["key"] for row in first["items"] + second["items"]]
    assert keys == sorted(keys)
    assert len(set(keys)) == 4


def test_last_page_has_null_next(client: Client) -> None:
    EntityFactory(key="zzz-only-one", kind="hub", name="Unique hub name")
    page = client.get("/api/v1/entities", {"q": "Unique hub name"}).json()
    assert [row["key"] for row in page["items"]] == ["zzz-only-one"]
    assert page["next"] is None


def test_region_filter_accepts_any_level_of_the_hierarchy(client: Client) -> None:
    keys = {
        row["key"] for row in client.get("/api/v1/entities", {"region": "154", "limit": 500}).json()["items"]
    }
    assert "wikimedia-sweden" in keys
    assert "wikimedia-germany" not in keys
    europe = {
        row["key"] for row in client.get("/api/v1/entities", {"region": "150", "limit": 500}).json()["items"]
    }
    assert keys < europe


def test_read_one_and_errors_have_the_contract_shape(client: Client) -> None:
    assert client.get("/api/v1/entities/wikimedia-sweden").json()["country"] == "SE"
    missing = client.get("/api/v1/entities/no-such-entity")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {"code": "not_found", "message": "No entity with key 'no-such-entity'.", "fields": {}}
    }
    bad = client.get("/api/v1/entities", {"limit": "lots"})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid"
    assert "limit" in bad.json()["error"]["fields"]
    assert client.get("/api/v1/entities", {"cursor": "%%%"}).json()["error"]["code"] == "bad_cursor"


def test_openapi_schema_and_docs_are_served_without_a_cdn(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/entities" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()


def test_the_openapi_document_is_built_once_per_process() -> None:
    from partnernet.api.urls import api

    first = api.get_openapi_schema(path_prefix="/api/v1/")
    assert api.get_openapi_schema(path_prefix="/api/v1/") is first
    assert "/api/v1/partnerships" in first["paths"]
