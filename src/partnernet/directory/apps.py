from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "partnernet.directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from partnernet.base.registry import RecordKind, register
        from partnernet.directory.kinds import EntityKind, PartnerKind, ProfileKind
        from partnernet.directory.profiles import PROFILES
        from partnernet.directory.services import ENTITIES, PARTNERS

        register(RecordKind("entities", EntityKind(), ENTITIES, m2m=("regions",)))
        register(RecordKind("partners", PartnerKind(), PARTNERS))
        register(RecordKind("profiles", ProfileKind(), PROFILES))
