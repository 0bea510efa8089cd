"""Names in the federation: instance ids, global record ids and the well-known document.

An instance id is the origin of every row an instance makes, so it must be safe in a URL, in a column of 64
characters and as the part of a global id before the colon: lower-case letters, digits and inner hyphens,
1 to 64 characters (``pn-3f9a0c…`` as made by the ``federation`` app). ``seed`` is reserved for reference
data and is never an instance id.

A global id is ``<instance id>:<uuid>`` with the UUID in its canonical lower-case hyphenated form, so one
record has exactly one spelling and comparing ids as strings is comparing records.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from partnernet.core.federation.canonical import JsonValue
from partnernet.core.federation.signing import (
    KeyPair,
    check_document_signature,
    decode_public_key,
    encode_public_key,
    fingerprint,
    normalise_fingerprint,
    sign_document,
)

SEED_ORIGIN = "seed"
WELL_KNOWN_PATH = "/.well-known/partnernet"
IDENTITY_PURPOSE = "partnernet-identity-v1"
"""The well-known document is signed by the key it publishes, so its id and base URL are bound to that key:
a document copied to another address, or naming another id, no longer verifies."""

_INSTANCE_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")


class IdentityError(ValueError):
    """An id or a well-known document that does not follow the rules above; the message says which."""


def is_instance_id(text: object) -> bool:
    """Whether ``text`` can be an instance id (``seed`` cannot)."""
    return isinstance(text, str) and text != SEED_ORIGIN and _INSTANCE_ID.fullmatch(text) is not None


@dataclass(frozen=True, order=True)
class GlobalId:
    """A record's identity across instances: the origin that owns it and its UUID."""

    origin: str
    uuid: UUID

    def __post_init__(self) -> None:
        if not is_instance_id(self.origin) and self.origin != SEED_ORIGIN:
            raise IdentityError(f"{self.origin!r} is not an instance id")

    def __str__(self) -> str:
        return f"{self.origin}:{self.uuid}"


def parse_global_id(text: str) -> GlobalId:
    """Read ``origin:uuid``; ``IdentityError`` unless both parts are in their one canonical spelling."""
    origin, colon, rest = text.partition(":")
    if not colon:
        raise IdentityError(f"{text!r} is not a global id (origin:uuid)")
    try:
        record_uuid = UUID(rest)
    except ValueError as exc:
        raise IdentityError(f"{text!r} does not end in a UUID") from exc
    if str(record_uuid) != rest:
        raise IdentityError(f"{text!r}: write the UUID in lower case with hyphens")
    return GlobalId(origin, record_uuid)


@dataclass(frozen=True)
class PeerIdentity:
    """What an instance publishes about itself, checked against the fingerprint its operator gave us."""

    instance: str
    base_url: str
    public_key: bytes
    operator: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def well_known_document(
    identity: PeerIdentity, key_pair: KeyPair, *, rotations: Sequence[JsonValue] = ()
) -> dict[str, JsonValue]:
    """The JSON served at ``/.well-known/partnernet`` (FORMATS.md lists these members), signed by
    ``key_pair`` (the published key) over every member; ``rotations`` are the key rotation statements of
    ``core.federation.rotation`` that lead to this key."""
    if key_pair.public_key != identity.public_key:
        raise ValueError("the well-known document is signed by the key it publishes")
    document: dict[str, JsonValue] = {
        "instance": identity.instance,
        "base_url": identity.base_url,
        "public_key": encode_public_key(identity.public_key),
        "fingerprint": identity.fingerprint,
        "operator": identity.operator,
    }
    if rotations:
        document["rotations"] = list(rotations)
    return sign_document(document, IDENTITY_PURPOSE, key_pair)


def well_known_rotations(document: JsonValue) -> list[JsonValue]:
    """The rotation statements a (verified) well-known document publishes, oldest first."""
    rotations = document.get("rotations") if isinstance(document, Mapping) else None
    return list(rotations) if isinstance(rotations, list) else []


def read_well_known(document: JsonValue, *, expected_fingerprint: str | None) -> PeerIdentity:
    """Check a peer's well-known document before trusting its key.

    The document must be signed by the key it publishes (so the id and base URL are that key's claim), the
    key's own fingerprint must equal the one the document states and, unless ``expected_fingerprint`` is
    ``None`` (a pinned key is compared by the caller), the one the peer's operator told ours out of band
    (in any case and with or without colons); only then is the key worth pinning. Members beyond the
    required ones are allowed. Whether ``base_url`` is the address the document was fetched from is for
    the caller, who knows that address, to check.
    """
    if not isinstance(document, Mapping):
        raise IdentityError("the well-known document is not a JSON object")
    instance = _required_string(document, "instance")
    if not is_instance_id(instance):
        raise IdentityError(f"instance {instance!r} is not an instance id")
    base_url = _required_string(document, "base_url")
    if not base_url.startswith(("https://", "http://")):
        raise IdentityError(f"base_url {base_url!r} is not an http(s) address")
    try:
        public_key = decode_public_key(_required_string(document, "public_key"))
        stated = normalise_fingerprint(_required_string(document, "fingerprint"))
        expected = None if expected_fingerprint is None else normalise_fingerprint(expected_fingerprint)
    except ValueError as exc:
        raise IdentityError(str(exc)) from exc
    actual = fingerprint(public_key)
    if stated != actual:
        raise IdentityError("the stated fingerprint is not the fingerprint of the published key")
    if expected is not None and actual != expected:
        raise IdentityError(f"the published key has fingerprint {actual}, not the expected {expected}")
    problem = check_document_signature(document, IDENTITY_PURPOSE, public_key)
    if problem is not None:
        raise IdentityError(
            f"the well-known document is not signed by its own key ({problem.value}): its id and address "
            "cannot be trusted"
        )
    return PeerIdentity(
        instance=instance,
        base_url=base_url,
        public_key=public_key,
        operator=_required_string(document, "operator"),
    )


def _required_string(document: Mapping[str, JsonValue], name: str) -> str:
    value = document.get(name)
    if not isinstance(value, str) or not value:
        raise IdentityError(f"the well-known document needs a non-empty string {name!r}")
    return value
