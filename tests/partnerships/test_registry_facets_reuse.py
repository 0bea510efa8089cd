"""The unfiltered registry's facets are kept while nothing they count or label changes, and equal a fresh
count after every write: a partnership recorded, a partner's kind changed, a type relabelled."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from partnernet.base.versions import forget
from partnernet.directory.models import Partner
from partnernet.directory.services import update_partner
from partnernet.partnerships import tally
from partnernet.partnerships.facets import Facets, registry_facets
from partnernet.partnerships.rules import visible_partnerships
from partnernet.partnerships.selectors import RegistryFilter, filter_partnerships
from partnernet.partnerships.services import PARTNERSHIPS
from tests.factories import EntityFactory, PartnerFactory, PartnershipFactory, UserFactory, ptype, region

pytestmark = pytest.mark.django_db

UNFILTERED = RegistryFilter(**dict.fromkeys(RegistryFilter.__dataclass_fields__, ""))


def facets() -> Facets:
    anonymous = AnonymousUser()
    return registry_facets(
        anonymous, filter_partnerships(visible_partnerships(anonymous), UNFILTERED), UNFILTERED
    )


def fresh() -> Facets:
    forget()
    return facets()


def kinds(found: Facets) -> dict[str, int]:
    return {option.value: option.count for option in found.partner_kind}


@pytest.fixture
def registry() -> Any:
    museum = PartnerFactory(key="museum-one", kind="museum")
    for key in ("first", "second"):
        PartnershipFactory(key=key, lead=EntityFactory(), region=region("SE")).partners.add(museum)
    tally.rebuild_registry_tally()
    forget()
    return museum


def test_kept_between_reads_and_equal_to_a_fresh_count_after_each_write(registry: Partner) -> None:
    with translation.override("en"):
        first = facets()
        assert facets() is first, "nothing changed: the same facets"
        assert first.total == 2

        actor = UserFactory(is_superuser=True)
        lead = EntityFactory(key="third-lead")
        values = {"key": "third", "title": "Third", "lead": lead.key, "type": "glam", "status": "active"}
        PARTNERSHIPS.create(actor, values)
        after_create = facets()
        assert after_create.total == 3
        assert after_create == fresh()

        update_partner(actor, registry, {"name": registry.name, "kind": "university"})
        after_kind = facets()
        assert kinds(after_kind).get("university") == 2
        assert after_kind == fresh()

        glam = ptype("glam")
        glam.labels = {"en": "Galleries, libraries, archives and museums (relabelled)"}
        glam.save()
        relabelled = facets()
        assert "(relabelled)" in " ".join(option.label for option in relabelled.type)
        assert relabelled == fresh()
