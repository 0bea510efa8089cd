"""CSV exports read as cells by one statement (``base.rows.export_cells``) are byte for byte the CSV of the
rows (``export_rows``): list cells joined by the database in Python's order, dates as text, neutralising."""

import io
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test import Client

from partnernet.base.formats import RowWriter
from partnernet.base.registry import record_kind
from partnernet.base.rows import _LinkItems, export_cells, export_rows
from partnernet.exchange.selectors import export_queryset
from partnernet.partnerships.forms import RegistryFilterForm
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.rules import visible_partnerships
from partnernet.partnerships.selectors import filter_partnerships
from tests.factories import (
    EntityFactory,
    MembershipFactory,
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
    RowWriter(buffer, "csv", record_kind(kind_name).exchange.fields).write_all(cells, values=True)
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
    EntityFactory(key="unsorted-languages", languages=["fr", "de", "ar"])
    private = PartnershipFactory(
        key="private-one", title="Private museum work", lead=lead, visibility="private"
    )
    private.themes.set([theme("climate")])


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


def test_the_command_writes_the_rows_bytes(tmp_path: Any) -> None:
    """The operator's export: every row, the private one included."""
    _hard_lists()
    output = tmp_path / "partnerships.csv"
    call_command("export", "partnerships", "--format", "csv", "--output", str(output))
    written = output.read_bytes().decode()
    assert written == rows_csv("partnerships")
    assert "private-one" in written


def _web_rows_csv(user: Any, query: dict[str, str]) -> str:
    """The rows' CSV of what ``/partnerships/export.csv`` selects for ``user`` and ``query``."""
    kind = record_kind("partnerships").exchange
    form = RegistryFilterForm(query or None)
    rows = filter_partnerships(visible_partnerships(user, kind.queryset()), form.registry_filter())
    buffer = io.StringIO()
    RowWriter(buffer, "csv", kind.fields).write_all(export_rows("partnerships", rows))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "museum"},
        {"theme": "climate"},
        {"region": "154"},
        {"partner_kind": "museum"},
        {"q": "Ünïcode"},
    ],
)
@pytest.mark.parametrize("member", [False, True])
def test_the_web_export_of_a_filter_writes_the_rows_bytes(query: dict[str, str], member: bool) -> None:
    """The view's filters and a member's private rows reach the statement as subqueries and joins."""
    _hard_lists()
    client = Client()
    user: Any = None
    if member:
        user = MembershipFactory(entity=Partnership.objects.get(key="private-one").lead).user
        client.force_login(user)
    response = client.get("/partnerships/export.csv", query)
    assert response.status_code == 200
    web = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    expected = _web_rows_csv(user or AnonymousUser(), query)
    assert web == expected
    private_selected = not query or query.get("q") == "museum" or "theme" in query
    assert ("private-one" in web) == (member and private_selected)


def test_a_list_of_numbers_is_not_joined_by_the_database() -> None:
    assert _LinkItems(Partnership, "supporters__key", "default").text
    assert not _LinkItems(Partnership, "supporters__id", "default").text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's DateStyle: its pass runs this")
def test_dates_are_iso_whatever_the_servers_date_style() -> None:
    _hard_lists()
    with connection.cursor() as cursor:
        cursor.execute("SET DateStyle = 'SQL, DMY'")
    try:
        text = cells_csv("partnerships")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET DateStyle = 'ISO, MDY'")
    assert ",2024-01-01," in text
    assert text == rows_csv("partnerships")
