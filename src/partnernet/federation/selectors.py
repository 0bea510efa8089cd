"""Reads about this instance's identity."""

from __future__ import annotations

from django.db import connections

_cache: dict[str, str] = {}


def instance_id(using: str = "default") -> str:
    """This instance's id, the origin of the rows it makes.

    Cached per database alias, because a bulk load asks for it once per row; the cache is cleared whenever
    the identity row is (re)made, which after a test-database flush gives a fresh id.
    """
    key = connections[using].settings_dict["NAME"]
    cached = _cache.get(key)
    if cached is not None:
        return cached
    from partnernet.federation.models import InstanceIdentity

    row = InstanceIdentity.objects.using(using).order_by("pk").first()
    if row is None:
        from partnernet.federation.services import make_instance_identity

        row = make_instance_identity(using=using)
    _cache[key] = row.instance_id
    return row.instance_id


def forget_instance_id() -> None:
    _cache.clear()
