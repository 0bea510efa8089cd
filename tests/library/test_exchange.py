"""The resources kind through import, export and federation: a round trip changes nothing, a bad file
changes nothing, a peer's copy arrives without this instance's people and is read-only."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from partnernet.base.formats import RowWriter
from partnernet.base.records import ForeignRow, RecordReadOnly
from partnernet.base.registry import record_kind
from partnernet.base.rows import export_rows
from partnernet.exchange import services
from partnernet.exchange.selectors import export_queryset
from partnernet.exchange.services import ImportRejected, import_file
from partnernet.federation.models import FeedEvent
from partnernet.library.models import Resource
from partnernet.library.rules import resource_actions
from partnernet.library.services import RESOURCES
from tests.factories import make_resource

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def export_text(fmt: str) -> str:
    buffer = io.StringIO()
    RowWriter(buffer, fmt, record_kind("resources").exchange.fields).write_all(
        export_rows("resources", export_queryset("resources"))
    )
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_import_with_a_local_file_then_export_then_import_changes_nothing(
    lib: Any, tmp_path: Path, fmt: str
) -> None:
    (tmp_path / "mou.pdf").write_bytes(PDF)
    make_resource(lib.steward, lib.admin, key="original", language="en", status="published")
    rows = [
        {"key": "mou", "title": "University MoU", "kind": "template", "template_kind": "mou",
         "language": "en", "publisher": "wmse", "types": "education", "regions": "150;SE",
         "attachments": f"{tmp_path / 'mou.pdf'};https://example.org/mou.odt", "maintainers": "maintainer",
         "status": "published", "body": "=SUM(A1)\nLine two"},
        {"key": "original-sv", "title": "Svensk översättning", "kind": "playbook", "language": "sv",
         "publisher": "wmse", "translation_of": "original", "demo": "yes"},
    ]  # fmt: skip
    first = tmp_path / f"first.{fmt}"
    if fmt == "jsonl":
        first.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    else:
        buffer = io.StringIO()
        RowWriter(buffer, "csv", record_kind("resources").exchange.fields).write_all(rows)
        first.write_text(buffer.getvalue(), encoding="utf-8")
    result = import_file("resources", first)
    assert (result.created, result.updated) == (2, 0)
    mou = Resource.objects.get(key="mou")
    assert mou.attachments[1].startswith("library/")
    assert mou.versions.count() == 1
    assert mou.versions.get().actor_label == "import"
    assert Resource.objects.get(key="original-sv").translation_of is not None
    before = export_text(fmt)
    again = tmp_path / f"again.{fmt}"
    again.write_text(before, encoding="utf-8")
    result = import_file("resources", again)
    assert (result.created, result.updated) == (0, 0)
    assert export_text(fmt) == before


def test_a_file_with_an_unknown_type_language_or_unsafe_attachment_changes_nothing(
    lib: Any, tmp_path: Path
) -> None:
    (tmp_path / "run.pdf").write_text("#!/bin/sh\n")
    path = tmp_path / "bad.jsonl"
    rows = [
        {"key": "a", "title": "A", "kind": "playbook", "language": "en", "publisher": "wmse"},
        {"key": "b", "title": "B", "kind": "playbook", "language": "zz", "publisher": "wmse",
         "types": "juggling"},
        {"key": "c", "title": "C", "kind": "tool", "language": "en", "publisher": "wmse",
         "attachments": [str(tmp_path / "run.pdf")]},
    ]  # fmt: skip
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        import_file("resources", path)
    found = {(p.line, p.field) for p in rejected.value.problems}
    assert found == {(2, "language"), (2, "types"), (3, "attachments")}
    assert not Resource.objects.exists()


def test_published_public_resources_are_published_in_the_feed_and_drafts_are_not(lib: Any) -> None:
    make_resource(lib.steward, lib.admin, key="draft")
    make_resource(lib.steward, lib.admin, key="shared", status="published", maintainers="maintainer")
    make_resource(lib.steward, lib.admin, key="private", status="published", visibility="private")
    published = set(FeedEvent.objects.filter(kind="resources").values_list("record_uuid", flat=True))
    assert published == set(Resource.objects.filter(key="shared").values_list("uuid", flat=True))
    event = FeedEvent.objects.filter(kind="resources").last()
    assert event is not None
    assert "maintainers" not in str(event.document)


def test_a_peers_copy_is_applied_through_the_writer_without_people_and_stays_read_only(lib: Any) -> None:
    resource = make_resource(
        lib.steward, lib.admin, key="shared", status="published", maintainers="maintainer",
        attachments="https://example.org/guide.pdf", body="How to",
    )  # fmt: skip
    wire = record_kind("resources").serializer.row(resource)
    assert "maintainers" not in wire
    peer = "pn-00000000000000aa"
    values = {**wire, "key": "shared"}
    problems, created, updated = RESOURCES.upsert_foreign(peer, [ForeignRow(uuid.uuid4(), values)])
    assert (problems, created, updated) == ({}, 1, 0)
    copy = Resource.objects.get(origin=peer)
    assert copy.maintainers.count() == 0
    assert copy.versions.get().actor_label == peer
    assert not resource_actions(lib.admin, copy).edit
    with pytest.raises(RecordReadOnly):
        RESOURCES.update(lib.admin, copy, {"title": "Mine now"})
    bad = {**values, "attachments": ["/etc/passwd"]}
    problems, _, _ = RESOURCES.upsert_foreign(peer, [ForeignRow(uuid.uuid4(), bad)])
    assert "is not an http(s) URL" in next(iter(problems.values()))


def test_the_import_command_names_file_line_and_field_and_exits_2(lib: Any, tmp_path: Path) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "resources.csv"
    path.write_text("key,title,kind,language,publisher\nok,Fine,playbook,en,wmse\nbad,Bad,playbook,xx,wmse\n")
    stderr = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_rows", "resources", str(path), stderr=stderr)
    assert failed.value.returncode == 2
    assert f"{path}:3: field 'language': unknown language 'xx'" in stderr.getvalue()
    assert not Resource.objects.exists()


@pytest.mark.parametrize("chunk", [1, 5000])
def test_naming_a_record_made_earlier_in_the_same_file_does_not_depend_on_the_chunking(
    lib: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(services, "IMPORT_CHUNK", chunk)
    make_resource(lib.steward, lib.admin, key="stored", language="en", status="published")
    path = tmp_path / "r.csv"
    path.write_text(
        "key,title,kind,language,publisher,translation_of\n"
        "fresh,Fresh guide,playbook,en,wmse,\n"
        "fresh-sv,Svensk,playbook,sv,wmse,fresh\n"
        "stored-sv,Svensk,playbook,sv,wmse,stored\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as rejected:
        import_file("resources", path)
    assert [problem.render("r.csv") for problem in rejected.value.problems] == [
        "r.csv:3: field 'translation_of': unknown resource key 'fresh'"
    ]
    assert not Resource.objects.filter(key__in=["fresh", "fresh-sv", "stored-sv"]).exists()
