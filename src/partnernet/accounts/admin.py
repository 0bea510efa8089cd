from typing import Any

from django.contrib import admin

from partnernet.accounts.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Operators can see and revoke tokens, never their secrets (only a digest is stored)."""

    list_display = ("name", "prefix", "user", "scope", "created_at", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "scope", "created_at", "last_used_at")

    def has_add_permission(self, request: Any) -> bool:
        return False
