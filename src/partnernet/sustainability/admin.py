from django.contrib import admin

from partnernet.sustainability.models import Need, Pledge


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin[Need]):
    list_display = ("key", "entity", "kind", "status", "visibility", "urgency", "is_demo")
    list_filter = ("kind", "status", "visibility", "urgency", "is_demo", "origin")
    search_fields = ("key", "title", "entity__name")
    readonly_fields = ("uuid", "origin", "created_at", "updated_at", "status")


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin[Pledge]):
    list_display = ("key", "need", "entity", "partner", "person", "status", "is_demo")
    list_filter = ("status", "is_demo", "origin")
    search_fields = ("key", "what", "need__title")
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")
