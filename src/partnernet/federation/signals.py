"""Model signals that turn every change of a local federated row into feed activities.

The services of the other apps write rows; capturing at the model level means none of them has to know
about federation, and a change cannot be forgotten. Signals run inside the writer's transaction, so the
activity commits or rolls back with the change. Bulk paths that skip signals call
``outbox.publish_new`` themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from partnernet.federation.outbox import publish_change
from partnernet.federation.registry import FederatedKind, kind_of_model
from partnernet.federation.selectors import instance_id


def _is_local(instance: Any) -> bool:
    return getattr(instance, "origin", None) == instance_id()


def record_saved(sender: type[Model], instance: Model, raw: bool = False, **_: Any) -> None:
    if raw or kind_of_model(sender) is None or not _is_local(instance):
        return
    publish_change(instance)


def record_deleted(sender: type[Model], instance: Model, **_: Any) -> None:
    if kind_of_model(sender) is None or not _is_local(instance):
        return
    publish_change(instance, deleted=True)


def links_changed(
    sender: type[Model],
    instance: Model,
    action: str,
    reverse: bool,
    model: type[Model],
    pk_set: set[Any] | None,
    **_: Any,
) -> None:
    """A many-to-many change is a change of the record that owns the field; from the far side
    (``entity.supported_partnerships.add(p)``) the changed records are the ones in ``pk_set``."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    changed: list[Model]
    if not reverse:
        changed = [instance]
    elif pk_set:
        changed = list(model._default_manager.filter(pk__in=pk_set))
    else:
        return
    for record in changed:
        if kind_of_model(type(record)) is not None and _is_local(record):
            publish_change(record)


def connect(kind: FederatedKind) -> None:
    """Connect the receivers for one registered kind (``registry.register`` calls this)."""
    post_save.connect(record_saved, sender=kind.model, dispatch_uid=f"federation-save-{kind.name}")
    post_delete.connect(record_deleted, sender=kind.model, dispatch_uid=f"federation-delete-{kind.name}")
    for name in kind.m2m:
        through = kind.model._meta.get_field(name).remote_field.through  # type: ignore[union-attr]
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"federation-m2m-{kind.name}-{name}")
