"""Row locks that every supported database engine takes."""

from __future__ import annotations

from django.db import connection


def lock_of_self() -> tuple[str, ...]:
    """``select_for_update(of=...)``: lock only the selected model's rows where the engine can say so
    (PostgreSQL); MariaDB cannot name the table (``FOR UPDATE OF``) and locks every joined row instead."""
    return ("self",) if connection.features.has_select_for_update_of else ()
