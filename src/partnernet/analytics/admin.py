from django.contrib import admin
from django.http import HttpRequest

from partnernet.analytics.models import Snapshot


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin[Snapshot]):
    """Read-only: snapshots come from ``partnernet analyze --snapshot`` or the monthly task, never edited."""

    list_display = ("month", "taken")
    readonly_fields = ("month", "taken", "figures", "loads")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Snapshot | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Snapshot | None = None) -> bool:
        return False
