"""Library search on the registry's machinery: every write path keeps the index, and the box reads words,
phrases and prefixes the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

from partnernet.base.records import ForeignRow
from partnernet.base.registry import record_kind
from partnernet.library.models import Resource
from partnernet.library.selectors import LibraryFilters, facet_counts, resources_matching
from partnernet.library.services import RESOURCES
from tests.factories import make_resource


def _found(text: str, **filters: str) -> list[str]:
    rows = resources_matching(Resource.objects.all(), LibraryFilters(q=text, **filters))
    return list(rows.values_list("key", flat=True))


def test_title_weighs_more_than_text_and_phrases_prefixes_and_diacritics_work(lib: Any) -> None:
    make_resource(lib.steward, lib.admin, key="in-text", title="Handbook", body="about museum uploads",
                  status="published")  # fmt: skip
    make_resource(lib.steward, lib.admin, key="in-title", title="Museum uploads", status="published")
    make_resource(
        lib.steward, lib.admin, key="accents", title="Résumé d'atelier Wikipédia", status="published"
    )
    assert _found("museum") == ["in-title", "in-text"]
    assert _found('"uploads museum"') == []
    assert _found('"museum uploads"') == ["in-title", "in-text"]
    assert _found("muse*") == ["in-title", "in-text"]
    assert _found("wikipedia resume") == ["accents"]
    assert _found('"unbalanced AND (NEAR') == []
    assert set(_found("sverige")) == {"accents", "in-text", "in-title"}, "the publisher's name is searched"


def test_edits_deletes_imports_and_peers_copies_keep_the_index(lib: Any) -> None:
    resource = make_resource(lib.steward, lib.admin, key="r", title="Old words", status="published")
    RESOURCES.update(lib.admin, resource, {"title": "Fresh words"})
    assert _found("old") == []
    assert _found("fresh") == ["r"]
    values = {**record_kind("resources").serializer.row(resource), "title": "Copied from a peer"}
    RESOURCES.upsert_foreign("pn-00000000000000cc", [ForeignRow(uuid.uuid4(), values)])
    assert _found("copied") == ["r"]
    assert Resource.objects.get(key="r", origin="pn-00000000000000cc").title == "Copied from a peer"
    RESOURCES.delete(lib.admin, resource)
    assert _found("fresh") == []


def test_facets_count_what_each_choice_would_give(lib: Any) -> None:
    make_resource(lib.steward, lib.admin, key="a", title="Upload guide", types="glam", language="sv",
                  status="published")  # fmt: skip
    make_resource(lib.steward, lib.admin, key="b", title="Upload course", kind="training",
                  types="glam;education", status="published")  # fmt: skip
    make_resource(lib.steward, lib.admin, key="c", title="Draft upload", types="glam")
    facets = facet_counts(lib.outsider, LibraryFilters(q="upload"))
    assert facets.total == 2
    assert {o["value"]: o["count"] for o in facets.options["type"]} == {"glam": 2, "education": 1}
    assert {o["value"]: o["count"] for o in facets.options["language"]} == {"sv": 1, "en": 1}
    narrowed = facet_counts(lib.outsider, LibraryFilters(q="upload", type="education"))
    assert narrowed.total == 1
    assert {o["value"]: o["count"] for o in narrowed.options["kind"]} == {"training": 1}
