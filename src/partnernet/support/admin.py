from django.contrib import admin

from partnernet.support.models import SupportRequest


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin[SupportRequest]):
    list_display = ("key", "requester", "type", "region", "need", "status", "steward", "created", "is_demo")
    list_filter = ("status", "need", "type", "is_demo", "origin")
    search_fields = ("key", "requester__name", "steward__name", "description")
    autocomplete_fields = ("requester", "partnership", "region", "steward", "stewardship")
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")
    list_select_related = ("requester", "type", "region", "steward")
