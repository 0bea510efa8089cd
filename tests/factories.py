"""factory_boy factories for the domain rows; reference rows (regions, types, themes) come from the seed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import factory
from django.contrib.auth import get_user_model

from partnernet.directory.models import Claim, Entity, JoinRequest, Membership, Partner
from partnernet.framework.models import PartnershipType, Region, Stewardship, Theme
from partnernet.partnerships.models import Partnership
from partnernet.support.models import SupportRequest

if TYPE_CHECKING:
    pass


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def ptype(key: str) -> PartnershipType:
    return PartnershipType.objects.get(key=key)


def theme(key: str) -> Theme:
    return Theme.objects.get(key=key)


class UserFactory(factory.django.DjangoModelFactory[Any]):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a long test password")


class EntityFactory(factory.django.DjangoModelFactory[Entity]):
    class Meta:
        model = Entity

    key = factory.Sequence(lambda n: f"entity-{n}")
    name = factory.Sequence(lambda n: f"Test entity {n}")
    kind = "user_group"
    country = factory.LazyFunction(lambda: region("SE"))
    # As the seed reads its sources: chapters, thematic organisations and the foundation are incorporated.
    legal_identity = factory.LazyAttribute(
        lambda entity: True if entity.kind in ("chapter", "thematic_org", "foundation") else None
    )


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    entity = factory.SubFactory(EntityFactory)
    role = "member"


def seeded_entity(key: str = "wikimedia-sweden") -> Entity:
    """A real affiliate loaded by the seed (reference data, origin ``seed``)."""
    return Entity.objects.get(origin="seed", key=key)


def facilitator(**kwargs: Any) -> Any:
    """A user in the facilitators' group."""
    from django.contrib.auth.models import Group

    from partnernet.directory.rules import FACILITATORS

    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=FACILITATORS)[0])
    return user


class JoinRequestFactory(factory.django.DjangoModelFactory[JoinRequest]):
    class Meta:
        model = JoinRequest

    user = factory.SubFactory(UserFactory)
    entity = factory.SubFactory(EntityFactory)


class ClaimFactory(factory.django.DjangoModelFactory[Claim]):
    class Meta:
        model = Claim

    user = factory.SubFactory(UserFactory)
    entity = factory.LazyFunction(seeded_entity)
    evidence_url = "https://meta.wikimedia.org/wiki/Wikimedia_Sverige"
    statement = "I am the chapter's operations manager."


class PartnerFactory(factory.django.DjangoModelFactory[Partner]):
    class Meta:
        model = Partner

    key = factory.Sequence(lambda n: f"partner-{n}")
    name = factory.Sequence(lambda n: f"Test museum {n}")
    kind = "museum"


class StewardshipFactory(factory.django.DjangoModelFactory[Stewardship]):
    class Meta:
        model = Stewardship

    key = factory.Sequence(lambda n: f"stewardship-{n}")
    entity = factory.SubFactory(EntityFactory, kind="chapter")
    type = factory.LazyFunction(lambda: ptype("glam"))
    region = factory.LazyFunction(lambda: region("154"))
    level = "lead"
    capacity = 5


class PartnershipFactory(factory.django.DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership

    key = factory.Sequence(lambda n: f"partnership-{n}")
    title = factory.Sequence(lambda n: f"Test partnership {n}")
    lead = factory.SubFactory(EntityFactory)
    type = factory.LazyFunction(lambda: ptype("glam"))
    status = "active"
    start = dt.date(2024, 1, 1)


class SupportRequestFactory(factory.django.DjangoModelFactory[SupportRequest]):
    class Meta:
        model = SupportRequest

    key = factory.Sequence(lambda n: f"request-{n}")
    requester = factory.SubFactory(EntityFactory, kind="individual")
    type = factory.LazyFunction(lambda: ptype("glam"))
    region = factory.LazyFunction(lambda: region("SE"))
    need = "co_signing"
    status = "open"
    created = dt.date(2026, 1, 1)


class NeedFactory(factory.django.DjangoModelFactory["Need"]):
    """A need of an entity; its status is what the writer derives (open without pledges)."""

    class Meta:
        model = "sustainability.Need"

    key = factory.Sequence(lambda n: f"need-{n}")
    entity = factory.SubFactory(EntityFactory, kind="chapter")
    kind = "funding"
    title = factory.Sequence(lambda n: f"Test need {n}")
    amount = factory.LazyFunction(lambda: Decimal("1000.00"))
    unit = "money"
    currency = "EUR"
    visibility = "movement"


class PledgeFactory(factory.django.DjangoModelFactory["Pledge"]):
    class Meta:
        model = "sustainability.Pledge"

    key = factory.Sequence(lambda n: f"pledge-{n}")
    need = factory.SubFactory(NeedFactory)
    entity = factory.SubFactory(EntityFactory)
    what = "A grant"
    amount = factory.LazyFunction(lambda: Decimal("100.00"))
    status = "pledged"


def make_resource(publisher: Entity, actor: Any = None, **values: Any) -> Any:
    """A resource written through the library's writer (so its search index and versions are kept)."""
    from partnernet.library.services import RESOURCES

    row: dict[str, Any] = {
        "key": values.pop("key", f"resource-{Entity.objects.count()}-{len(values)}"),
        "title": "A resource",
        "kind": "playbook",
        "language": "en",
        "publisher": publisher.key,
        **values,
    }
    return RESOURCES.create(actor, row)
