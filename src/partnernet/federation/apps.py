from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "partnernet.federation"
    verbose_name = _("Federation")

    def ready(self) -> None:
        from partnernet.federation.registry import register_defaults
        from partnernet.federation.services import ensure_instance_identity

        # After migrate and after a test flush: an instance always has an identity before it writes a row.
        post_migrate.connect(ensure_instance_identity, sender=self)
        register_defaults()
