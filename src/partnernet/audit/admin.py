from typing import Any

from django.contrib import admin

from partnernet.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the log is append-only, even for superusers."""

    list_display = ("at", "actor_label", "action", "verb", "content_type", "object_label")
    list_filter = ("action", "content_type")
    search_fields = ("object_label", "actor_label", "verb")
    date_hierarchy = "at"

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
