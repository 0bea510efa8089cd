"""Which instance this is: its id, made once with its data and cached per database.

Every domain row's default origin is this id, so it is read on every insert of a bulk load; the cache is
cleared whenever the identity row is (re)made, which after a test-database flush gives a fresh id.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import connections, transaction

from partnernet.base.models import InstanceIdentity

_cache: dict[str, str] = {}


def instance_id(using: str = "default") -> str:
    """This instance's id, the origin of the rows it makes."""
    key = connections[using].settings_dict["NAME"]
    cached = _cache.get(key)
    if cached is not None:
        return cached
    row = InstanceIdentity.objects.using(using).order_by("pk").first()
    if row is None:
        row = make_instance_identity(using=using)
    _cache[key] = row.instance_id
    return row.instance_id


def forget_instance_id() -> None:
    _cache.clear()


def make_instance_identity(using: str = "default") -> InstanceIdentity:
    """Create the identity row if it is missing; a random id that can never be mistaken for ``seed``."""
    with transaction.atomic(using=using):
        row = InstanceIdentity.objects.using(using).select_for_update().order_by("pk").first()
        if row is None:
            row = InstanceIdentity.objects.using(using).create(instance_id=f"pn-{secrets.token_hex(8)}")
    forget_instance_id()
    return row


def ensure_instance_identity(using: str = "default", **_: Any) -> None:
    """``post_migrate`` receiver: every migrated (or flushed) database gets its identity at once."""
    make_instance_identity(using=using)
