"""Bulk writes publish the same signed activities as one row at a time, without reading the rows back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from partnernet.core.federation.activities import ACTIVITY_PURPOSE, parse_activity
from partnernet.core.federation.canonical import parse_json
from partnernet.core.federation.signing import check_document_signature
from partnernet.exchange.services import import_file
from partnernet.federation import outbox
from partnernet.federation.keys import instance_key_pair
from partnernet.federation.models import FeedEvent
from partnernet.federation.outbox import wire_fields
from partnernet.partnerships.kinds import PartnershipKind
from tests.factories import EntityFactory, PartnerFactory, ptype, region, theme

pytestmark = pytest.mark.django_db

ROWS = (
    "key,title,lead,supporters,partners,type,themes,region,status,start,end,visibility\n"
    "p-full,Full row,lead-a,sup-b;sup-c,museum-a;library-b,glam,science;climate,SE,active,"
    "2024-01-01,2025-06-30,public\n"
    "p-empty,Only what is required,lead-a,,,education,,,prospect,,,\n"
    "p-movement,Movement only,sup-b,lead-a,museum-a,glam,climate,150,negotiating,2023-05-05,,movement\n"
    "p-private,Never sent,lead-a,,,glam,,,active,,,private\n"
    'p-unicode,"Ett samarbete, ångström — 東京 ""quoted""",sup-c,,,glam,,GH,paused,,,public\n'
)


def _references() -> None:
    EntityFactory(key="lead-a")
    EntityFactory(key="sup-b")
    EntityFactory(key="sup-c")
    PartnerFactory(key="museum-a")
    PartnerFactory(key="library-b")
    ptype("glam")
    ptype("education")
    theme("science")
    theme("climate")
    region("SE")
    region("GH")
    region("150")


def test_imported_rows_are_published_with_the_fields_read_back_from_the_database(tmp_path: Path) -> None:
    _references()
    path = tmp_path / "p.csv"
    path.write_text(ROWS, encoding="utf-8")
    assert import_file("partnerships", path).created == 5
    public_key = instance_key_pair().public_key
    stored = {p.uuid: p for p in PartnershipKind().queryset().filter(key__startswith="p-")}
    events = FeedEvent.objects.filter(record_uuid__in=list(stored)).order_by("sequence")
    published: dict[str, list[str]] = {}
    for event in events:
        document = parse_json(event.document)
        assert isinstance(document, dict)
        assert check_document_signature(document, ACTIVITY_PURPOSE, public_key) is None
        activity = parse_activity(document)
        assert activity.fields == wire_fields("partnerships", stored[event.record_uuid])
        published.setdefault(activity.key, []).append(event.audience)
        assert (
            json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True) == event.document
        )
    assert published == {
        "p-full": ["all"],
        "p-empty": ["all"],
        "p-movement": ["movement"],
        "p-unicode": ["all"],
    }


def test_a_bulk_import_does_not_read_its_partnerships_back_to_publish_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _references()
    path = tmp_path / "p.csv"
    path.write_text(ROWS, encoding="utf-8")

    def read_back(*args: object) -> int:
        raise AssertionError("the import's rows were read back to be published")

    monkeypatch.setattr(outbox, "_publish_rows", read_back)
    import_file("partnerships", path)
    assert FeedEvent.objects.filter(kind="partnerships").count() == 4


def test_clean_rows_of_partnerships_are_their_stored_rows(tmp_path: Path) -> None:
    """What ``Kind.clean_is_row`` promises for partnerships, checked on rows with empty and full cells."""
    _references()
    path = tmp_path / "p.csv"
    path.write_text(ROWS, encoding="utf-8")
    from partnernet.base.formats import read_rows
    from partnernet.base.references import References

    kind = PartnershipKind()
    _, rows, problems = read_rows(path, "csv", kind.fields)
    assert not problems
    refs = References()
    wanted: dict[str, set[str]] = {}
    for row in rows:
        for name, keys in kind.referenced(row.values).items():
            wanted.setdefault(name, set()).update(keys)
    refs.load(**wanted)
    cleans: dict[str, Any] = {}
    for row in rows:
        clean, errors = kind.clean(row.values, refs)
        assert not errors
        cleans[clean["key"]] = {name: clean.get(name) for name in kind.fields}
    import_file("partnerships", path)
    for obj in kind.queryset().filter(key__in=list(cleans)):
        assert kind.row(obj) == cleans[obj.key]
