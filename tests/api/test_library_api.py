"""``/api/v1/resources``: the library's filters and search, drafts private, writes for the publisher's admins
and the maintainers only, bad values per field with nothing written."""

from __future__ import annotations

from typing import Any

from django.test import Client

from partnernet.library.models import Resource
from tests.api.conftest import World, as_json, bearer
from tests.factories import make_resource


def _resources(world: World) -> None:
    make_resource(world.entity, world.admin, key="glam-guide", title="GLAM guide", types="glam",
                  status="published", body="Batch uploads")  # fmt: skip
    make_resource(world.entity, world.admin, key="edu-course", title="Course", kind="training",
                  types="education", language="fr", status="published")  # fmt: skip
    make_resource(world.entity, world.admin, key="hidden-draft", title="GLAM draft", types="glam")


def test_anyone_lists_published_resources_with_filters_and_search(world: World) -> None:
    _resources(world)
    listed = Client().get("/api/v1/resources").json()
    assert [row["key"] for row in listed["items"]] == ["edu-course", "glam-guide"]
    assert listed["items"][0]["origin"]
    assert [r["key"] for r in Client().get("/api/v1/resources?language=fr").json()["items"]] == ["edu-course"]
    assert [r["key"] for r in Client().get("/api/v1/resources?q=batch").json()["items"]] == ["glam-guide"]
    assert [r["key"] for r in Client().get("/api/v1/resources?type=glam&kind=playbook").json()["items"]] == [
        "glam-guide"
    ]
    assert Client().get("/api/v1/resources/hidden-draft").status_code == 404
    drafts = as_json(Client(), "get", "/api/v1/resources?status=draft", **bearer(world.admin, "read"))
    assert [r["key"] for r in drafts.json()["items"]] == ["hidden-draft"]


def test_the_publishers_admin_creates_and_a_maintainer_changes_others_may_not(world: World) -> None:
    body = {
        "key": "letter", "title": "Letter of support", "kind": "template", "template_kind": "letter",
        "language": "en", "publisher": "home-group", "maintainers": ["member-a"], "types": ["glam"],
    }  # fmt: skip
    refused = as_json(Client(), "post", "/api/v1/resources", body, **bearer(world.outsider))
    assert refused.status_code == 403
    made = as_json(Client(), "post", "/api/v1/resources", body, **bearer(world.admin))
    assert made.status_code == 201, made.json()
    assert made.json()["status"] == "draft"
    assert made.json()["licence"] == "CC BY-SA 4.0"
    changed = as_json(Client(), "patch", "/api/v1/resources/letter", {"status": "published"},
                      **bearer(world.member))  # fmt: skip
    assert changed.status_code == 200, changed.json()
    assert Resource.objects.get(key="letter").versions.count() == 1
    outsider = as_json(
        Client(), "patch", "/api/v1/resources/letter", {"title": "Mine"}, **bearer(world.outsider)
    )
    assert outsider.status_code == 403


def test_bad_values_answer_422_per_field_and_change_nothing(world: World) -> None:
    body: dict[str, Any] = {
        "key": "x", "title": "X", "kind": "playbook", "language": "qq", "publisher": "home-group",
        "types": ["knitting"], "attachments": ["/etc/passwd"],
    }  # fmt: skip
    answer = as_json(Client(), "post", "/api/v1/resources", body, **bearer(world.admin))
    assert answer.status_code == 422
    assert "attachments" in answer.json()["error"]["fields"]
    body["attachments"] = []
    answer = as_json(Client(), "post", "/api/v1/resources", body, **bearer(world.admin))
    fields = answer.json()["error"]["fields"]
    assert "unknown language 'qq'" in fields["language"][0]
    assert "unknown partnership type 'knitting'" in fields["types"][0]
    assert not Resource.objects.filter(key="x").exists()


def test_a_peers_copy_is_read_only_over_the_api(world: World) -> None:
    resource = make_resource(world.entity, world.admin, key="copy", status="published")
    Resource.objects.filter(pk=resource.pk).update(origin="pn-00000000000000bb")
    answer = as_json(Client(), "patch", "/api/v1/resources/copy", {"title": "x"}, **bearer(world.superuser))
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "read_only"
