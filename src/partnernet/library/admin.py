from django.contrib import admin

from partnernet.base.admin import ForeignRowsReadOnly
from partnernet.library.models import Resource, ResourceVersion


class VersionInline(admin.TabularInline[ResourceVersion, Resource]):
    model = ResourceVersion
    fields = ("number", "at", "actor_label", "title")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Resource)
class ResourceAdmin(ForeignRowsReadOnly, admin.ModelAdmin[Resource]):
    """Operators read and correct resources here; changes made here bypass the writer (no version, no search
    refresh until the next write), so the library's own pages are the place to edit."""

    list_display = (
        "title",
        "key",
        "kind",
        "publisher",
        "language",
        "status",
        "visibility",
        "is_demo",
        "origin",
    )
    list_filter = ("kind", "status", "visibility", "is_demo", "origin")
    search_fields = ("title", "key", "publisher__name")
    autocomplete_fields = ("publisher",)
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")
    list_select_related = ("publisher",)
    inlines = (VersionInline,)
    show_full_result_count = False
