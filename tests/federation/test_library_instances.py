"""Two real instances: A's published public resources reach B through the signed feed, read-only with their
origin and searchable; drafts and private resources never leave A."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.federation.instances import Instance, make_instance

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Instance, Instance]]:
    base: Path = tmp_path_factory.mktemp("library-federation")
    a, b = make_instance("a", base), make_instance("b", base)
    for instance in (a, b):
        instance.start()
    try:
        a.trust(b)
        b.trust(a)
        a.import_rows(
            "entities", [{"key": "a-chapter", "name": "A chapter", "kind": "chapter", "country": "SE"}]
        )
        a.import_rows(
            "resources",
            [
                {"key": "mou-template", "title": "University MoU template", "kind": "template",
                 "template_kind": "mou", "language": "sv", "publisher": "a-chapter", "types": ["education"],
                 "attachments": ["https://example.org/mou.odt"], "status": "published"},
                {"key": "quiet-draft", "title": "Quiet draft", "kind": "playbook", "language": "en",
                 "publisher": "a-chapter"},
                {"key": "private-notes", "title": "Private notes", "kind": "playbook", "language": "en",
                 "publisher": "a-chapter", "status": "published", "visibility": "private"},
            ],
        )  # fmt: skip
        yield a, b
    finally:
        for instance in (a, b):
            instance.stop()


def test_published_public_resources_reach_the_peer_read_only_with_their_origin(
    pair: tuple[Instance, Instance],
) -> None:
    a, b = pair
    result = b.sync(a)
    assert result["returncode"] == 0, result
    listed = httpx.get(f"{b.base_url}/api/v1/resources?publisher=a-chapter", timeout=10).json()["items"]
    assert [(row["key"], row["origin"]) for row in listed] == [("mou-template", a.instance_id)]
    assert listed[0]["maintainers"] == []
    assert listed[0]["attachments"] == ["https://example.org/mou.odt"]
    page = httpx.get(f"{b.base_url}/library/?q=university", timeout=10).text
    assert "University MoU template" in page
    code = (
        "from partnernet.library.models import Resource;"
        "from partnernet.directory.rules import is_local_row;"
        "r = Resource.objects.get(key='mou-template');"
        "print(r.origin, is_local_row(None, r), r.versions.count())"
    )
    assert b.python(code).split() == [a.instance_id, "False", "1"]
    refused = httpx.patch(f"{b.base_url}/api/v1/resources/mou-template", json={"title": "x"}, timeout=10)
    assert refused.status_code in (401, 403)
    assert "mou-template" not in {row["key"] for row in b.export("resources", origin="local")}
    everything = {row["key"] for row in b.export("resources", origin="all")}
    assert "mou-template" in everything
    assert not everything & {"quiet-draft", "private-notes"}
