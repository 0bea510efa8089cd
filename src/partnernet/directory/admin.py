from typing import Any

from django.contrib import admin

from partnernet.base.admin import ForeignRowsReadOnly
from partnernet.directory.models import Claim, Entity, EntityProfile, JoinRequest, Membership, Partner


class MembershipInline(admin.TabularInline[Membership, Entity]):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("uuid", "origin")


@admin.register(Entity)
class EntityAdmin(ForeignRowsReadOnly, admin.ModelAdmin[Entity]):
    list_display = ("name", "key", "kind", "country", "legal_identity", "founded", "is_demo", "origin")
    list_filter = ("kind", "legal_identity", "is_demo", "origin", "regions")
    search_fields = ("name", "key", "wikidata")
    autocomplete_fields = ("country", "regions")
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")
    list_select_related = ("country",)
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "entity", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "entity__name", "entity__key")
    autocomplete_fields = ("user", "entity")
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")
    list_select_related = ("user", "entity")


@admin.register(Partner)
class PartnerAdmin(ForeignRowsReadOnly, admin.ModelAdmin[Partner]):
    list_display = ("name", "key", "kind", "country", "wikidata", "is_demo", "origin")
    list_filter = ("kind", "is_demo", "origin")
    search_fields = ("name", "key", "wikidata")
    autocomplete_fields = ("country",)
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")
    list_select_related = ("country",)


class ReadOnly:
    """Shown, never written here: these rows change through their services (pages, API, import), audited,
    with their side effects (a membership, a home, who is told)."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(EntityProfile)
class EntityProfileAdmin(ReadOnly, admin.ModelAdmin[EntityProfile]):
    list_display = ("entity", "origin", "website", "updated_at")
    list_filter = ("origin",)
    search_fields = ("key", "entity__name")
    list_select_related = ("entity",)


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnly, admin.ModelAdmin[JoinRequest]):
    list_display = ("user", "entity", "status", "created_at", "decided_by")
    list_filter = ("status",)
    search_fields = ("user__username", "entity__name")
    list_select_related = ("user", "entity", "decided_by")
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")


@admin.register(Claim)
class ClaimAdmin(ReadOnly, admin.ModelAdmin[Claim]):
    list_display = ("user", "entity", "status", "created_at", "decided_by")
    list_filter = ("status",)
    search_fields = ("user__username", "entity__name", "evidence_url")
    list_select_related = ("user", "entity", "decided_by")
    readonly_fields = ("uuid", "origin", "created_at", "updated_at")
