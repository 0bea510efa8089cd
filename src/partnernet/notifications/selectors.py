"""Reads of a person's notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from partnernet.notifications.models import Notification


def notifications_of(user: Any, *, unread: bool = False) -> QuerySet[Notification]:
    """The person's notifications, newest first (``unread``: only those not read yet)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    rows = Notification.objects.filter(user=user)
    return rows.filter(read_at__isnull=True) if unread else rows


def unread_count(user: Any) -> int:
    return notifications_of(user, unread=True).count()
