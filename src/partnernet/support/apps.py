from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "partnernet.support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from partnernet.base.registry import RecordKind, register
        from partnernet.framework.signals import stewardships_lapsed, terms_merged
        from partnernet.support.kinds import PeerRequestKind, RequestKind, request_recipients
        from partnernet.support.rules import redact_request, visible_requests
        from partnernet.support.services.records import REQUESTS, retag_requests

        register(
            RecordKind(
                "requests",
                RequestKind(),
                REQUESTS,
                wire=PeerRequestKind(),
                recipients=request_recipients,
                applies_locally=True,
                visible=visible_requests,
                redact=redact_request,
            )
        )
        from partnernet.i18n.sentences import register_choices
        from partnernet.support.models import Need
        from partnernet.support.services.workflow import move_on_from_lapsed

        register_choices("need", Need)

        terms_merged.connect(retag_requests, dispatch_uid="support-retag-requests")
        stewardships_lapsed.connect(move_on_from_lapsed, dispatch_uid="support-move-on-from-lapsed")
