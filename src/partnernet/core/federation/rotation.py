"""Key rotation: a statement signed by the old key and by the new one, which peers follow on their own.

An instance that changes its key on purpose publishes, in its well-known document, one statement per
change::

    {"type": "KeyRotation", "instance": "pn-…", "old_key": "<base64>", "new_key": "<base64>",
     "published": "…Z", "old_signature": "<base64>", "new_signature": "<base64>"}

The old key's signature says "my successor is this key"; the new key's says "I take over from that key"
(so nobody can point a key they hold at someone else's). A peer that pinned the old key walks the chain of
statements from its pinned key to the published one and pins the new key without an operator. A key that
was lost cannot sign a statement: the instance then publishes a new key with no chain to it, and its peers
stop and wait for an operator who confirms the new fingerprint out of band.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from datetime import datetime

from partnernet.core.federation.activities import format_timestamp
from partnernet.core.federation.canonical import JsonValue
from partnernet.core.federation.signing import (
    KeyPair,
    decode_public_key,
    encode_public_key,
    sign,
    signing_input,
    verify,
)

OLD_PURPOSE = "partnernet-rotation-old-v1"
NEW_PURPOSE = "partnernet-rotation-new-v1"
_BODY = ("type", "instance", "old_key", "new_key", "published")


class RotationError(ValueError):
    """A rotation statement that does not verify; the message says why."""


def rotation_statement(
    instance: str, old: KeyPair, new: KeyPair, published: datetime
) -> dict[str, JsonValue]:
    """The statement that ``new`` succeeds ``old`` as ``instance``'s key, signed by both."""
    body: dict[str, JsonValue] = {
        "type": "KeyRotation",
        "instance": instance,
        "old_key": encode_public_key(old.public_key),
        "new_key": encode_public_key(new.public_key),
        "published": format_timestamp(published),
    }
    return {
        **body,
        "old_signature": base64.b64encode(sign(old, signing_input(body, OLD_PURPOSE))).decode("ascii"),
        "new_signature": base64.b64encode(sign(new, signing_input(body, NEW_PURPOSE))).decode("ascii"),
    }


def read_rotation(statement: JsonValue, *, instance: str) -> tuple[bytes, bytes]:
    """``(old key, new key)`` of a statement by ``instance`` that both keys signed, else ``RotationError``."""
    if not isinstance(statement, Mapping) or statement.get("type") != "KeyRotation":
        raise RotationError("a rotation statement is a JSON object of type KeyRotation")
    if statement.get("instance") != instance:
        raise RotationError(f"the statement is about {statement.get('instance')!r}, not {instance}")
    body = {name: statement.get(name) for name in _BODY}
    try:
        old = decode_public_key(str(statement.get("old_key")))
        new = decode_public_key(str(statement.get("new_key")))
        old_signature = base64.b64decode(str(statement.get("old_signature")).encode("ascii"), validate=True)
        new_signature = base64.b64decode(str(statement.get("new_signature")).encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise RotationError(f"malformed statement: {exc}") from exc
    if not verify(old, signing_input(body, OLD_PURPOSE), old_signature):
        raise RotationError("the old key did not sign the statement")
    if not verify(new, signing_input(body, NEW_PURPOSE), new_signature):
        raise RotationError("the new key did not sign the statement")
    return old, new


def follow_rotations(
    pinned: bytes, published: bytes, statements: Iterable[JsonValue], *, instance: str
) -> list[bytes] | None:
    """The keys from ``pinned`` to ``published`` through valid statements (both ends included), or ``None``
    when no chain leads there (statements that do not verify are skipped, so they cannot help)."""
    successor: dict[bytes, bytes] = {}
    for statement in statements:
        try:
            old, new = read_rotation(statement, instance=instance)
        except RotationError:
            continue
        successor.setdefault(old, new)
    chain = [pinned]
    while chain[-1] != published:
        following = successor.get(chain[-1])
        if following is None or following in chain:
            return None
        chain.append(following)
    return chain
