import pytest

from partnernet.base.identity import instance_id
from partnernet.base.models import SEED_ORIGIN, InstanceIdentity
from tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def test_instance_has_exactly_one_random_identity_that_is_not_seed() -> None:
    identity = InstanceIdentity.objects.get()
    assert identity.instance_id.startswith("pn-")
    assert identity.instance_id != SEED_ORIGIN
    assert instance_id() == identity.instance_id


def test_new_rows_carry_this_instance_as_origin_and_a_global_id() -> None:
    entity = EntityFactory()
    assert entity.origin == instance_id()
    assert entity.global_id == f"{instance_id()}:{entity.uuid}"
    assert not entity.is_reference
