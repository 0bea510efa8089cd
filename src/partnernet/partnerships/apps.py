from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


def _pause_search_triggers(using: str = "default", plan: Any = None, **_: Any) -> None:
    """Before migrations that may remake the tables the search triggers name (SQLite), drop the triggers."""
    from partnernet.partnerships.search import WATCHED_APPS, pause_search_triggers

    if any(migration.app_label in WATCHED_APPS for migration, _backwards in plan or []):
        pause_search_triggers(connections[using])


def _resume_search_triggers(using: str = "default", **_: Any) -> None:
    """After ``migrate``: the index's triggers are all there, and the index refilled if any was missing."""
    from partnernet.partnerships.search import resume_search_triggers

    resume_search_triggers(connections[using])


class PartnershipsConfig(AppConfig):
    name = "partnernet.partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from partnernet.base.observers import observe_writes
        from partnernet.base.registry import RecordKind, register
        from partnernet.framework.signals import terms_merged
        from partnernet.partnerships.kinds import (
            PartnershipKind,
            partnership_followers,
            partnership_recipients,
        )
        from partnernet.partnerships.rules import visible_partnerships
        from partnernet.partnerships.services import PARTNERSHIPS, retag_partnerships
        from partnernet.partnerships.tally import carry_tally_state, tally_observer

        pre_migrate.connect(_pause_search_triggers, sender=self)
        post_migrate.connect(_resume_search_triggers, sender=self)
        post_migrate.connect(carry_tally_state, sender=self)
        register(
            RecordKind(
                "partnerships",
                PartnershipKind(),
                PARTNERSHIPS,
                m2m=("supporters", "partners", "themes"),
                recipients=partnership_recipients,
                followers=partnership_followers,
                visible=visible_partnerships,
            )
        )
        observe_writes("partnerships", tally_observer("partnerships"))
        observe_writes("partners", tally_observer("partners"))
        terms_merged.connect(retag_partnerships, dispatch_uid="partnerships-retag")
