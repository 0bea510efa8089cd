"""Who is asking: signed HTTP requests between instances, and signed deliveries to an inbox.

A feed is public by default; a peer that signs its request proves which instance it is, so the origin can
add what only that peer may see (rows of visibility ``movement`` for a movement peer, the status of the
support requests it delivered). The signature covers the method, the request target (path and query as
sent), the instance, the date and a nonce, under the purpose ``partnernet-request-v2``; it travels in four
headers::

    Partnernet-Instance: pn-3f9a0c…
    Partnernet-Date: 2026-11-26T10:00:00Z
    Partnernet-Nonce: <16 to 64 URL-safe characters, new for every request>
    Partnernet-Signature: <base64 of the Ed25519 signature>

The receiver remembers the nonces it accepted for as long as their date is within the skew, and answers a
repeated one 401, so a captured request cannot be replayed.

A delivery to an inbox is itself a signed document (purpose ``partnernet-inbox-v1``) naming its sender
(``actor``), its idempotency key (``id``), when it was made (``published``) and the support request::

    {"type": "Offer", "actor": "pn-a…", "id": "<idempotency key>", "published": "…Z",
     "object": {"type": "SupportRequest", "id": "<origin>:<uuid>", "key": "…", "fields": {...},
                "stewardship": "<origin>:<uuid>"},
     "signature": {...}}

Both tolerate the same clock skew as feed pages (one hour either way) and no more.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from partnernet.core.federation.activities import format_timestamp, parse_timestamp
from partnernet.core.federation.canonical import CanonicalJsonError, JsonValue
from partnernet.core.federation.feed import DEFAULT_SKEW
from partnernet.core.federation.identity import IdentityError, is_instance_id, parse_global_id
from partnernet.core.federation.signing import (
    KeyPair,
    check_document_signature,
    sign,
    sign_document,
    signing_input,
    verify,
)

REQUEST_PURPOSE = "partnernet-request-v2"
INBOX_PURPOSE = "partnernet-inbox-v1"
INSTANCE_HEADER = "Partnernet-Instance"
DATE_HEADER = "Partnernet-Date"
NONCE_HEADER = "Partnernet-Nonce"
SIGNATURE_HEADER = "Partnernet-Signature"
MAX_IDEMPOTENCY_KEY = 200


class TransportError(ValueError):
    """A signed request or delivery that cannot be accepted; the message says why."""


_NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _request_document(method: str, target: str, instance: str, date: str, nonce: str) -> dict[str, JsonValue]:
    return {"method": method.upper(), "target": target, "instance": instance, "date": date, "nonce": nonce}


def sign_request(
    method: str, target: str, *, instance: str, key_pair: KeyPair, now: datetime, nonce: str | None = None
) -> dict[str, str]:
    """The headers that prove ``instance`` sent ``method target`` at ``now`` (with a fresh nonce)."""
    date = format_timestamp(now)
    once = nonce or secrets.token_urlsafe(24)
    message = signing_input(_request_document(method, target, instance, date, once), REQUEST_PURPOSE)
    return {
        INSTANCE_HEADER: instance,
        DATE_HEADER: date,
        NONCE_HEADER: once,
        SIGNATURE_HEADER: base64.b64encode(sign(key_pair, message)).decode("ascii"),
    }


def requesting_instance(headers: Mapping[str, str]) -> str | None:
    """The instance a request claims to come from, or ``None`` for an anonymous request."""
    return headers.get(INSTANCE_HEADER) or None


def check_request(
    method: str,
    target: str,
    headers: Mapping[str, str],
    *,
    public_key: bytes,
    now: datetime,
    skew: timedelta = DEFAULT_SKEW,
) -> tuple[str, datetime]:
    """The request's nonce and date when the headers sign it with ``public_key`` within ``skew``; raise
    ``TransportError`` otherwise. Whether the nonce was seen before is for the caller, who keeps them."""
    instance = headers.get(INSTANCE_HEADER, "")
    date = headers.get(DATE_HEADER, "")
    nonce = headers.get(NONCE_HEADER, "")
    encoded = headers.get(SIGNATURE_HEADER, "")
    if not is_instance_id(instance):
        raise TransportError(f"{INSTANCE_HEADER} is not an instance id")
    if not _NONCE.fullmatch(nonce):
        raise TransportError(f"{NONCE_HEADER} must be 16 to 64 URL-safe characters")
    try:
        moment = parse_timestamp(date)
    except ValueError as exc:
        raise TransportError(f"{DATE_HEADER}: {exc}") from exc
    if abs(now - moment) > skew:
        raise TransportError(f"{DATE_HEADER} {date} is more than {skew} away from this instance's clock")
    try:
        signature = base64.b64decode(encoded.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise TransportError(f"{SIGNATURE_HEADER} is not base64") from exc
    message = signing_input(_request_document(method, target, instance, date, nonce), REQUEST_PURPOSE)
    if len(signature) != 64 or not verify(public_key, message, signature):
        raise TransportError("the request signature does not verify under the instance's pinned key")
    return nonce, moment


@dataclass(frozen=True)
class Delivery:
    """A support request delivered to another instance's inbox, as read from its signed document."""

    actor: str
    idempotency_key: str
    published: datetime
    request_id: str
    key: str
    fields: Mapping[str, JsonValue]
    stewardship_id: str


def delivery_document(
    *,
    actor: str,
    idempotency_key: str,
    request_id: str,
    key: str,
    fields: Mapping[str, JsonValue],
    stewardship_id: str,
    published: datetime,
    key_pair: KeyPair,
) -> dict[str, JsonValue]:
    """The signed document a sender posts to a peer's inbox."""
    document: dict[str, JsonValue] = {
        "type": "Offer",
        "actor": actor,
        "id": idempotency_key,
        "published": format_timestamp(published),
        "object": {
            "type": "SupportRequest",
            "id": request_id,
            "key": key,
            "fields": dict(fields),
            "stewardship": stewardship_id,
        },
    }
    return sign_document(document, INBOX_PURPOSE, key_pair)


def read_delivery(
    document: JsonValue, *, public_key: bytes, now: datetime, skew: timedelta = DEFAULT_SKEW
) -> Delivery:
    """Check a delivery signed by the sender whose pinned key is ``public_key``; ``TransportError`` if bad."""
    if not isinstance(document, Mapping) or document.get("type") != "Offer":
        raise TransportError("a delivery is a JSON object of type Offer")
    problem = check_document_signature(document, INBOX_PURPOSE, public_key)
    if problem is not None:
        raise TransportError(f"delivery signature {problem}")
    actor = document.get("actor")
    key = document.get("id")
    published_text = document.get("published")
    record = document.get("object")
    if not is_instance_id(actor) or not isinstance(actor, str):
        raise TransportError("actor must be an instance id")
    if not isinstance(key, str) or not 0 < len(key) <= MAX_IDEMPOTENCY_KEY:
        raise TransportError(f"id (the idempotency key) must have 1 to {MAX_IDEMPOTENCY_KEY} characters")
    try:
        published = parse_timestamp(published_text if isinstance(published_text, str) else "")
    except ValueError as exc:
        raise TransportError(str(exc)) from exc
    if abs(now - published) > skew:
        raise TransportError(f"published {published_text}, more than {skew} away from this instance's clock")
    if not isinstance(record, Mapping) or record.get("type") != "SupportRequest":
        raise TransportError("object must be a SupportRequest")
    request_id, record_key = record.get("id"), record.get("key")
    fields, stewardship = record.get("fields"), record.get("stewardship")
    if not isinstance(request_id, str) or not isinstance(stewardship, str) or not isinstance(record_key, str):
        raise TransportError("object needs id, key and stewardship strings")
    if not isinstance(fields, Mapping):
        raise TransportError("object.fields must be a JSON object")
    try:
        if parse_global_id(request_id).origin != actor:
            raise TransportError(f"{actor} may only deliver its own requests, not {request_id}")
        parse_global_id(stewardship)
    except (IdentityError, CanonicalJsonError) as exc:
        raise TransportError(str(exc)) from exc
    return Delivery(actor, key, published, request_id, record_key, fields, stewardship)
