from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworkConfig(AppConfig):
    name = "partnernet.framework"
    verbose_name = _("Framework")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from partnernet.base.references import install_vocabulary
        from partnernet.base.registry import RecordKind, register
        from partnernet.base.signals import records_created
        from partnernet.framework.kinds import StewardshipKind, vocabulary
        from partnernet.framework.labels import register as register_labels
        from partnernet.framework.models import Stewardship
        from partnernet.framework.services import STEWARDSHIPS
        from partnernet.framework.tasks import stewardship_saved, stewardships_created

        install_vocabulary(vocabulary)
        post_save.connect(stewardship_saved, sender=Stewardship, dispatch_uid="framework-schedule-lapse")
        records_created.connect(stewardships_created, dispatch_uid="framework-schedule-lapse-bulk")
        register(RecordKind("stewardships", StewardshipKind(), STEWARDSHIPS, home_field="entity"))
        register_labels()
