from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from partnernet.federation.models import (
    FeedEvent,
    ForeignRecord,
    InboxItem,
    InstanceKey,
    OutgoingDelivery,
    Peer,
)


@admin.register(Peer)
class PeerAdmin(admin.ModelAdmin[Peer]):
    """Peers are added with ``partnernet federation add`` (which checks the key); here only the movement
    flag can change. Suspending and removing are the peers page's and ``partnernet federation
    suspend|remove``'s: deleting the row here would leave its records behind, so it is not offered."""

    list_display = (
        "instance_id",
        "base_url",
        "movement",
        "last_success_at",
        "cursor",
        "failures",
        "last_error",
    )
    list_filter = ("movement", "needs_attention")
    search_fields = ("instance_id", "base_url")
    readonly_fields = (
        "instance_id", "base_url", "public_key", "fingerprint", "operator", "added_at", "cursor", "failures",
        "failing_since", "unavailable_since", "next_attempt_at", "needs_attention", "last_error",
        "last_success_at", "last_attempt_at", "remote_head", "remote_scope", "records_applied",
        "suspended_at",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FeedEvent)
class FeedEventAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "verb", "kind", "record_uuid", "audience", "published_at")
    list_filter = ("kind", "verb", "audience")


@admin.register(ForeignRecord)
class ForeignRecordAdmin(ReadOnlyAdmin):
    list_display = ("origin", "uuid", "kind", "sequence", "deleted", "problem")
    list_filter = ("origin", "kind", "deleted")


@admin.register(OutgoingDelivery)
class OutgoingDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("idempotency_key", "peer", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status",)


@admin.register(InboxItem)
class InboxItemAdmin(ReadOnlyAdmin):
    list_display = ("idempotency_key", "peer", "request", "received_at")


@admin.register(InstanceKey)
class InstanceKeyAdmin(ReadOnlyAdmin):
    list_display = ("fingerprint", "reason", "since")
