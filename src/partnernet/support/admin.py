from django.contrib import admin

from partnernet.support.models import Hosting, RequestEvent, SupportRequest


class RequestEventInline(admin.TabularInline[RequestEvent, SupportRequest]):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "status", "actor_label", "steward", "note")
    readonly_fields = fields


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin[SupportRequest]):
    list_display = ("key", "requester", "type", "region", "need", "status", "steward", "created", "is_demo")
    list_filter = ("status", "need", "type", "queued", "is_demo", "origin")
    search_fields = ("key", "requester__name", "steward__name", "description")
    autocomplete_fields = ("requester", "partner", "partnership", "region", "steward", "stewardship")
    readonly_fields = ("uuid", "origin", "created_at", "updated_at", "offered_at", "due_at", "tried")
    list_select_related = ("requester", "type", "region", "steward")
    inlines = [RequestEventInline]


@admin.register(Hosting)
class HostingAdmin(admin.ModelAdmin[Hosting]):
    list_display = ("host", "hosted", "term_start", "term_end", "status", "ended_by")
    list_filter = ("status",)
    search_fields = ("host__name", "hosted__name")
    autocomplete_fields = ("host", "hosted", "request", "ended_by")
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")
