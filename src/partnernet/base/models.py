"""This instance's identity, and the global identity every record carries from day one.

A record's global id is ``origin:uuid``. The origin is the instance id of the instance that made the row, or
``seed`` for reference data that every instance loads identically; only the origin may change a record.
Carrying both columns on every table from the start means federation needs no data migration later. These
live below every domain app (and below federation) so that a model can carry its identity without knowing
how records travel.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

SEED_ORIGIN = "seed"
_CHOICE_LABELS: dict[models.Field[Any, Any], dict[Any, Any]] = {}


def local_origin() -> str:
    """Default origin of a new row: this instance's id (looked up once per process and database)."""
    from partnernet.base.identity import instance_id

    return instance_id()


class InstanceIdentity(models.Model):
    """The one row that names this instance. Made once, with its data, by ``ensure_instance_identity``."""

    instance_id = models.CharField(_("instance id"), max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instance identity")
        verbose_name_plural = _("instance identity")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(instance_id=SEED_ORIGIN), name="base_instance_id_is_not_seed"
            ),
        ]

    def __str__(self) -> str:
        return self.instance_id


class GlobalRecord(models.Model):
    """Abstract base of every domain row: a UUID, the origin that owns it, and timestamps."""

    uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    origin = models.CharField(_("origin"), max_length=64, default=local_origin, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["origin", "uuid"], name="%(app_label)s_%(class)s_global_id"),
        ]

    @property
    def global_id(self) -> str:
        return f"{self.origin}:{self.uuid}"

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        """What ``get_status_display()`` and its kin return, as Django defines it, from a label dict built
        once per field: Django's own builds a dict of every choice on each call, and a registry page of 50
        rows calls it a hundred times. The labels are lazy translations, so one dict serves every language.
        """
        labels = _CHOICE_LABELS.get(field)
        if labels is None:
            labels = _CHOICE_LABELS[field] = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)

    @property
    def is_reference(self) -> bool:
        """Reference data loaded by ``seed``: identical on every instance, never sent in a feed."""
        return self.origin == SEED_ORIGIN


class Heartbeat(models.Model):
    """The last sign of life of a long-running process (the worker), for ``/healthz``."""

    name = models.CharField(_("process"), max_length=40, unique=True)
    beat_at = models.DateTimeField(_("last beat"))
    host = models.CharField(_("host and process id"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
