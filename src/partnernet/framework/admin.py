from django.contrib import admin

from partnernet.federation.admin import ForeignRowsReadOnly
from partnernet.framework.models import PartnershipType, Region, Stewardship, Theme


@admin.register(PartnershipType, Theme)
class TaxonomyTermAdmin(admin.ModelAdmin[PartnershipType | Theme]):
    list_display = ("key", "name", "active", "position", "origin")
    list_filter = ("active", "origin")
    search_fields = ("key", "name")
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ("code", "name", "level", "parent", "m49")
    list_filter = ("level",)
    search_fields = ("code", "name", "m49")
    readonly_fields = ("uuid", "origin", "path", "created_at", "updated_at")
    list_select_related = ("parent",)


@admin.register(Stewardship)
class StewardshipAdmin(ForeignRowsReadOnly, admin.ModelAdmin[Stewardship]):
    list_display = ("key", "entity", "type", "theme", "region", "level", "capacity", "status", "is_demo")
    list_filter = ("status", "level", "type", "theme", "is_demo", "origin")
    search_fields = ("key", "entity__name", "entity__key", "region__name", "region__code")
    autocomplete_fields = ("entity", "region")
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")
    list_select_related = ("entity", "type", "theme", "region")
