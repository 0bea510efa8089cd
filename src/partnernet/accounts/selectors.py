"""Reads about accounts: finding a token by its secret, and everything stored about a person."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt, AccessLog
from django.http import HttpRequest

from partnernet.accounts.models import TOKEN_START, ApiToken, token_digest
from partnernet.audit.models import AuditEvent
from partnernet.directory.models import Membership
from partnernet.notifications.models import Notification


def active_token(secret: str) -> ApiToken | None:
    """The unrevoked token with this secret whose person may still log in, or None."""
    if not secret.startswith(TOKEN_START) or len(secret) > 200:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def tokens_of(user: Any) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))


def login_name(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The name a login attempt was made for, as django-axes counts failures per name and address.

    The admin's form says ``username``, allauth's says ``login`` and authenticates with ``username`` or
    ``email``; all count against the same name.
    """
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        for field in ("username", "email", "login"):
            value = source.get(field)
            if value:
                return str(value).strip().lower()
    return None


def login_names(user: Any) -> list[str]:
    """The names login attempts of this person are counted under (see ``login_name``)."""
    names = [user.get_username().lower(), str(getattr(user, "email", "") or "").lower()]
    return [name for name in names if name]


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data(user: Any) -> dict[str, Any]:
    """Everything Partnernet stores about a person, as one JSON-ready document (their right of access)."""

    username = user.get_username()
    return {
        "account": {
            "username": username,
            "email": getattr(user, "email", ""),
            "first_name": getattr(user, "first_name", ""),
            "last_name": getattr(user, "last_name", ""),
            "date_joined": _when(getattr(user, "date_joined", None)),
            "last_login": _when(user.last_login),
            "is_staff": getattr(user, "is_staff", False),
            "is_superuser": getattr(user, "is_superuser", False),
            "groups": sorted(user.groups.values_list("name", flat=True)),
        },
        "email_addresses": [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "linked_accounts": [
            {
                "provider": row.provider,
                "uid": row.uid,
                "extra_data": row.extra_data,
                "date_joined": _when(row.date_joined),
                "last_login": _when(row.last_login),
            }
            for row in SocialAccount.objects.filter(user=user).order_by("provider", "uid")
        ],
        "memberships": [
            {"entity": row.entity.key, "entity_name": row.entity.name, "role": row.role}
            for row in Membership.objects.filter(user=user).select_related("entity").order_by("entity__key")
        ],
        "api_tokens": [
            {
                "name": row.name,
                "prefix": row.prefix,
                "scope": row.scope,
                "created": _when(row.created_at),
                "last_used": _when(row.last_used_at),
                "revoked": _when(row.revoked_at),
            }
            for row in ApiToken.objects.filter(user=user)
        ],
        "changes_made": [
            {
                "at": _when(row.at),
                "action": row.action,
                "verb": row.verb,
                "object": row.object_label,
                "changes": row.changes,
            }
            for row in AuditEvent.objects.filter(actor=user).order_by("at", "pk")
        ],
        "notifications": [
            {
                "at": _when(row.created_at),
                "message": row.sentence,
                "details": row.details,
                "url": row.url,
                "read": _when(row.read_at),
            }
            for row in Notification.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "login_attempts": [
            {"at": _when(row.attempt_time), "ip_address": row.ip_address, "user_agent": row.user_agent}
            for row in AccessLog.objects.filter(username__in=login_names(user)).order_by("attempt_time")
        ]
        + [
            {
                "at": _when(row.attempt_time),
                "ip_address": row.ip_address,
                "user_agent": row.user_agent,
                "failures": row.failures_since_start,
            }
            for row in AccessAttempt.objects.filter(username__in=login_names(user)).order_by("attempt_time")
        ],
    }
