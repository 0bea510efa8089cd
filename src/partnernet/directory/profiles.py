"""Profiles of seeded entities and their home: the writes (reads and the overlay are in ``selectors``).

A seeded entity is the same reference row on every instance, so its admins' edits cannot go into it. They are
kept beside it, in this instance's ``EntityProfile`` of the entity, which wins on display and in routing,
survives ``partnernet seed`` and travels as the kind ``profiles``. Only the entity's *home* keeps a profile
it may change: the instance where a claim on it was first approved, or where an operator moved it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction

from partnernet.audit.services import record
from partnernet.base.identity import instance_id
from partnernet.base.models import SEED_ORIGIN
from partnernet.base.peering import peering
from partnernet.base.records import ForeignRow, RecordWriter
from partnernet.directory.kinds import PROFILE_FIELDS
from partnernet.directory.models import Entity, EntityProfile

EDITABLE = tuple(name for name in PROFILE_FIELDS if name != "key")
"""What an entity's admins may change of a seeded entity (its name, kind and regions stay the seed's)."""


class NotHome(Exception):
    """The entity is not homed here, so its profile cannot be written here; the message says where."""


class ProfileWriter(RecordWriter):
    kind_name = "profiles"
    noun = "profile"
    audit_imports = True
    keyed_by_subject = True

    def upsert_foreign(self, origin: str, rows: list[ForeignRow]) -> tuple[dict[UUID, str], int, int]:
        """A peer's profiles; an entity with no home here learns that the peer is its home (a profile is
        only ever published by its entity's home)."""
        result = super().upsert_foreign(origin, rows)
        keys = [str(row.values.get("key")) for row in rows if row.uuid not in result[0]]
        for entity in Entity.objects.filter(origin=SEED_ORIGIN, key__in=keys, home=""):
            _record_home(None, entity, origin, "learn_entity_home")
        return result


PROFILES = ProfileWriter()


def home_address(home: str) -> str:
    """Where people should go for an entity homed at ``home``: the peer's address when known."""
    address = peering().address_of(home)
    return f"{address} ({home})" if address else home


def require_home(entity: Entity) -> None:
    """Refuse (``NotHome``) unless this instance is the seeded entity's home."""
    home = entity.home_instance
    if home == instance_id():
        return
    if not home:
        raise NotHome(f"{entity.name} has no home yet: its profile is kept where a claim on it is approved.")
    raise NotHome(f"{entity.name} is homed at {home_address(home)}: its profile is kept and changed there.")


def local_profile(entity: Entity) -> EntityProfile | None:
    return EntityProfile.objects.filter(entity=entity, origin=instance_id()).first()


def _values_of(entity: Entity) -> dict[str, Any]:
    """The profile an entity shows now (its winning profile, else the seed row), in exchange form."""
    from partnernet.directory.selectors import winning_profile

    profile = winning_profile(entity)
    source: Any = profile if profile is not None else entity
    values = {name: getattr(source, name, "") for name in EDITABLE}
    if profile is None:
        values.update(contact="", description=entity.description, jurisdiction=entity.jurisdiction)
        if entity.languages_derived:
            values["languages"] = []  # derived, not stated: the profile states none until an admin does
    values["key"] = entity.key
    return values


def start_profile(actor: Any, entity: Entity, values: dict[str, Any] | None = None) -> EntityProfile:
    """This instance's profile of a seeded entity homed here, begun from ``values`` (by default what it
    shows now); audited."""
    existing = local_profile(entity)
    if existing is not None:
        return existing
    profile: EntityProfile = PROFILES.create(actor, values if values is not None else _values_of(entity))
    return profile


def edit_profile(actor: Any, entity: Entity, changes: dict[str, Any]) -> EntityProfile:
    """Change the profile of a seeded entity homed here (exchange-form values of ``EDITABLE`` fields);
    ``RecordRejected`` names bad fields, ``NotHome`` says where the entity is homed. One audit event."""
    require_home(entity)
    wanted = {name: value for name, value in changes.items() if name in EDITABLE}
    with transaction.atomic():
        profile = start_profile(actor, entity)
        PROFILES.update(actor, profile, wanted, verb="update_entity_profile")
    profile.refresh_from_db()
    return profile


def _record_home(actor: Any, entity: Entity, home: str, verb: str) -> None:
    before = entity.home
    Entity.objects.filter(pk=entity.pk).update(home=home)
    entity.home = home
    record(actor, "update", verb, entity, {"home": [before, home]})


def make_home_here(actor: Any, entity: Entity) -> None:
    """Record this instance as the home of a seeded entity that has none (a claim approved here)."""
    if not entity.home and entity.origin == SEED_ORIGIN:
        _record_home(actor, entity, instance_id(), "set_entity_home")


def move_home(actor: Any, entity: Entity, to: str) -> None:
    """The operator's explicit step, run on both instances: the seeded entity is homed at ``to`` from now on.

    Moving it here begins this instance's profile from the one shown now (the old home's, when its feed
    brought it), so nothing its admins wrote is lost; moving it away leaves this instance's profile in place,
    read-only, no longer shown.
    """
    if entity.origin != SEED_ORIGIN:
        raise NotHome(f"'{entity.key}' is not a seeded entity; its home is its origin ({entity.origin}).")
    shown = _values_of(entity)
    with transaction.atomic():
        if entity.home != to:
            _record_home(actor, entity, to, "move_entity_home")
        if to == instance_id():
            start_profile(actor, entity, shown)
