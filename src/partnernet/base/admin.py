"""Admin of record identity: the instance's id (read-only) and the rule that a row of another origin opens
read-only in the admin of any kind."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from partnernet.base.models import InstanceIdentity


@admin.register(InstanceIdentity)
class InstanceIdentityAdmin(admin.ModelAdmin[InstanceIdentity]):
    list_display = ("instance_id", "created_at")
    readonly_fields = ("instance_id", "created_at")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


class ForeignRowsReadOnly(admin.ModelAdmin[Any]):
    """Mix into the admin of a federated kind: a row whose origin is a peer opens read-only, titled with its
    origin, because only the origin may change a record (its next activity would overwrite any edit)."""

    def _is_foreign(self, obj: Any) -> bool:
        from partnernet.base.identity import instance_id
        from partnernet.base.models import SEED_ORIGIN

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
