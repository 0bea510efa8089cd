"""The registry of record kinds: each app says, from its ``AppConfig.ready``, which records it owns and how
they are exchanged, federated, shown and written.

This is how ``exchange`` (import, export) and ``federation`` (feed, pull, apply) handle every kind without
importing a single app, the way Django's admin site knows every ``ModelAdmin`` without importing the apps
that register them. One ``RecordKind`` names:

* the exchange ``Kind`` — the fields of FORMATS.md, the cleaners (the one validation of fields) and the
  mapping between rows and models; ``wire`` may give the feed its own form of the record;
* the owning app's ``writer`` (``base.records.RecordWriter``): every import, API write and federation apply
  of the kind goes through it, so its transaction, audit event and side effects stay in one place;
* how it federates: its many-to-many fields, who may receive a row (``recipients``), which records follow
  it into and out of every channel (``followers``), or that a peer's activity answers a local record
  instead of copying one (``applies_locally``: support requests, handled by cross-instance support);
* who may see a row (``visible``) and which fields of a visible row a person may not see (``redact``);
* whose *home* it is (``home_field``): a record about an entity — a stewardship, a need, a profile — names
  that entity in this exchange field, and only the entity's home instance may publish it (``home_of``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet

from partnernet.base.fields import FieldError

if TYPE_CHECKING:
    from partnernet.base.cleaning import Clean, Kind
    from partnernet.base.records import RecordWriter

Recipients = str | None
"""An ``Audience`` value, ``peer:<instance id>`` for one peer, or ``None``: the row never leaves."""

ALL_PEERS = "all"
MOVEMENT_PEERS = "movement"
OTHER_PEERS = "others"


def one_peer(instance: str) -> str:
    return f"peer:{instance}"


def everyone(obj: Any) -> Recipients:
    return ALL_PEERS


def visibility_recipients(visibility: str) -> Recipients:
    """Public rows go to every peer, ``movement`` ones to movement peers, private ones nowhere."""
    return {"public": ALL_PEERS, "movement": MOVEMENT_PEERS}.get(visibility)


def _everything(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows


@dataclass(frozen=True)
class RecordKind:
    """One kind of record, as its owning app registered it."""

    name: str
    exchange: Kind
    writer: RecordWriter | None = None
    file_kind: bool = True
    """A kind of FORMATS.md: imported and exported by the command line and the pages."""
    federates: bool = True
    wire: Kind | None = None
    m2m: tuple[str, ...] = ()
    recipients: Callable[[Any], Recipients] = everyone
    followers: Callable[[Any], Iterable[Model]] | None = None
    applies_locally: bool = False
    visible: Callable[[Any, QuerySet[Any]], QuerySet[Any]] = _everything
    redact: Callable[[Any], Callable[[Any, Clean], Clean]] | None = None
    home_field: str | None = None
    """The exchange field (and model attribute) naming the entity whose home instance alone may publish a
    row of this kind; ``None``: the row's origin is its home."""

    @property
    def model(self) -> type[Model]:
        return self.exchange.model

    @property
    def serializer(self) -> Kind:
        """The form in which the record travels between instances."""
        return self.wire if self.wire is not None else self.exchange


def home_of(kind: RecordKind, obj: Any) -> str:
    """The instance that may publish ``obj``: its entity's home for kinds with a ``home_field``, an entity's
    own home (``home_instance``) for entities, else the row's origin. "" when nobody may (a seeded entity
    no claim has homed anywhere yet)."""
    if kind.home_field is not None:
        entity = getattr(obj, kind.home_field, None)
        return str(getattr(entity, "home_instance", "")) if entity is not None else ""
    home = getattr(obj, "home_instance", None)
    return str(home) if home is not None else str(getattr(obj, "origin", ""))


_KINDS: dict[str, RecordKind] = {}
_BY_MODEL: dict[type[Model], RecordKind] = {}


def register(kind: RecordKind) -> None:
    """Make ``kind`` known; registering a name again replaces the earlier registration."""
    _KINDS[kind.name] = kind
    _BY_MODEL[kind.model] = kind


def record_kind(name: str) -> RecordKind:
    """The kind registered under ``name``; an unknown name is the user's mistake (``FieldError``)."""
    try:
        return _KINDS[name]
    except KeyError:
        raise FieldError(f"unknown kind '{name}' (one of: {', '.join(file_kind_names())})") from None


def find_kind(name: str) -> RecordKind | None:
    return _KINDS.get(name)


def kind_of_model(model: type[Model]) -> RecordKind | None:
    return _BY_MODEL.get(model)


def record_kinds() -> tuple[RecordKind, ...]:
    return tuple(_KINDS.values())


def file_kind_names() -> list[str]:
    """The kinds of FORMATS.md, in the order FORMATS.md lists them (registration order)."""
    return [kind.name for kind in _KINDS.values() if kind.file_kind]


def federated_kinds() -> tuple[RecordKind, ...]:
    return tuple(kind for kind in _KINDS.values() if kind.federates)
