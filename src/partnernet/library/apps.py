from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "partnernet.library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from partnernet.base.observers import observe_writes
        from partnernet.base.registry import RecordKind, register
        from partnernet.i18n.sentences import register_messages
        from partnernet.library.kinds import ResourceKindSpec, ResourceWire, resource_recipients
        from partnernet.library.messages import MESSAGES
        from partnernet.library.panels import install_panels
        from partnernet.library.rules import visible_resources
        from partnernet.library.search import index_observer
        from partnernet.library.services import RESOURCES

        register(
            RecordKind(
                "resources",
                ResourceKindSpec(),
                RESOURCES,
                wire=ResourceWire(),
                m2m=("types", "themes", "regions"),
                recipients=resource_recipients,
                visible=visible_resources,
            )
        )
        observe_writes("resources", index_observer)
        register_messages(MESSAGES)
        install_panels()
