"""Model signals that turn every change of a local federated row into feed activities.

The services of the other apps write rows; capturing at the model level means none of them has to know
about federation, and a change cannot be forgotten. Signals run inside the writer's transaction, so the
activity commits or rolls back with the change. Bulk writes, which send no model signals, announce their
rows through ``base.signals`` (``records_created``, ``records_changed``), which this module also follows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from partnernet.base.identity import instance_id
from partnernet.base.signals import records_changed, records_created
from partnernet.federation.outbox import publish_change
from partnernet.federation.registry import kind_of_model


def _is_local(instance: Any) -> bool:
    return getattr(instance, "origin", None) == instance_id()


def record_saved(sender: type[Model], instance: Model, raw: bool = False, **_: Any) -> None:
    kind = kind_of_model(sender)
    if raw or kind is None:
        return
    if kind.name == "entities":
        _homed_records(instance)
    if _is_local(instance):
        publish_change(instance)


def _homed_records(entity: Model) -> None:
    """An entity's home may have changed (a claim approved, a home moved): this instance's records about it
    (kinds with a ``home_field``) are sent where they may go now, or withdrawn where they may not."""
    from partnernet.base.registry import federated_kinds
    from partnernet.federation.registry import federated_kind

    for kind in federated_kinds():
        if kind.home_field is None or federated_kind(kind.name) is None:
            continue
        rows = kind.model._default_manager.filter(**{kind.home_field: entity, "origin": instance_id()})
        for row in rows:
            publish_change(row, audience_only=True)


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
        if kind_of_model(type(instance)) is None:
            return
        changed = [instance]
    elif pk_set and kind_of_model(model) is not None:
        changed = list(model._default_manager.filter(pk__in=pk_set))
    else:
        return
    for record in changed:
        if kind_of_model(type(record)) is not None and _is_local(record):
            publish_change(record)


def records_bulk_created(
    sender: type[Model], records: list[Model], rows: list[dict[str, Any]] | None = None, **_: Any
) -> None:
    """``base.signals.records_created``: rows a writer inserted in bulk (no ``post_save`` was sent), with
    their exchange rows when the writer holds them."""
    from partnernet.federation.outbox import publish_new

    publish_new(sender, records, rows)


def records_bulk_changed(sender: type[Model], ids: list[int], **_: Any) -> None:
    """``base.signals.records_changed``: rows an ``update()`` changed in bulk (a merged taxonomy term)."""
    if kind_of_model(sender) is None:
        return
    for record in sender._default_manager.filter(pk__in=ids):
        if _is_local(record):
            publish_change(record)


def connect() -> None:
    """Connect the receivers once (the app's ``ready``). They ask the registry per change, so kinds that
    apps register after federation's ``ready`` are captured too."""
    post_save.connect(record_saved, dispatch_uid="federation-save")
    post_delete.connect(record_deleted, dispatch_uid="federation-delete")
    m2m_changed.connect(links_changed, dispatch_uid="federation-m2m")
    records_created.connect(records_bulk_created, dispatch_uid="federation-bulk-created")
    records_changed.connect(records_bulk_changed, dispatch_uid="federation-bulk-changed")
