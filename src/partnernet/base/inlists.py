"""``IN`` lists of many ids or keys, sent to the database as one parameter where it can take one.

Django turns a list into one placeholder per value and processes each value on the way (for 900 keys,
1.7 to 2.7 ms a query against 0.6 ms as one parameter), and psycopg then rewrites every placeholder on the
client; an import asks hundreds of such questions. PostgreSQL takes the list as one array, SQLite as one
JSON text read by ``json_each``; MariaDB gets the plain list.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL


def among(lookup: str, values: Sequence[int] | Sequence[str]) -> Q:
    """``Q(lookup__in=values)``, for ids (integers) or keys (strings), all of one type."""
    items: list[Any] = list(values)
    if not items:
        return Q(**{f"{lookup}__in": []})  # nothing matches: Django asks the database nothing
    if connection.vendor == "postgresql":
        # Only one of two type names is interpolated; the values are a parameter.
        element = "text" if isinstance(items[0], str) else "bigint"
        return Q(**{f"{lookup}__in": RawSQL(f"SELECT unnest(%s::{element}[])", (items,))})  # noqa: S611
    if connection.vendor == "sqlite":
        listed = RawSQL("SELECT value FROM json_each(%s)", (json.dumps(items),))
        return Q(**{f"{lookup}__in": listed})
    return Q(**{f"{lookup}__in": items})
