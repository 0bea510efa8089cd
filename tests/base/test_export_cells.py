"""CSV exports read as cells by one statement (``base.rows.export_cells``) are byte for byte the CSV of the
rows (``export_rows``): list cells joined by the database in Python's order, dates as text, neutralising."""

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from partnernet.base.formats import RowWriter
from partnernet.base.registry import record_kind
from partnernet.base.rows import export_cells, export_rows
from partnernet.exchange.selectors import export_queryset
from tests.factories import (
    EntityFactory,
    PartnerFactory,
    PartnershipFactory,
    StewardshipFactory,
    region,
    theme,
)

pytestmark = [pytest.mark.django_db, pytest.mark.mariadb]

KINDS = ["entities", "partners", "stewardships", "partnerships", "requests"]
JOINS_IN_ORDER = connection.vendor in ("sqlite", "postgresql")


def rows_csv(kind_name: str) -> str:
    buffer = io.StringIO()
    fields = record_kind(kind_name).exchange.fields
    RowWriter(buffer, "csv", fields).write_all(export_rows(kind_name, export_queryset(kind_name)))
    return buffer.getvalue()


def cells_csv(kind_name: str) -> str:
    cells = export_cells(kind_name, export_queryset(kind_name))
    assert cells is not None
    buffer = io.StringIO()
    RowWriter(buffer, "csv", record_kind(kind_name).exchange.fields).write_all_values(cells)
    return buffer.getvalue()


def _hard_lists() -> None:
    """Items whose order differs between code points and a case- or accent-folding sort, an item that
    starts like a formula, rows with no items, no region and no dates."""
    lead = EntityFactory(key="lead-u", founded=None)
    many = PartnershipFactory(key="many", title="Ünïcode — 博物館", lead=lead, region=region("SE"))
    many.supporters.set([EntityFactory(key=key) for key in ("s-ä", "s-Z", "s-b")])
    many.partners.set([PartnerFactory(key="=evil"), PartnerFactory(key="p-1")])
    many.themes.set([theme("science"), theme("climate"), theme("cultural_heritage")])
    formula = PartnershipFactory(key="formula-first", lead=lead)
    formula.partners.set([PartnerFactory(key="+plus"), PartnerFactory(key="-minus")])
    PartnershipFactory(key="none", title="=SUM(A1:A2)", lead=lead, region=None, start=None, end=None)
    PartnershipFactory(key="return", title="a carriage\rreturn, and a comma", lead=lead)
    StewardshipFactory(entity=lead)


@pytest.mark.skipif(not JOINS_IN_ORDER, reason="only SQLite and PostgreSQL join lists as Python sorts them")
@pytest.mark.usefixtures("demo_data")
@pytest.mark.parametrize("kind_name", KINDS)
def test_cells_give_the_bytes_of_the_rows(kind_name: str) -> None:
    _hard_lists()
    text = cells_csv(kind_name)
    assert text.count("\n") > 2
    assert text == rows_csv(kind_name)


@pytest.mark.skipif(not JOINS_IN_ORDER, reason="only SQLite and PostgreSQL join lists as Python sorts them")
def test_list_cells_are_joined_in_code_point_order_and_neutralised() -> None:
    _hard_lists()
    cells = export_cells("partnerships", export_queryset("partnerships"))
    assert cells is not None
    fields = record_kind("partnerships").exchange.fields
    by_key = {values[0]: dict(zip(fields, values, strict=True)) for values in cells}
    assert by_key["many"]["supporters"] == "s-Z;s-b;s-ä"
    assert by_key["many"]["partners"] == "=evil;p-1"
    assert by_key["formula-first"]["partners"] == "+plus;-minus"
    assert (by_key["none"]["supporters"], by_key["none"]["start"], by_key["none"]["region"]) == (
        None,
        None,
        None,
    )
    text = cells_csv("partnerships")
    assert ",'=evil;p-1," in text
    assert ",'+plus;-minus," in text


@pytest.mark.skipif(not JOINS_IN_ORDER, reason="only SQLite and PostgreSQL join lists as Python sorts them")
def test_cells_are_one_statement(django_assert_num_queries: Any) -> None:
    _hard_lists()
    queryset = export_queryset("partnerships")
    with django_assert_num_queries(1):
        rows = list(export_cells("partnerships", queryset) or ())
    assert [values[0] for values in rows][:3] == ["formula-first", "many", "none"]


@pytest.mark.skipif(JOINS_IN_ORDER, reason="MariaDB's pass: its collations do not sort by code point")
def test_other_databases_write_the_rows() -> None:
    assert export_cells("partnerships", export_queryset("partnerships")) is None


def test_the_command_and_the_web_export_write_the_rows_bytes(tmp_path: Any) -> None:
    _hard_lists()
    output = tmp_path / "partnerships.csv"
    call_command("export", "partnerships", "--format", "csv", "--output", str(output))
    expected = rows_csv("partnerships")
    assert output.read_bytes().decode() == expected
    response = Client().get("/partnerships/export.csv")
    assert response.status_code == 200
    web = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert web == expected
