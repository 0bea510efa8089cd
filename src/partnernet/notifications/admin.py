from django.contrib import admin

from partnernet.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    """Operators may look (to answer "did I get told?"), never write: notifications come from services."""

    list_display = ("user", "created_at", "read_at", "url")
    list_filter = ("read_at",)
    search_fields = ("user__username", "url")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
