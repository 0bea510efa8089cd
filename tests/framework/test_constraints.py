"""Invariants are database constraints, so no code path (admin, import, shell) can break them."""

import datetime as dt

import pytest
from django.db import DataError, IntegrityError, transaction

from tests.factories import EntityFactory, PartnershipFactory, StewardshipFactory, SupportRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.mariadb]


@pytest.mark.parametrize(
    ("factory", "values"),
    [
        (StewardshipFactory, {"capacity": -1}),
        (StewardshipFactory, {"level": "boss"}),
        (StewardshipFactory, {"status": "dormant"}),
        (StewardshipFactory, {"term_start": dt.date(2026, 1, 1), "term_end": dt.date(2025, 1, 1)}),
        (PartnershipFactory, {"status": "maybe"}),
        (PartnershipFactory, {"visibility": "secret"}),
        (PartnershipFactory, {"start": dt.date(2026, 1, 1), "end": dt.date(2025, 1, 1)}),
        (EntityFactory, {"kind": "club"}),
        (EntityFactory, {"founded": 99}),
        (SupportRequestFactory, {"need": "coffee"}),
        (SupportRequestFactory, {"created": dt.date(2026, 1, 2), "resolved": dt.date(2026, 1, 1)}),
    ],
)
def test_database_rejects_invalid_rows(factory, values) -> None:  # type: ignore[no-untyped-def]
    # MariaDB stores a positive integer field UNSIGNED: a negative one is out of range before any check.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        factory(**values)


def test_keys_are_unique_per_origin_but_may_repeat_across_origins() -> None:
    EntityFactory(key="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        EntityFactory(key="same")
    EntityFactory(key="same", origin="pn-elsewhere")
