from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworkConfig(AppConfig):
    name = "partnernet.framework"
    verbose_name = _("Framework")
