"""The record kinds that federate, as the feed, the pull and the signals ask for them.

Kinds are registered by the apps that own them (``base.registry``); federation reads that registry and
imports no domain app. A kind federates unless it registered ``federates=False``.
"""

from __future__ import annotations

from django.db.models import Model

from partnernet.base.registry import RecordKind, find_kind
from partnernet.base.registry import kind_of_model as registered_kind_of_model


def federated_kind(name: str) -> RecordKind | None:
    kind = find_kind(name)
    return kind if kind is not None and kind.federates else None


def kind_of_model(model: type[Model]) -> RecordKind | None:
    kind = registered_kind_of_model(model)
    return kind if kind is not None and kind.federates else None
