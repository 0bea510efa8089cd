"""The record layer's lean bulk inserts leave rows and objects as ``bulk_create`` would."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connection, models
from django.utils.translation import gettext_lazy

from partnernet.base.bulk import insert_objects, insert_rows, preparer
from partnernet.base.inlists import among
from partnernet.directory.models import Partner
from partnernet.partnerships.models import Partnership
from tests.factories import EntityFactory, PartnerFactory, ptype

pytestmark = pytest.mark.django_db


def test_inserted_objects_get_their_keys_timestamps_and_saved_state() -> None:
    partners = [Partner(key=f"lean-{n}", name=f"Lean {n}", kind="museum") for n in range(7)]
    insert_objects(Partner, partners)
    stored = {p.key: p for p in Partner.objects.filter(key__startswith="lean-")}
    assert len(stored) == 7
    for partner in partners:
        assert partner.pk == stored[partner.key].pk
        assert partner.created_at is not None
        assert stored[partner.key].created_at == partner.created_at
        assert stored[partner.key].uuid == partner.uuid
        assert not partner._state.adding
    partners[0].name = "Renamed"
    partners[0].save()
    assert Partner.objects.get(pk=partners[0].pk).name == "Renamed"
    assert Partner.objects.filter(key__startswith="lean-").count() == 7


def test_inserted_rows_are_linked_as_given() -> None:
    lead = EntityFactory()
    partnership = Partnership(key="lean-p", title="Lean", lead=lead, type=ptype("glam"), status="active")
    insert_objects(Partnership, [partnership])
    museums = [PartnerFactory(), PartnerFactory()]
    through = Partnership.partners.through
    assert (
        insert_rows(through, ("partnership_id", "partner_id"), [(partnership.pk, m.pk) for m in museums]) == 2
    )
    assert sorted(p.pk for p in Partnership.objects.get(key="lean-p").partners.all()) == sorted(
        m.pk for m in museums
    )


def test_among_selects_the_rows_a_plain_in_list_selects() -> None:
    partners = [PartnerFactory() for _ in range(5)]
    wanted = [partners[0].pk, partners[3].pk, partners[4].pk, 10**9]
    assert sorted(Partner.objects.filter(among("pk", wanted)).values_list("pk", flat=True)) == sorted(
        Partner.objects.filter(pk__in=wanted).values_list("pk", flat=True)
    )
    assert not Partner.objects.filter(among("pk", [])).exists()
    keys = [partners[1].key, partners[2].key, "no-such-key", 'it\'s "quoted"']
    assert sorted(Partner.objects.filter(among("key", keys)).values_list("key", flat=True)) == sorted(
        Partner.objects.filter(key__in=keys).values_list("key", flat=True)
    )
    assert not Partner.objects.filter(among("key", [])).exists()


def assert_prepared_as_django(field: models.Field, values: list) -> None:
    """``preparer(field)`` gives each value what Django's ``get_db_prep_save`` gives, type included."""
    prepare = preparer(field, connection)
    for value in values:
        expected = field.get_db_prep_save(value, connection)
        got = prepare(value)
        assert got == expected, (field.name, value)
        assert type(got) is type(expected), (field.name, value)


@pytest.mark.parametrize(
    ("field_class", "values"),
    [
        (models.CharField, ["", "text", "ünïcødé", None, 12, gettext_lazy("Museum")]),
        (models.TextField, ["a\nb", None, 3.5]),
        (models.IntegerField, [0, -7, 2**31 - 1, None, "42", True, 4.0]),
        (models.BigIntegerField, [2**53, None, "9"]),
        (models.PositiveSmallIntegerField, [3, None]),
        (models.BooleanField, [True, False, None, 1, 0]),
        (models.DateField, [dt.date(2026, 12, 4), None]),
        (models.UUIDField, [uuid.UUID(int=7), None]),
        (models.DecimalField, [Decimal("2.50"), None]),
    ],
)
def test_the_preparer_gives_what_django_prepares(field_class: type[models.Field], values: list) -> None:
    """The shortcut for plain fields must send the database exactly what ``get_db_prep_save`` sends,
    whatever the value's type (a lazy string, a number for text, text for a number)."""
    extra = {"max_digits": 6, "decimal_places": 2} if field_class is models.DecimalField else {}
    field = field_class(name="f", **extra)
    field.attname = "f"
    assert_prepared_as_django(field, values)


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("id", [1, 2**40, "7", None]),
        ("lead", [3, "4", None]),
        (
            "created_at",
            [dt.datetime(2026, 12, 4, 22, 30, 1, 250, tzinfo=dt.UTC), None, "2026-12-04T10:00:00Z"],
        ),
        ("start", [dt.date(2026, 1, 31), None, "2026-02-01", dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)]),
        ("uuid", [uuid.UUID(int=2**100), None, "12345678123456781234567812345678"]),
    ],
)
def test_the_preparer_gives_what_django_prepares_for_keys_dates_and_uuids(name: str, values: list) -> None:
    """The shortcuts for a model's keys, foreign keys, dates, stamps and UUIDs, on this database."""
    assert_prepared_as_django(Partnership._meta.get_field(name), values)


def test_a_subclass_of_a_plain_field_is_prepared_by_django() -> None:
    class Upper(models.CharField):
        def get_prep_value(self, value: object) -> object:
            return str(value).upper()

    field = Upper(name="f")
    assert preparer(field, connection)("lower") == "LOWER"
