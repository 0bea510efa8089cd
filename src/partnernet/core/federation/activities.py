"""Activities: one signed change to one record, in the ActivityStreams 2.0 vocabulary.

Wire form (members other than these are allowed, covered by the signature and ignored)::

    {
      "@context": "https://www.w3.org/ns/activitystreams",
      "type": "Create" | "Update" | "Delete",
      "actor": "<instance id of the origin>",
      "published": "2026-11-26T10:00:00Z",
      "sequence": 42,
      "object": {
        "type": "Object",                  # "Tombstone" for Delete
        "id": "<origin>:<uuid>",           # the record's global id
        "kind": "partnerships",
        "key": "<the record's key>",
        "fields": {...}                    # Create and Update only; the exchange fields of FORMATS.md
      },
      "signature": {...}                   # see signing.py, purpose "partnernet-activity-v1"
    }

``sequence`` and ``signature`` are Partnernet extensions. The sequence number is per origin, strictly
increasing in the order the origin *commits* its changes (gaps are allowed), and it is also the record's
version: only the origin changes a record, so the activity with the higher sequence is the newer state.
``fields`` hold FORMATS.md exchange fields except ``key``; references to other records are by key, decimals
are strings (canonical JSON has no floats), lists are JSON arrays. A Create and an Update both carry the full
record, so a peer that missed earlier activities still ends up with the whole record.

``published`` is UTC with a ``Z``, to the second or, when the moment has them, to the microsecond.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TypeVar

from partnernet.core.federation.canonical import MAX_SAFE_INTEGER, JsonValue
from partnernet.core.federation.identity import GlobalId, IdentityError, is_instance_id, parse_global_id
from partnernet.core.federation.signing import KeyPair, sign_document, signed_canonical_all

ACTIVITY_PURPOSE = "partnernet-activity-v1"
AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
KINDS = frozenset(
    {
        "entities",
        "stewardships",
        "partners",
        "partnerships",
        "outcomes",
        "requests",
        "profiles",
        "needs",
        "pledges",
        "resources",
    }
)
"""Kinds a feed may carry. ``requests`` is here because a routed request's status flows back by feed;
``profiles`` are seeded entities' profiles, published by the instance where the entity is homed."""
MAX_KEY_LENGTH = 200

_T = TypeVar("_T")

_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{6})?Z")


class Verb(StrEnum):
    """The ActivityStreams activity types a feed uses."""

    CREATE = "Create"
    UPDATE = "Update"
    DELETE = "Delete"


class MalformedActivity(ValueError):
    """A document that is not a well-formed activity; the message says what is wrong."""


@dataclass(frozen=True)
class Activity:
    """A parsed activity. ``fields`` is ``None`` exactly for ``Delete``.

    It does not insist that ``record.origin == actor``: a feed verifier must be able to hold a forged
    activity to report it. ``sign_activity`` insists, so this instance never publishes one.
    """

    verb: Verb
    actor: str
    sequence: int
    published: datetime
    record: GlobalId
    kind: str
    key: str
    fields: Mapping[str, JsonValue] | None = None

    def __post_init__(self) -> None:
        if not is_instance_id(self.actor):
            raise MalformedActivity(f"actor {self.actor!r} is not an instance id")
        if not 1 <= self.sequence <= MAX_SAFE_INTEGER:
            raise MalformedActivity(f"sequence {self.sequence} is not a positive safe integer")
        if self.published.tzinfo is None:
            raise MalformedActivity("published must be timezone-aware")
        if self.kind not in KINDS:
            raise MalformedActivity(f"kind {self.kind!r} is not one of {', '.join(sorted(KINDS))}")
        if not self.key or len(self.key) > MAX_KEY_LENGTH:
            raise MalformedActivity(f"key must have 1 to {MAX_KEY_LENGTH} characters")
        if (self.fields is None) != (self.verb is Verb.DELETE):
            raise MalformedActivity("Create and Update carry fields; Delete carries none")
        if self.fields is not None and "key" in self.fields:
            raise MalformedActivity("the key belongs in object.key, not in object.fields")

    @property
    def global_id(self) -> str:
        return str(self.record)


def format_timestamp(moment: datetime) -> str:
    """``moment`` in UTC as ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``; ``ValueError`` for a naive datetime."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds" if utc.microsecond else "seconds") + "Z"


def parse_timestamp(text: str) -> datetime:
    """The aware UTC datetime of a timestamp written by ``format_timestamp``; ``ValueError`` otherwise."""
    if not _TIMESTAMP.fullmatch(text):
        raise ValueError(f"{text!r} is not a UTC timestamp like 2026-11-26T10:00:00Z")
    return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)


def activity_document(activity: Activity) -> dict[str, JsonValue]:
    """The unsigned wire form of ``activity``."""
    record: dict[str, JsonValue] = {
        "type": "Tombstone" if activity.fields is None else "Object",
        "id": activity.global_id,
        "kind": activity.kind,
        "key": activity.key,
    }
    if activity.fields is not None:
        record["fields"] = activity.fields
    return {
        "@context": AS_CONTEXT,
        "type": activity.verb.value,
        "actor": activity.actor,
        "published": format_timestamp(activity.published),
        "sequence": activity.sequence,
        "object": record,
    }


def sign_activity(activity: Activity, key_pair: KeyPair) -> dict[str, JsonValue]:
    """The signed wire form; ``ValueError`` when the record is not the actor's own.

    Sign once, when the change is committed, and store the document: serving it is then a copy, and the
    bytes a peer verifies are the bytes that were signed.
    """
    if activity.record.origin != activity.actor:
        raise ValueError(f"{activity.actor} may only publish its own records, not {activity.global_id}")
    return sign_document(activity_document(activity), ACTIVITY_PURPOSE, key_pair)


def signed_activity_json(activity: Activity, key_pair: KeyPair) -> bytes:
    """``canonical_json(sign_activity(activity, key_pair))``, the document encoded once: what the feed
    stores. Same checks, same signed bytes."""
    return signed_activities_json([activity], key_pair)[0]


def signed_activities_json(activities: Sequence[Activity], key_pair: KeyPair) -> list[bytes]:
    """``signed_activity_json`` of each activity, in order, signed together (``signing.sign_all``)."""
    for activity in activities:
        if activity.record.origin != activity.actor:
            raise ValueError(f"{activity.actor} may only publish its own records, not {activity.global_id}")
    documents = [activity_document(activity) for activity in activities]
    return signed_canonical_all(documents, ACTIVITY_PURPOSE, key_pair)


def parse_activity(document: JsonValue) -> Activity:
    """Read an activity's wire form (its signature is not checked here); ``MalformedActivity`` if bad."""
    if not isinstance(document, Mapping):
        raise MalformedActivity("an activity is a JSON object")
    if document.get("@context") != AS_CONTEXT:
        raise MalformedActivity(f"@context must be {AS_CONTEXT}")
    try:
        verb = Verb(_member(document, "type", str))
    except ValueError as exc:
        raise MalformedActivity(f"type must be one of {', '.join(Verb)}") from exc
    record = document.get("object")
    if not isinstance(record, Mapping):
        raise MalformedActivity("object must be a JSON object")
    expected_type = "Tombstone" if verb is Verb.DELETE else "Object"
    if record.get("type") != expected_type:
        raise MalformedActivity(f"the object of a {verb} has type {expected_type}")
    fields = record.get("fields")
    if fields is not None and not isinstance(fields, Mapping):
        raise MalformedActivity("object.fields must be a JSON object")
    try:
        record_id = parse_global_id(_member(record, "id", str))
        published = parse_timestamp(_member(document, "published", str))
    except (IdentityError, ValueError) as exc:
        raise MalformedActivity(str(exc)) from exc
    return Activity(
        verb=verb,
        actor=_member(document, "actor", str),
        sequence=_member(document, "sequence", int),
        published=published,
        record=record_id,
        kind=_member(record, "kind", str),
        key=_member(record, "key", str),
        fields=fields,
    )


def _member(document: Mapping[str, JsonValue], name: str, kind: type[_T]) -> _T:
    value = document.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise MalformedActivity(f"{name} must be a {kind.__name__}")
    return value
