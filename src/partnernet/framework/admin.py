from typing import Any

from django.contrib import admin

from partnernet.base.admin import ForeignRowsReadOnly
from partnernet.framework.models import (
    FrameworkVersion,
    PartnershipType,
    Proposal,
    QuorumRule,
    Region,
    RegionGrouping,
    Stewardship,
    Theme,
)


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


@admin.register(QuorumRule)
class QuorumRuleAdmin(admin.ModelAdmin[QuorumRule]):
    list_display = (
        "kind",
        "min_participants",
        "share_numerator",
        "share_denominator",
        "require_affected_region",
        "duration_days",
    )

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        """Facilitators edit rules on the rules page, where the change is audited."""
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin[Proposal]):
    """Read-only: proposals change only through the agreement process's services."""

    list_display = ("key", "title", "kind", "proposer", "status", "opens_at", "closes_at")
    list_filter = ("status", "kind")
    search_fields = ("key", "title", "proposer__name")

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin[FrameworkVersion]):
    list_display = ("number", "created_at", "changelog")

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(RegionGrouping)
class RegionGroupingAdmin(admin.ModelAdmin[RegionGrouping]):
    """Read-only: groupings change through the agreement process."""

    list_display = ("key", "name", "active")
    filter_horizontal = ("regions",)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
