from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "partnernet.impact"
    verbose_name = _("Impact")

    def ready(self) -> None:
        from partnernet.base.registry import RecordKind, register
        from partnernet.impact.kinds import OutcomeKind, outcome_recipients
        from partnernet.impact.services import OUTCOMES

        register(
            RecordKind("outcomes", OutcomeKind(), OUTCOMES, file_kind=False, recipients=outcome_recipients)
        )
