from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "partnernet.web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from partnernet.web.picker_sources import register_sources

        register_sources()
