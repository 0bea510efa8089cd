"""Exports streamed as plain values (``base.rows.value_rows``) give exactly the rows and bytes that building
each object and calling its kind's ``row`` gave: list cells, empty lists, neutralised cells, unicode."""

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.base import rows as rows_module
from partnernet.base.formats import SafeCsvWriter, _quoted, neutralise
from partnernet.base.registry import record_kind
from partnernet.base.rows import export_rows
from partnernet.exchange.selectors import export_queryset
from partnernet.exchange.services import import_file
from tests.exchange.test_export import export_text
from tests.factories import EntityFactory, PartnerFactory, PartnershipFactory, region, theme

pytestmark = [pytest.mark.django_db, pytest.mark.mariadb]

STREAMED = ["entities", "partners", "stewardships", "partnerships", "requests"]


def object_rows(kind_name: str) -> list[dict[str, Any]]:
    """The rows as the object path makes them: each model object through its kind's ``row``."""
    kind = record_kind(kind_name).exchange
    return [kind.row(obj) for obj in export_queryset(kind_name).order_by("key", "origin")]


@pytest.mark.usefixtures("demo_data")
@pytest.mark.parametrize("kind_name", STREAMED)
def test_streamed_rows_equal_the_rows_of_model_objects(kind_name: str) -> None:
    assert record_kind(kind_name).exchange.export_columns, "this kind is expected to stream values"
    streamed = list(export_rows(kind_name, export_queryset(kind_name)))
    assert streamed
    assert streamed == object_rows(kind_name)


def _partnerships_with_hard_cells() -> None:
    lead = EntityFactory(key="lead-u", name="Ledare för Ünïcode")
    title = "Ünïcode — 博物館 partnership"
    many = PartnershipFactory(key="many", title=title, lead=lead, region=region("SE"))
    many.supporters.set([EntityFactory(key="s-c"), EntityFactory(key="s-a"), EntityFactory(key="s-b")])
    many.partners.set([PartnerFactory(key="p-2"), PartnerFactory(key="p-1")])
    many.themes.set([theme("science"), theme("climate"), theme("cultural_heritage")])
    PartnershipFactory(key="none", title="=SUM(A1:A2)", lead=lead, region=None, start=None)
    PartnershipFactory(key="quoted", title='-1, "quoted", and\nlines', lead=lead)
    PartnershipFactory(key="return", title="a carriage\rreturn", lead=lead)
    PartnershipFactory(key="apostrophe", title="'already", lead=lead)


def test_list_cells_empty_lists_neutralised_and_unicode_cells_are_as_before() -> None:
    _partnerships_with_hard_cells()
    assert list(export_rows("partnerships", export_queryset("partnerships"))) == object_rows("partnerships")
    text = export_text("partnerships", "csv")
    parsed = {row["key"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}
    assert parsed["many"]["supporters"] == "s-a;s-b;s-c"
    assert parsed["many"]["partners"] == "p-1;p-2"
    assert parsed["many"]["themes"] == "climate;cultural_heritage;science"
    assert parsed["many"]["title"] == "Ünïcode — 博物館 partnership"
    assert parsed["many"]["lead"] == "lead-u"
    assert (parsed["none"]["supporters"], parsed["none"]["region"], parsed["none"]["start"]) == ("", "", "")
    assert parsed["none"]["title"] == "'=SUM(A1:A2)"
    assert parsed["quoted"]["title"] == '\'-1, "quoted", and\nlines'
    assert parsed["return"]["title"] == "a carriage\rreturn"
    assert parsed["apostrophe"]["title"] == "''already"
    assert '"a carriage\rreturn"' in text, "a carriage return inside a cell is quoted (RFC 4180)"


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_hard_cells_round_trip_unchanged(tmp_path: Path, fmt: str) -> None:
    _partnerships_with_hard_cells()
    before = export_text("partnerships", fmt)
    path = tmp_path / f"partnerships.{fmt}"
    path.write_bytes(before.encode())
    result = import_file("partnerships", path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    assert export_text("partnerships", fmt) == before


def test_entities_stream_their_regions_and_sorted_languages() -> None:
    many = EntityFactory(key="many-regions", languages=["sv", "en", "ar"])
    many.regions.set([region("154"), region("150")])
    EntityFactory(key="no-regions", languages=[], country=None)
    rows = {row["key"]: row for row in export_rows("entities", export_queryset("entities"))}
    assert rows["many-regions"]["regions"] == ["150", "154"]
    assert rows["many-regions"]["languages"] == ["ar", "en", "sv"]
    assert (rows["no-regions"]["regions"], rows["no-regions"]["country"]) == ([], None)
    assert list(rows.values()) == object_rows("entities")


def test_list_cells_cost_one_statement_per_link_table_and_chunk(
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries: Any,
) -> None:
    monkeypatch.setattr(rows_module, "CHUNK", 2)
    lead = EntityFactory()
    supporter = EntityFactory()
    for n in range(5):
        PartnershipFactory(key=f"chunked-{n}", lead=lead).supporters.add(supporter)
    queryset = export_queryset("partnerships")
    # One statement for the columns; three link tables for each of three chunks (2 + 2 + 1 rows).
    with django_assert_num_queries(1 + 3 * 3):
        rows = list(export_rows("partnerships", queryset))
    assert [row["key"] for row in rows] == [f"chunked-{n}" for n in range(5)]
    assert all(row["supporters"] == [supporter.key] for row in rows)


CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@given(st.lists(CELL, min_size=1, max_size=6))
def test_csv_lines_are_the_rfc_4180_quoting_of_neutralised_cells(cells: list[str]) -> None:
    buffer = io.StringIO()
    SafeCsvWriter(buffer).writerow(cells)
    values = [neutralise(cell) for cell in cells]
    expected = '""\n' if values == [""] else ",".join(_quoted(value) for value in values) + "\n"
    assert buffer.getvalue() == expected
    assert next(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) == values
