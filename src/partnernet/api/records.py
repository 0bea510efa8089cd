"""What every router of the five kinds shares: finding a visible row by key, serialising it, checking a
permission, and turning a service's refusal into the API's error shape.

Visibility comes from ``exchange.selectors.visible_rows`` (the one filter for views, API, exports and search);
a row the caller may not see answers 404 exactly like a missing one, so its existence does not leak.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.responses import NinjaJSONEncoder

from partnernet.api.auth import caller
from partnernet.api.errors import ApiError
from partnernet.api.pagination import paginate
from partnernet.base.identity import instance_id
from partnernet.base.records import RecordConflict, RecordInUse, RecordReadOnly, RecordRejected
from partnernet.base.references import key_and_origin, origin_rank, preferred_ids
from partnernet.base.registry import home_of, record_kind
from partnernet.base.rows import date_fields, hidden_fields, value_rows, visible_rows
from partnernet.directory.models import Entity
from partnernet.framework.services import AgreementRequired

NOUNS = {
    "entities": "entity",
    "partners": "partner",
    "stewardships": "stewardship",
    "partnerships": "partnership",
    "requests": "support request",
    "needs": "need",
    "pledges": "pledge",
    "resources": "resource",
    "profiles": "profile",
}


def serializer(kind_name: str, user: Any) -> Callable[[Any], dict[str, Any]]:
    """Row of FORMATS.md plus ``origin`` and ``home`` (the instance that may publish it; null for a seeded
    entity no claim homed anywhere); a request hides the key of a partnership the caller may not see."""
    spec = record_kind(kind_name).exchange
    hide = hidden_fields(kind_name, user)

    kind = record_kind(kind_name)

    def serialize(obj: Any) -> dict[str, Any]:
        return {**hide(obj, spec.row(obj)), "origin": obj.origin, "home": home_of(kind, obj) or None}

    return serialize


def find(kind_name: str, user: Any, key: str, origin: str | None = None) -> Any:
    """The visible row with this key: this instance's first, then the seed's, then a federated copy.

    Keys are unique per origin, so ``KEY@ORIGIN`` (or ``origin``, the ``?origin=`` of the URL) names one
    origin's row exactly; a bare key means the row a bare key means everywhere (FORMATS.md)."""
    local = instance_id()
    bare, wanted = key_and_origin(key, origin)
    rows = []
    if "\x00" not in key and (wanted is None or "\x00" not in wanted):
        found = visible_rows(kind_name, user).filter(key=bare)
        if wanted:
            found = found.filter(origin=local if wanted == "local" else wanted)
        rows = list(found)
    if not rows:
        where = f" on {wanted}" if wanted else ""
        raise ApiError(404, "not_found", f"No {NOUNS[kind_name]} with key '{bare}'{where}.")
    return min(rows, key=lambda obj: origin_rank(obj.origin, local))


def listing(request: HttpRequest, kind_name: str, rows: Any, cursor: str | None, limit: int | None) -> Any:
    """A page of ``rows``. A kind whose rows can be read as plain values (``Kind.export_columns``), that
    redacts nothing and whose home is its row's origin is read that way: building a model object and its
    prefetch caches for each of 500 rows cost four fifths of a page's time, and checking the page against the
    response schema most of the rest (``benchmarks/exchange/api_pages.py``). Such a page is written here, in
    the schema's field order (the kind's fields, ``origin``, ``home``) with the API's own JSON encoder;
    ``tests/api/test_value_pages.py`` holds it byte for byte to what the schema-checked path answers."""
    kind = record_kind(kind_name)
    if not (kind.exchange.export_columns and kind.redact is None and _home_is_origin(kind)):
        return paginate(request, rows, serializer(kind_name, caller(request)), cursor, limit)
    dates = date_fields(kind.exchange)

    def item(row: dict[str, Any]) -> dict[str, Any]:
        row["home"] = row["origin"] or None  # the row's keys are already in the schema's order
        return row

    page = paginate(
        request,
        rows,
        item,
        cursor,
        limit,
        # Dates are read as the database's ISO text, which is what the API's encoder would write.
        read=lambda chosen: list(value_rows(kind.exchange, chosen, extra=ORIGIN, as_text=dates)),
    )
    return HttpResponse(json.dumps(page, cls=NinjaJSONEncoder), content_type=JSON)


JSON = "application/json; charset=utf-8"
ORIGIN = {"origin": "origin"}


def _home_is_origin(kind: Any) -> bool:
    """Whether ``home_of`` is the row's origin for every row of ``kind`` (no entity decides it)."""
    return kind.home_field is None and not hasattr(kind.model, "home_instance")


def one(request: HttpRequest, kind_name: str, obj: Any) -> dict[str, Any]:
    """Serialise ``obj`` freshly read with the kind's related rows."""
    fresh = record_kind(kind_name).exchange.queryset().get(pk=obj.pk)
    return serializer(kind_name, caller(request))(fresh)


def require(user: Any, perm: str, obj: Any = None, message: str = "You may not do this.") -> None:
    if not user.has_perm(perm, obj):
        raise ApiError(403, "forbidden", message)


def require_local(kind_name: str, obj: Any) -> None:
    """Only the origin may change a record (seed and federated rows are read-only here)."""
    if obj.origin != instance_id():
        where = "reference data loaded by seed" if obj.origin == "seed" else f"a copy from {obj.origin}"
        raise ApiError(
            403, "read_only", f"The {NOUNS[kind_name]} '{obj.key}' is {where}; only its origin may change it."
        )


@contextmanager
def refusals() -> Iterator[None]:
    """Map the record services' refusals onto the error shape."""
    try:
        yield
    except AgreementRequired as error:
        fields = {name: [str(error)] for name in error.fields}
        raise ApiError(403, "agreement_required", str(error), fields) from None
    except RecordConflict as error:
        raise ApiError(409, "conflict", error.message, error.fields) from None
    except RecordRejected as error:
        raise ApiError(422, "invalid", error.message, error.fields) from None
    except RecordReadOnly as error:
        raise ApiError(403, "read_only", str(error)) from None
    except RecordInUse as error:
        raise ApiError(409, "in_use", str(error)) from None


def entity_named(key: Any) -> Any:
    """The entity a write names (for a permission check), or None when the key is unknown (the cleaner
    then reports it as a field error)."""
    if not isinstance(key, str) or not key:
        return None
    pk = preferred_ids(Entity, [key]).get(key)
    return Entity.objects.filter(pk=pk).first() if pk else None
