"""The record layer's lean bulk inserts leave rows and objects as ``bulk_create`` would."""

from __future__ import annotations

import pytest

from partnernet.base.bulk import among, insert_objects, insert_rows
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
