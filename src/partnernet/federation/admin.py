from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from partnernet.federation.models import (
    FeedEvent,
    ForeignRecord,
    InboxItem,
    InstanceIdentity,
    OutgoingDelivery,
    Peer,
)


@admin.register(InstanceIdentity)
class InstanceIdentityAdmin(admin.ModelAdmin[InstanceIdentity]):
    list_display = ("instance_id", "created_at")
    readonly_fields = ("instance_id", "created_at")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Peer)
class PeerAdmin(admin.ModelAdmin[Peer]):
    """Peers are added with ``partnernet federation add`` (which checks the key); here only the movement
    flag can change."""

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
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
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


class ForeignRowsReadOnly(admin.ModelAdmin[Any]):
    """Mix into the admin of a federated kind: a row whose origin is a peer opens read-only, titled with its
    origin, because only the origin may change a record (its next activity would overwrite any edit)."""

    def _is_foreign(self, obj: Any) -> bool:
        from partnernet.federation.models import SEED_ORIGIN
        from partnernet.federation.selectors import instance_id

        return obj is not None and getattr(obj, "origin", None) not in (instance_id(), SEED_ORIGIN)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._is_foreign(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._is_foreign(obj) and super().has_delete_permission(request, obj)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        obj = self.get_object(request, object_id)
        if self._is_foreign(obj):
            extra_context = {
                **(extra_context or {}),
                "title": _("%(record)s — read-only copy from %(origin)s")
                % {"record": obj, "origin": obj.origin},  # type: ignore[union-attr]
            }
        return super().change_view(request, object_id, form_url, extra_context)
