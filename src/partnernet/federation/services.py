"""Writes about this instance's identity."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction

from partnernet.federation.models import InstanceIdentity


def make_instance_identity(using: str = "default") -> InstanceIdentity:
    """Create the identity row if it is missing; a random id that can never be mistaken for ``seed``."""
    from partnernet.federation.selectors import forget_instance_id

    with transaction.atomic(using=using):
        row = InstanceIdentity.objects.using(using).select_for_update().order_by("pk").first()
        if row is None:
            row = InstanceIdentity.objects.using(using).create(instance_id=f"pn-{secrets.token_hex(8)}")
    forget_instance_id()
    return row


def ensure_instance_identity(using: str = "default", **_: Any) -> None:
    """``post_migrate`` receiver: every migrated (or flushed) database gets its identity at once."""
    make_instance_identity(using=using)
