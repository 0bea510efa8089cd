from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "partnernet.federation"
    verbose_name = _("Federation")

    def ready(self) -> None:
        from partnernet.base.peering import install
        from partnernet.federation import delivery, signals
        from partnernet.federation.peering import FederationPeering
        from partnernet.federation.services import ensure_feed

        # After migrate and after a test flush: the feed counter and the key file exist before any change.
        post_migrate.connect(ensure_feed, sender=self)
        signals.connect()
        delivery.connect()
        install(FederationPeering())
