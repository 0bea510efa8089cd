from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BaseConfig(AppConfig):
    """Record identity and the registry of record kinds: the layer every domain app stands on."""

    name = "partnernet.base"
    label = "base"
    verbose_name = _("Records")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from partnernet.base.deletions import install as install_delete_marks
        from partnernet.base.identity import ensure_instance_identity
        from partnernet.base.limits import check_lengths

        pre_save.connect(check_lengths, dispatch_uid="partnernet-text-limits")

        # After migrate and after a test flush: an instance always has an identity before it writes a row.
        post_migrate.connect(ensure_instance_identity, sender=self)
        # Sent once every migration has run, so every table exists: marks and triggers follow (idempotent).
        post_migrate.connect(install_delete_marks, sender=self)
        post_migrate.connect(forget_cached, sender=self)


def forget_cached(**_: Any) -> None:
    """Empty the instance's cache after ``migrate``, which every upgrade runs: the cache is a folder that
    outlives restarts (``settings.CACHES``), and what new code caches need not read like what old code did."""
    from django.core.cache import cache

    cache.clear()
