"""Which kinds of records federate, and who may receive each record.

A kind federates by one registration: its name, the exchange ``Kind`` that serialises it (``row``) and
applies a peer's copy (``clean``/``assign``) — by default the FORMATS.md kind of that name —, its model, the
many-to-many fields whose changes are changes of the record, who may receive a given row, and which other
records follow it (an outcome goes where its partnership goes). Another app adds a kind from its
``AppConfig.ready`` with ``register(FederatedKind(...))``; capture, feed and pull then handle it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from partnernet.federation.models import Audience

Recipients = str | None
"""An ``Audience`` value, ``peer:<instance id>`` for one peer, or ``None``: the row never leaves."""


def everyone(obj: Any) -> Recipients:
    return Audience.ALL.value


@dataclass(frozen=True)
class FederatedKind:
    """One kind of record that instances exchange.

    ``recipients`` decides per row who may receive it now; when that narrows (a partnership made private),
    peers that held the row receive a tombstone. ``applies_locally`` lets a kind take over applying an
    incoming activity (support requests update the local request they answer instead of copying a row).
    """

    name: str
    model: type[Model]
    m2m: tuple[str, ...] = ()
    recipients: Callable[[Any], Recipients] = everyone
    applies_locally: bool = field(default=False)
    exchange: Any = None
    """The exchange ``Kind`` of the records; ``None`` means the FORMATS.md kind named ``name``."""
    followers: Callable[[Any], Iterable[Model]] | None = None
    """Records whose recipients derive from this one's, re-examined when it changes."""

    @property
    def serializer(self) -> Any:
        """The exchange ``Kind`` that reads and writes these records."""
        if self.exchange is not None:
            return self.exchange
        from partnernet.exchange.kinds import KINDS

        return KINDS[self.name]


_KINDS: dict[str, FederatedKind] = {}
_BY_MODEL: dict[type[Model], FederatedKind] = {}


def register(kind: FederatedKind) -> None:
    """Make ``kind`` federate: its local changes are captured from now on and peers' copies applied.

    Registering the same name twice replaces the earlier registration.
    """
    from partnernet.federation.signals import connect

    _KINDS[kind.name] = kind
    _BY_MODEL[kind.model] = kind
    connect(kind)


def federated_kind(name: str) -> FederatedKind | None:
    return _KINDS.get(name)


def kind_of_model(model: type[Model]) -> FederatedKind | None:
    return _BY_MODEL.get(model)


def federated_kinds() -> tuple[FederatedKind, ...]:
    return tuple(_KINDS.values())


def partnership_recipients(obj: Any) -> Recipients:
    """Public partnerships go to every peer, ``movement`` ones to movement peers, private ones nowhere."""
    return {"public": Audience.ALL.value, "movement": Audience.MOVEMENT.value}.get(obj.visibility)


def request_recipients(obj: Any) -> Recipients:
    """A support request leaves only for the one peer it concerns: as the answer to the peer that delivered
    it here, or, for our own request, to the peer whose stewardship it is offered to now (so that peer
    learns when it is withdrawn; once it moves elsewhere the peer's channel gets a tombstone)."""
    from partnernet.federation.models import InboxItem, OutgoingDelivery

    sender = InboxItem.objects.filter(request_id=obj.pk).values_list("peer__instance_id", flat=True).first()
    if sender:
        return f"peer:{sender}"
    if obj.stewardship_id is None:
        return None
    delivered = (
        OutgoingDelivery.objects.filter(request_id=obj.pk, stewardship_id=obj.stewardship_id)
        .values_list("peer__instance_id", flat=True)
        .first()
    )
    return f"peer:{delivered}" if delivered else None


def partnership_followers(obj: Any) -> Iterable[Model]:
    """A partnership's outcomes: they follow it into (and out of) every channel."""
    return obj.outcomes.all()


def register_defaults() -> None:
    """The kinds of the foundation and of collective impact; called from the federation app's ``ready``."""
    from partnernet.directory.models import Entity, Partner
    from partnernet.federation.request_kind import PeerRequestKind
    from partnernet.framework.models import Stewardship
    from partnernet.impact.kinds import OutcomeKind, outcome_recipients
    from partnernet.impact.models import Outcome
    from partnernet.partnerships.models import Partnership
    from partnernet.support.models import SupportRequest

    register(FederatedKind("entities", Entity, m2m=("regions",)))
    register(FederatedKind("partners", Partner))
    register(FederatedKind("stewardships", Stewardship))
    register(
        FederatedKind(
            "partnerships",
            Partnership,
            m2m=("supporters", "partners", "themes"),
            recipients=partnership_recipients,
            followers=partnership_followers,
        )
    )
    register(FederatedKind("outcomes", Outcome, recipients=outcome_recipients, exchange=OutcomeKind()))
    register(
        FederatedKind(
            "requests",
            SupportRequest,
            recipients=request_recipients,
            applies_locally=True,
            exchange=PeerRequestKind(),
        )
    )
