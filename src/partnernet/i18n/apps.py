from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class I18nConfig(AppConfig):
    """The reader's language: names from CLDR, stored sentences, formats, and each person's language for
    e-mails."""

    name = "partnernet.i18n"
    label = "partnernet_i18n"
    verbose_name = _("Languages")

    def ready(self) -> None:
        from partnernet.audit.models import AuditEvent
        from partnernet.i18n.sentences import register_choices

        # The audit log sits below this app; its actions are named in timeline sentences from here.
        register_choices("audit_action", AuditEvent.Action)
