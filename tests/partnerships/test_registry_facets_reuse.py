"""The unfiltered registry's facets are kept while nothing they count or label changes, and equal a fresh
count after every write: a partnership recorded, a partner's kind changed, a type relabelled."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import translation

from partnernet.base.versions import forget
from partnernet.directory.models import Partner
from partnernet.directory.services import update_partner
from partnernet.partnerships import facets as facets_module
from partnernet.partnerships import tally
from partnernet.partnerships.facets import Facets, registry_facets
from partnernet.partnerships.rules import visible_partnerships
from partnernet.partnerships.selectors import RegistryFilter, filter_partnerships, registry_version
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


def filtered(**values: str) -> RegistryFilter:
    return RegistryFilter(**{**dict.fromkeys(RegistryFilter.__dataclass_fields__, ""), **values})


def facets_for(filters: RegistryFilter) -> Facets:
    anonymous = AnonymousUser()
    return registry_facets(anonymous, filter_partnerships(visible_partnerships(anonymous), filters), filters)


@pytest.mark.parametrize(
    "filters",
    [filtered(type="glam"), filtered(partner_kind="museum"), filtered(q="museum")],
    ids=["type (the tally)", "partner kind (counted)", "search (counted)"],
)
def test_a_filtered_registry_is_counted_once_per_version_and_follows_each_write(
    registry: Partner, filters: RegistryFilter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A filter's facets are counted on its first view and read from the cache on the next; a partner of
    another kind, a relabelled type or a new partnership is shown on the next view, as a fresh count."""
    counted: list[str] = []
    for name in ("_tally_facets", "_live_counts"):
        count = getattr(facets_module, name)

        def counting(*args: Any, count: Any = count, name: str = name, **kwargs: Any) -> Any:
            counted.append(name)
            return count(*args, **kwargs)

        monkeypatch.setattr(facets_module, name, counting)

    def fresh_for() -> Facets:
        cache.clear()
        return facets_for(filters)

    assert registry_version().table == tally.table_fingerprint(), "the tally's own fingerprint"
    with translation.override("en"):
        first = facets_for(filters)
        assert first.total == 2
        assert len(counted) == 1
        assert facets_for(filters) == first
        assert len(counted) == 1, "nothing changed: read from the cache"

        actor = UserFactory(is_superuser=True)
        update_partner(actor, registry, {"name": registry.name, "kind": "university"})
        after_kind = facets_for(filters)
        assert len(counted) == 2
        assert after_kind == fresh_for()
        assert after_kind.total == (0 if filters.partner_kind else 2)

        glam = ptype("glam")
        glam.labels = {"en": "Galleries, libraries, archives and museums (relabelled)"}
        glam.save()
        relabelled = facets_for(filters)
        assert relabelled == fresh_for()
        if relabelled.total:
            assert "(relabelled)" in " ".join(option.label for option in relabelled.type)

        third = PartnershipFactory(key="third", title="Third museum", region=region("SE"))
        third.partners.add(registry)
        assert facets_for(filters) == fresh_for()
