from django.contrib import admin

from partnernet.federation.models import InstanceIdentity


@admin.register(InstanceIdentity)
class InstanceIdentityAdmin(admin.ModelAdmin[InstanceIdentity]):
    list_display = ("instance_id", "created_at")
    readonly_fields = ("instance_id", "created_at")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
