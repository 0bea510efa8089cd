from django.contrib import admin

from partnernet.base.admin import ForeignRowsReadOnly
from partnernet.partnerships.models import Partnership


@admin.register(Partnership)
class PartnershipAdmin(ForeignRowsReadOnly, admin.ModelAdmin[Partnership]):
    list_display = ("title", "key", "lead", "type", "region", "status", "visibility", "start", "is_demo")
    list_filter = ("status", "visibility", "type", "is_demo", "origin")
    search_fields = ("title", "key", "lead__name", "partners__name")
    autocomplete_fields = ("lead", "supporters", "partners", "region")
    filter_horizontal = ("themes",)
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")
    list_select_related = ("lead", "type", "region")
    date_hierarchy = "start"
    show_full_result_count = False
