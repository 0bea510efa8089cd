import io
from pathlib import Path

import pytest

from partnernet.base.formats import RowWriter
from partnernet.base.registry import record_kind
from partnernet.base.rows import export_rows
from partnernet.exchange.selectors import export_queryset
from partnernet.exchange.services import import_file
from tests.factories import EntityFactory, PartnershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.mariadb]


def export_text(kind: str, fmt: str) -> str:
    buffer = io.StringIO()
    RowWriter(buffer, fmt, record_kind(kind).exchange.fields).write_all(
        export_rows(kind, export_queryset(kind))
    )
    return buffer.getvalue()


@pytest.mark.usefixtures("demo_data")
@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("kind", ["entities", "partners", "stewardships", "partnerships", "requests"])
def test_export_then_import_changes_nothing(tmp_path: Path, kind: str, fmt: str) -> None:
    before = export_text(kind, fmt)
    path = tmp_path / f"{kind}.{fmt}"
    path.write_text(before, encoding="utf-8")
    result = import_file(kind, path)
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged > 0
    assert export_text(kind, fmt) == before


@pytest.mark.usefixtures("demo_data")
def test_export_into_an_empty_instance_recreates_the_rows(tmp_path: Path) -> None:
    text = export_text("partnerships", "csv")
    path = tmp_path / "p.csv"
    path.write_text(text.replace("demo-coastal-heritage-photos", "copy-of-coastal"), encoding="utf-8")
    result = import_file("partnerships", path)
    assert result.created == 1
    rows = {row["key"]: row for row in export_rows("partnerships")}
    copy, original = rows["copy-of-coastal"], rows["demo-coastal-heritage-photos"]
    assert {**copy, "key": original["key"]} == original


def test_rows_come_in_key_order_with_sorted_list_cells() -> None:
    lead = EntityFactory(key="zz-lead")
    partnership = PartnershipFactory(key="aa-first", lead=lead)
    partnership.supporters.set([EntityFactory(key="s-b"), EntityFactory(key="s-a")])
    PartnershipFactory(key="bb-second", lead=lead)
    lines = export_text("partnerships", "csv").splitlines()
    assert lines[0] == "key,title,lead,supporters,partners,type,themes,region,status,start,end,visibility"
    assert [line.split(",")[0] for line in lines[1:]] == ["aa-first", "bb-second"]
    assert lines[1].split(",")[3] == "s-a;s-b"


def test_export_of_a_large_table_uses_a_bounded_number_of_queries(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    lead = EntityFactory()
    for n in range(30):
        PartnershipFactory(key=f"bulk-{n:03d}", lead=lead)
    with django_assert_max_num_queries(6):
        rows = list(export_rows("partnerships"))
    assert len(rows) == 30
