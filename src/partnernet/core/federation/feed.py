"""Feed pages: serving an origin's activities in order, and checking a page before anything is applied.

A peer pulls ``GET <base_url>/<feed path>?after=<cursor>``; the cursor is the highest sequence number it has
consumed from that origin (``0`` before the first pull). The origin answers with the activities whose
sequence is greater than the cursor, in ascending order, as one page::

    {
      "@context": "https://www.w3.org/ns/activitystreams",
      "type": "OrderedCollectionPage",
      "attributedTo": "<origin instance id>",
      "published": "2026-11-26T10:00:00Z",     # when the page was served, not when its items were
      "after": 40,                             # the cursor the page answers
      "next": 90,                              # cursor for the next page, or null when caught up
      "totalItems": 2,                         # items on this page
      "itemsDigest": "<hex SHA-256 of canonical_json(orderedItems)>",
      "orderedItems": [<signed activity>, ...],
      "signature": {...}                       # purpose "partnernet-feed-page-v1"
    }

The page signature covers every member but ``orderedItems`` and ``signature``; ``itemsDigest`` binds the
items, each of which is also signed on its own. ``next`` may lie beyond the last item's sequence (changes
this peer may not see were skipped) but never before it.

Time: the page's ``published`` must be within the skew tolerance (one hour) of the verifier's clock in
either direction, which makes a captured old page useless. Items carry their own publication time and a
feed serves old items legitimately, so an item is only refused when it is dated more than the tolerance
in the *future*.

Acceptance is a prefix: items are accepted in order until the first item that fails for a reason other
than being a replay (a sequence at or below the cursor, already consumed and harmless to skip). Items
after that first failure are held back, so the cursor never passes an activity that was not applied.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeGuard

from partnernet.core.federation.activities import (
    ACTIVITY_PURPOSE,
    AS_CONTEXT,
    Activity,
    MalformedActivity,
    format_timestamp,
    parse_activity,
    parse_timestamp,
)
from partnernet.core.federation.canonical import (
    MAX_SAFE_INTEGER,
    CanonicalJsonError,
    JsonValue,
    canonical_json,
    encode_members,
    join_members,
    parse_json,
)
from partnernet.core.federation.signing import (
    KeyPair,
    SignatureProblem,
    SignedBytes,
    check_document_signature,
    sign_document,
    signature_to_check,
    verify_all,
)

PAGE_PURPOSE = "partnernet-feed-page-v1"
PAGE_TYPE = "OrderedCollectionPage"
ITEMS_FIELD = "orderedItems"
DEFAULT_SKEW = timedelta(hours=1)
MAX_PAGE_ITEMS = 1000


class PageProblem(StrEnum):
    """Why a whole page was refused; nothing on it is applied."""

    NOT_JSON = "not_json"
    MALFORMED = "malformed"
    WRONG_ORIGIN = "wrong_origin"
    TOO_LARGE = "too_large"
    TRUNCATED = "truncated"
    BAD_SIGNATURE = "bad_signature"
    STALE = "stale"
    FUTURE_DATED = "future_dated"
    WRONG_CURSOR = "wrong_cursor"
    BAD_NEXT = "bad_next"


class ItemProblem(StrEnum):
    """Why one item of an otherwise sound page was not accepted."""

    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    WRONG_ACTOR = "wrong_actor"
    FOREIGN_RECORD = "foreign_record"
    REPLAYED = "replayed"
    OUT_OF_ORDER = "out_of_order"
    FUTURE_DATED = "future_dated"
    HELD_BACK = "held_back"


@dataclass(frozen=True)
class ItemRejection:
    """One refused item: its position on the page, its sequence when readable, and why."""

    index: int
    sequence: int | None
    problem: ItemProblem
    detail: str

    @property
    def blocking(self) -> bool:
        """Whether it stops the items after it; a replay does not, it was consumed before."""
        return self.problem is not ItemProblem.REPLAYED


@dataclass(frozen=True)
class PageVerdict:
    """What to apply from a page, and where the cursor stands once it is applied.

    ``cursor`` is the value to store after applying ``accepted`` (in order, in the same transaction);
    ``more`` says whether to ask for the next page straight away. ``ok`` is false when the page or an
    item needs someone's attention; the accepted prefix is still safe to apply.
    """

    cursor: int
    accepted: tuple[Activity, ...] = ()
    rejected: tuple[ItemRejection, ...] = ()
    problem: PageProblem | None = None
    detail: str = ""
    more: bool = False

    @property
    def ok(self) -> bool:
        return self.problem is None and not any(item.blocking for item in self.rejected)

    @property
    def summary(self) -> str:
        """One line for a peer's status and logs."""
        if self.problem is not None:
            return f"page refused ({self.problem}): {self.detail}"
        blocking = [item for item in self.rejected if item.blocking]
        if blocking:
            first = blocking[0]
            return f"item {first.index} refused ({first.problem}): {first.detail}"
        return f"{len(self.accepted)} accepted, {len(self.rejected)} replayed"


def items_digest(items: Sequence[JsonValue]) -> str:
    """Hex SHA-256 of the canonical form of the page's items."""
    return hashlib.sha256(canonical_json(list(items))).hexdigest()


def feed_page_document(
    *,
    origin: str,
    after: int,
    items: Sequence[Mapping[str, JsonValue]],
    next_cursor: int | None,
    published: datetime,
    key_pair: KeyPair,
) -> dict[str, JsonValue]:
    """A signed page answering ``?after=<after>`` with already signed activity documents.

    ``next_cursor`` is ``None`` when the page reaches the end of the feed, else the sequence to resume
    after (at least the last item's). ``ValueError`` when it could not be valid.
    """
    if next_cursor is not None and next_cursor <= after:
        raise ValueError("the next cursor must be greater than the cursor the page answers")
    header: dict[str, JsonValue] = {
        "@context": AS_CONTEXT,
        "type": PAGE_TYPE,
        "attributedTo": origin,
        "published": format_timestamp(published),
        "after": after,
        "next": next_cursor,
        "totalItems": len(items),
        "itemsDigest": items_digest(items),
    }
    page = sign_document(header, PAGE_PURPOSE, key_pair)
    page[ITEMS_FIELD] = list(items)
    return page


def encode_feed_page(
    *,
    origin: str,
    after: int,
    items: Sequence[bytes],
    next_cursor: int | None,
    published: datetime,
    key_pair: KeyPair,
    extra: Mapping[str, JsonValue] | None = None,
) -> bytes:
    """The HTTP body of a page whose items are already signed and stored as canonical JSON bytes.

    Equivalent to ``feed_page_document`` but without parsing the stored items again: the digest of the
    canonical array is computed from the stored bytes, and the body is the signed envelope with the items
    spliced in (a verifier parses the body, so the envelope need not stay canonical). ``extra`` adds signed
    members to the envelope, such as the origin's latest sequence for measuring a peer's lag.
    """
    if next_cursor is not None and next_cursor <= after:
        raise ValueError("the next cursor must be greater than the cursor the page answers")
    array = b"[" + b",".join(items) + b"]"
    header: dict[str, JsonValue] = {
        **(extra or {}),
        "@context": AS_CONTEXT,
        "type": PAGE_TYPE,
        "attributedTo": origin,
        "published": format_timestamp(published),
        "after": after,
        "next": next_cursor,
        "totalItems": len(items),
        "itemsDigest": hashlib.sha256(array).hexdigest(),
    }
    envelope = canonical_json(sign_document(header, PAGE_PURPOSE, key_pair))
    return envelope[:-1] + b',"' + ITEMS_FIELD.encode("ascii") + b'":' + array + b"}"


def verify_page_body(
    body: bytes,
    *,
    origin: str,
    public_key: bytes,
    cursor: int,
    now: datetime,
    skew: timedelta = DEFAULT_SKEW,
    max_items: int = MAX_PAGE_ITEMS,
) -> PageVerdict:
    """``verify_page`` on a raw HTTP body, parsed strictly; a body cut short in transit is ``NOT_JSON``."""
    try:
        page = parse_json(body)
    except CanonicalJsonError as exc:
        return PageVerdict(cursor=cursor, problem=PageProblem.NOT_JSON, detail=str(exc))
    return verify_page(
        page, origin=origin, public_key=public_key, cursor=cursor, now=now, skew=skew, max_items=max_items
    )


def verify_page(
    page: JsonValue,
    *,
    origin: str,
    public_key: bytes,
    cursor: int,
    now: datetime,
    skew: timedelta = DEFAULT_SKEW,
    max_items: int = MAX_PAGE_ITEMS,
) -> PageVerdict:
    """Check a page pulled from ``origin`` (whose pinned key is ``public_key``) after ``cursor``.

    Page checks, in order: shape, origin, size, declared count and digest (a page missing items is
    ``TRUNCATED``), signature, freshness, cursor, ``next``. Then every item: shape, signature, actor is
    the origin, the record is the origin's own (a peer may not speak for another origin's records),
    sequence above the cursor and above every earlier item, not dated in the future.
    """
    header = _check_header(
        page, origin=origin, public_key=public_key, cursor=cursor, now=now, skew=skew, max_items=max_items
    )
    if isinstance(header, PageVerdict):
        return header
    items, encoded, next_cursor = header
    accepted: list[Activity] = []
    rejected: list[ItemRejection] = []
    highest = cursor
    first_blocking: ItemRejection | None = None
    for index, checked in enumerate(_authenticate(items, encoded, origin, public_key)):
        rejection: ItemRejection | None
        if isinstance(checked, ItemRejection):
            rejection = checked
        else:
            rejection = _place(index, checked, cursor, highest, now + skew)
            highest = max(highest, checked.sequence)
            if rejection is None and first_blocking is not None:
                detail = f"follows refused item {first_blocking.index}"
                rejection = ItemRejection(index, checked.sequence, ItemProblem.HELD_BACK, detail)
            if rejection is None:
                accepted.append(checked)
                continue
        rejected.append(rejection)
        if first_blocking is None and rejection.blocking:
            first_blocking = rejection
    if next_cursor is not None and next_cursor < highest:
        return _refuse(cursor, PageProblem.BAD_NEXT, f"next {next_cursor} is before item sequence {highest}")
    last_accepted = accepted[-1].sequence if accepted else cursor
    if first_blocking is not None:
        return PageVerdict(cursor=last_accepted, accepted=tuple(accepted), rejected=tuple(rejected))
    return PageVerdict(
        cursor=last_accepted if next_cursor is None else next_cursor,
        accepted=tuple(accepted),
        rejected=tuple(rejected),
        more=next_cursor is not None,
    )


def _check_header(
    page: JsonValue,
    *,
    origin: str,
    public_key: bytes,
    cursor: int,
    now: datetime,
    skew: timedelta,
    max_items: int,
) -> PageVerdict | tuple[Sequence[JsonValue], list[dict[str, str] | None], int | None]:
    """The page's items, each item's members in canonical form (``encode_members``; ``None`` for an item
    that is not an object) and ``next`` when its envelope is sound, else the verdict refusing it. The items
    are encoded once, for the page's digest and for each item's signature."""
    if not isinstance(page, Mapping) or page.get("type") != PAGE_TYPE or page.get("@context") != AS_CONTEXT:
        return _refuse(cursor, PageProblem.MALFORMED, f"not an ActivityStreams {PAGE_TYPE}")
    if page.get("attributedTo") != origin:
        detail = f"page of {page.get('attributedTo')!r}, not {origin}"
        return _refuse(cursor, PageProblem.WRONG_ORIGIN, detail)
    items = page.get(ITEMS_FIELD)
    total = page.get("totalItems")
    digest = page.get("itemsDigest")
    if not isinstance(items, list) or not _is_count(total) or not isinstance(digest, str):
        return _refuse(cursor, PageProblem.MALFORMED, "orderedItems, totalItems and itemsDigest are required")
    if len(items) > max_items:
        return _refuse(cursor, PageProblem.TOO_LARGE, f"{len(items)} items, at most {max_items} allowed")
    if total != len(items):
        return _refuse(cursor, PageProblem.TRUNCATED, f"declares {total} items but carries {len(items)}")
    try:
        encoded = [encode_members(item) if isinstance(item, Mapping) else None for item in items]
        texts = [
            canonical_json(item) if m is None else join_members(m)
            for item, m in zip(items, encoded, strict=True)
        ]
    except CanonicalJsonError as exc:
        return _refuse(cursor, PageProblem.MALFORMED, str(exc))
    actual_digest = hashlib.sha256(b"[" + b",".join(texts) + b"]").hexdigest()
    if actual_digest != digest:
        return _refuse(cursor, PageProblem.TRUNCATED, "items do not match the declared digest")
    envelope = {name: value for name, value in page.items() if name != ITEMS_FIELD}
    signature_problem = check_document_signature(envelope, PAGE_PURPOSE, public_key)
    if signature_problem is not None:
        return _refuse(cursor, PageProblem.BAD_SIGNATURE, f"page signature {signature_problem}")
    published_text = page.get("published")
    try:
        published = parse_timestamp(published_text if isinstance(published_text, str) else "")
    except ValueError as exc:
        return _refuse(cursor, PageProblem.MALFORMED, str(exc))
    if published < now - skew:
        return _refuse(cursor, PageProblem.STALE, f"served at {published_text}, over {skew} ago")
    if published > now + skew:
        return _refuse(cursor, PageProblem.FUTURE_DATED, f"served at {published_text}, over {skew} ahead")
    if page.get("after") != cursor or not _is_count(page.get("after")):
        return _refuse(cursor, PageProblem.WRONG_CURSOR, f"answers after={page.get('after')!r}, not {cursor}")
    next_cursor = page.get("next")
    if next_cursor is None:
        return items, encoded, None
    if not _is_count(next_cursor) or next_cursor <= cursor:
        return _refuse(cursor, PageProblem.BAD_NEXT, f"next {next_cursor!r} does not move past {cursor}")
    return items, encoded, next_cursor


def _authenticate(
    items: Sequence[JsonValue], encoded: list[dict[str, str] | None], origin: str, public_key: bytes
) -> list[Activity | ItemRejection]:
    """Each item's activity when it is readable, signed by the origin and about one of its own records,
    else why not. The page's signatures are checked together (``verify_all``), the rest item by item."""
    checked: list[Activity | ItemRejection] = []
    pending: list[tuple[int, Activity, SignedBytes]] = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            checked.append(ItemRejection(index, None, ItemProblem.MALFORMED, "an activity is a JSON object"))
            continue
        try:
            activity = parse_activity(item)
        except MalformedActivity as exc:
            checked.append(ItemRejection(index, None, ItemProblem.MALFORMED, str(exc)))
            continue
        found = signature_to_check(item, ACTIVITY_PURPOSE, public_key, members=encoded[index])
        if isinstance(found, SignatureProblem):
            checked.append(_bad_signature(index, activity, found))
            continue
        checked.append(activity)
        pending.append((index, activity, found))
    valid = verify_all(public_key, [signed for _, _, signed in pending])
    for (index, activity, _), ok in zip(pending, valid, strict=True):
        checked[index] = _vouched(index, activity, origin) if ok else _bad_signature(index, activity)
    return checked


def _bad_signature(
    index: int, activity: Activity, problem: SignatureProblem = SignatureProblem.INVALID
) -> ItemRejection:
    return ItemRejection(index, activity.sequence, ItemProblem.BAD_SIGNATURE, f"signature {problem}")


def _vouched(index: int, activity: Activity, origin: str) -> Activity | ItemRejection:
    """A correctly signed activity, unless its actor is not the origin or its record is another origin's."""
    if activity.actor != origin:
        detail = f"actor {activity.actor} on a page of {origin}"
        return ItemRejection(index, activity.sequence, ItemProblem.WRONG_ACTOR, detail)
    if activity.record.origin != origin:
        detail = f"{origin} may not change {activity.global_id}"
        return ItemRejection(index, activity.sequence, ItemProblem.FOREIGN_RECORD, detail)
    return activity


def _place(
    index: int, activity: Activity, cursor: int, highest: int, latest_allowed: datetime
) -> ItemRejection | None:
    """Why an authentic activity is out of place (at or below the cursor, not after its predecessors,
    from the future), or ``None`` when it is where it belongs."""
    sequence = activity.sequence
    if sequence <= cursor:
        problem, detail = ItemProblem.REPLAYED, f"{sequence} is at or below the cursor {cursor}"
    elif sequence <= highest:
        problem, detail = ItemProblem.OUT_OF_ORDER, f"{sequence} comes after {highest}"
    elif activity.published > latest_allowed:
        when = format_timestamp(activity.published)
        problem, detail = ItemProblem.FUTURE_DATED, f"published {when}, beyond the clock-skew tolerance"
    else:
        return None
    return ItemRejection(index, sequence, problem, detail)


def _is_count(value: JsonValue) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_SAFE_INTEGER


def _refuse(cursor: int, problem: PageProblem, detail: str) -> PageVerdict:
    return PageVerdict(cursor=cursor, problem=problem, detail=detail)
