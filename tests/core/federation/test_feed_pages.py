"""Activities and feed pages: what a peer accepts, and every way a page or an item is refused."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from partnernet.core.federation.activities import (
    ACTIVITY_PURPOSE,
    Activity,
    MalformedActivity,
    Verb,
    activity_document,
    format_timestamp,
    parse_activity,
    parse_timestamp,
    sign_activity,
    signed_activity_json,
)
from partnernet.core.federation.canonical import JsonValue, canonical_json
from partnernet.core.federation.feed import (
    ItemProblem,
    PageProblem,
    PageVerdict,
    feed_page_document,
    verify_page,
    verify_page_body,
)
from partnernet.core.federation.identity import GlobalId
from partnernet.core.federation.signing import KeyPair, key_pair_from_private_bytes, sign_document

ORIGIN = "pn-0a1b2c3d4e5f6a7b"
OTHER = "pn-ffeeddccbbaa9988"
KEYS = key_pair_from_private_bytes(bytes(range(32)))
OTHER_KEYS = key_pair_from_private_bytes(bytes(range(100, 132)))
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
LAST_MONTH = NOW - timedelta(days=30)


def activity(
    sequence: int,
    *,
    verb: Verb = Verb.UPDATE,
    record: int = 1,
    actor: str = ORIGIN,
    record_origin: str | None = None,
    published: datetime = LAST_MONTH,
) -> Activity:
    fields = (
        None if verb is Verb.DELETE else {"title": f"v{sequence}", "themes": ["climate"], "staff_fte": "2.5"}
    )
    return Activity(
        verb=verb,
        actor=actor,
        sequence=sequence,
        published=published,
        record=GlobalId(record_origin or actor, UUID(int=record)),
        kind="partnerships",
        key=f"partnership-{record}",
        fields=fields,
    )


def signed(sequence: int, *, keys: KeyPair = KEYS, **kwargs: Any) -> dict[str, JsonValue]:
    """Signed with ``sign_document`` directly, so tests can forge what ``sign_activity`` would refuse."""
    return sign_document(activity_document(activity(sequence, **kwargs)), ACTIVITY_PURPOSE, keys)


def page(
    items: Sequence[dict[str, JsonValue]],
    *,
    after: int = 0,
    next_cursor: int | None = None,
    published: datetime = NOW,
    keys: KeyPair = KEYS,
    origin: str = ORIGIN,
) -> dict[str, JsonValue]:
    return feed_page_document(
        origin=origin, after=after, items=items, next_cursor=next_cursor, published=published, key_pair=keys
    )


def check(document: JsonValue, *, cursor: int = 0, now: datetime = NOW, max_items: int = 1000) -> PageVerdict:
    return verify_page(
        document, origin=ORIGIN, public_key=KEYS.public_key, cursor=cursor, now=now, max_items=max_items
    )


def accepted(verdict: PageVerdict) -> list[int]:
    return [item.sequence for item in verdict.accepted]


def problems(verdict: PageVerdict) -> list[tuple[int | None, ItemProblem]]:
    return [(item.sequence, item.problem) for item in verdict.rejected]


def test_activity_sign_and_parse_round_trip() -> None:
    for original in (activity(3), activity(4, verb=Verb.CREATE), activity(5, verb=Verb.DELETE)):
        document = sign_activity(original, KEYS)
        assert parse_activity(json.loads(json.dumps(document))) == original


def test_activity_wire_form() -> None:
    document = activity_document(activity(9, verb=Verb.DELETE, published=NOW))
    assert document == {
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Delete",
        "actor": ORIGIN,
        "published": "2026-11-26T12:00:00Z",
        "sequence": 9,
        "object": {
            "type": "Tombstone",
            "id": f"{ORIGIN}:00000000-0000-0000-0000-000000000001",
            "kind": "partnerships",
            "key": "partnership-1",
        },
    }


def test_an_instance_never_signs_another_origins_record() -> None:
    with pytest.raises(ValueError, match="only publish its own"):
        sign_activity(activity(1, record_origin=OTHER), KEYS)
    with pytest.raises(ValueError, match="only publish its own"):
        signed_activity_json(activity(1, record_origin=OTHER), KEYS)


def test_the_stored_form_of_a_signed_activity_is_its_canonical_json() -> None:
    for original in (activity(1), activity(2, verb=Verb.DELETE, published=LAST_MONTH.replace(microsecond=7))):
        assert signed_activity_json(original, KEYS) == canonical_json(sign_activity(original, KEYS))


def test_timestamps_are_utc_with_z() -> None:
    moment = datetime(2026, 3, 1, 13, 30, 5, 120, tzinfo=UTC)
    assert format_timestamp(moment) == "2026-03-01T13:30:05.000120Z"
    assert parse_timestamp(format_timestamp(moment)) == moment
    assert parse_timestamp("2026-03-01T13:30:05Z") == moment.replace(microsecond=0)
    for text in ("2026-03-01T13:30:05+00:00", "2026-03-01 13:30:05Z", "2026-03-01"):
        with pytest.raises(ValueError, match="UTC timestamp"):
            parse_timestamp(text)
    with pytest.raises(ValueError, match="timezone-aware"):
        format_timestamp(datetime(2026, 3, 1))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "Like"}, "type must be"),
        ({"@context": None}, "@context"),
        ({"actor": "seed"}, "actor"),
        ({"sequence": 0}, "sequence"),
        ({"sequence": True}, "sequence"),
        ({"published": "yesterday"}, "UTC timestamp"),
        ({"object": "x"}, "object must be"),
    ],
)
def test_malformed_activities_are_named(change: dict[str, JsonValue], message: str) -> None:
    with pytest.raises(MalformedActivity, match=message):
        parse_activity({**activity_document(activity(1)), **change})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "Tombstone"}, "has type Object"),
        ({"kind": "users"}, "kind"),
        ({"key": ""}, "key"),
        ({"id": "pn-1:1"}, "UUID"),
        ({"fields": None}, "carry fields"),
        ({"fields": [1]}, "fields must be"),
        ({"fields": {"key": "x"}}, "object.key"),
    ],
)
def test_malformed_objects_are_named(change: dict[str, JsonValue], message: str) -> None:
    document = activity_document(activity(1))
    document["object"] = {**document["object"], **change}  # type: ignore[dict-item]
    with pytest.raises(MalformedActivity, match=message):
        parse_activity(document)


def test_sound_page_is_accepted_in_order() -> None:
    verdict = check(page([signed(1), signed(2, record=2), signed(5, verb=Verb.DELETE)], next_cursor=9))
    assert verdict.ok
    assert accepted(verdict) == [1, 2, 5]
    assert verdict.cursor == 9
    assert verdict.more


def test_last_page_leaves_the_cursor_at_its_last_item() -> None:
    verdict = check(page([signed(6), signed(7)], after=5), cursor=5)
    assert (verdict.ok, accepted(verdict), verdict.cursor, verdict.more) == (True, [6, 7], 7, False)


def test_empty_caught_up_page_keeps_the_cursor() -> None:
    verdict = check(page([], after=12), cursor=12)
    assert (verdict.ok, verdict.accepted, verdict.cursor, verdict.more) == (True, (), 12, False)


def test_page_survives_serialisation_as_an_http_body() -> None:
    body = json.dumps(page([signed(1), signed(2)]), indent=2).encode()
    verdict = verify_page_body(body, origin=ORIGIN, public_key=KEYS.public_key, cursor=0, now=NOW)
    assert accepted(verdict) == [1, 2]


def test_tampered_item_is_rejected_and_holds_back_the_rest() -> None:
    items = [signed(1), signed(2), signed(3)]
    items[1]["object"]["fields"]["title"] = "tampered"  # type: ignore[index, call-overload]
    verdict = check(page(items))
    assert not verdict.ok
    assert accepted(verdict) == [1]
    assert problems(verdict) == [(2, ItemProblem.BAD_SIGNATURE), (3, ItemProblem.HELD_BACK)]
    assert verdict.cursor == 1
    assert not verdict.more


def test_a_full_page_checks_its_signatures_together_and_keeps_their_order() -> None:
    """A page of hundreds of items is verified across threads (``signing.verify_all``): a tampered item deep
    in it is still the one refused, with everything after it held back, and the items before it accepted."""
    items = [signed(n, record=n) for n in range(1, 301)]
    items[199]["object"]["fields"]["title"] = "tampered"  # type: ignore[index, call-overload]
    verdict = check(page(items))
    assert accepted(verdict) == list(range(1, 200))
    assert problems(verdict) == [(200, ItemProblem.BAD_SIGNATURE)] + [
        (n, ItemProblem.HELD_BACK) for n in range(201, 301)
    ]
    assert verdict.cursor == 199


def test_a_full_page_refuses_a_foreign_record_only_when_its_signature_holds() -> None:
    items = [signed(n, record=n) for n in range(1, 101)]
    items[49] = signed(50, record=50, record_origin=OTHER)
    verdict = check(page(items))
    assert problems(verdict)[0] == (50, ItemProblem.FOREIGN_RECORD)
    assert accepted(verdict) == list(range(1, 50))


def test_forged_item_signature_is_rejected() -> None:
    forged = signed(1, keys=OTHER_KEYS)
    forged["signature"] = {**forged["signature"], "fingerprint": KEYS.fingerprint}  # type: ignore[dict-item]
    verdict = check(page([forged]))
    assert problems(verdict) == [(1, ItemProblem.BAD_SIGNATURE)]
    assert verdict.cursor == 0


def test_page_signed_by_another_key_is_rejected() -> None:
    verdict = check(page([signed(1)], keys=OTHER_KEYS))
    assert verdict.problem is PageProblem.BAD_SIGNATURE
    assert verdict.accepted == ()


def test_page_envelope_tampering_is_rejected() -> None:
    document = page([signed(1)], next_cursor=5)
    document["next"] = 500
    assert check(document).problem is PageProblem.BAD_SIGNATURE


def test_record_of_another_origin_is_rejected() -> None:
    verdict = check(page([signed(1, record_origin=OTHER), signed(2)]))
    assert problems(verdict) == [(1, ItemProblem.FOREIGN_RECORD), (2, ItemProblem.HELD_BACK)]
    assert verdict.accepted == ()


def test_reference_data_is_never_accepted_from_a_feed() -> None:
    verdict = check(page([signed(1, record_origin="seed")]))
    assert problems(verdict) == [(1, ItemProblem.FOREIGN_RECORD)]


def test_item_speaking_as_another_actor_is_rejected() -> None:
    verdict = check(page([signed(1, actor=OTHER)]))
    assert problems(verdict) == [(1, ItemProblem.WRONG_ACTOR)]


def test_page_of_another_origin_is_rejected() -> None:
    verdict = check(page([signed(1, actor=OTHER, keys=OTHER_KEYS)], origin=OTHER, keys=OTHER_KEYS))
    assert verdict.problem is PageProblem.WRONG_ORIGIN


def test_replayed_items_are_detected_and_skipped() -> None:
    verdict = check(page([signed(3), signed(4), signed(5), signed(6)], after=4), cursor=4)
    assert problems(verdict) == [(3, ItemProblem.REPLAYED), (4, ItemProblem.REPLAYED)]
    assert accepted(verdict) == [5, 6]
    assert verdict.ok
    assert verdict.cursor == 6


def test_replayed_old_page_is_detected() -> None:
    old_page = page([signed(1), signed(2)])
    verdict = check(old_page, cursor=2)
    assert verdict.problem is PageProblem.WRONG_CURSOR
    assert verdict.cursor == 2


def test_reordered_items_are_detected() -> None:
    verdict = check(page([signed(1), signed(3), signed(2), signed(4)]))
    assert accepted(verdict) == [1, 3]
    assert problems(verdict) == [(2, ItemProblem.OUT_OF_ORDER), (4, ItemProblem.HELD_BACK)]
    assert verdict.cursor == 3


def test_duplicated_item_is_detected() -> None:
    verdict = check(page([signed(1), signed(1)]))
    assert problems(verdict) == [(1, ItemProblem.OUT_OF_ORDER)]


def test_page_missing_items_is_truncated() -> None:
    document = page([signed(1), signed(2), signed(3)])
    document["orderedItems"] = document["orderedItems"][:2]  # type: ignore[index]
    verdict = check(document)
    assert verdict.problem is PageProblem.TRUNCATED
    assert "declares 3 items but carries 2" in verdict.summary
    assert verdict.accepted == ()


def test_page_with_swapped_items_fails_its_digest() -> None:
    document = page([signed(1), signed(2)])
    document["orderedItems"] = [signed(1), signed(3)]
    assert check(document).problem is PageProblem.TRUNCATED


def test_body_cut_short_in_transit_is_refused() -> None:
    body = json.dumps(page([signed(1), signed(2)])).encode()
    verdict = verify_page_body(body[:-40], origin=ORIGIN, public_key=KEYS.public_key, cursor=0, now=NOW)
    assert verdict.problem is PageProblem.NOT_JSON


@pytest.mark.parametrize(
    ("offset", "problem"),
    [
        (timedelta(minutes=59), None),
        (timedelta(minutes=-59), None),
        (timedelta(hours=1), None),
        (timedelta(minutes=61), PageProblem.FUTURE_DATED),
        (timedelta(minutes=-61), PageProblem.STALE),
    ],
    ids=["ahead-59m", "behind-59m", "ahead-1h", "ahead-61m", "behind-61m"],
)
def test_page_clock_skew_tolerance_is_one_hour(offset: timedelta, problem: PageProblem | None) -> None:
    assert check(page([signed(1)], published=NOW + offset)).problem is problem


def test_old_items_are_legitimate_but_future_dated_items_are_not() -> None:
    ancient = NOW - timedelta(days=900)
    verdict = check(
        page(
            [
                signed(1, published=ancient),
                signed(2, published=NOW + timedelta(minutes=59)),
                signed(3, published=NOW + timedelta(minutes=61)),
            ]
        )
    )
    assert accepted(verdict) == [1, 2]
    assert problems(verdict) == [(3, ItemProblem.FUTURE_DATED)]


def test_next_cursor_must_not_go_back_before_the_items() -> None:
    assert check(page([signed(1), signed(7)], next_cursor=5)).problem is PageProblem.BAD_NEXT
    with pytest.raises(ValueError, match="greater than the cursor"):
        page([], after=5, next_cursor=5)


def test_oversized_page_is_refused() -> None:
    assert check(page([signed(1), signed(2)]), max_items=1).problem is PageProblem.TOO_LARGE


def test_item_that_is_not_an_activity_is_malformed() -> None:
    verdict = check(page([signed(1), ["not", "an", "activity"]]))  # type: ignore[list-item]
    assert problems(verdict) == [(None, ItemProblem.MALFORMED)]
    assert accepted(verdict) == [1]


def test_items_encoded_once_give_the_digest_and_signatures_of_their_canonical_form() -> None:
    """The page's digest and each item's signature are checked from one encoding of each item; it must be
    byte for byte the canonical JSON, keys outside ASCII (ordered by UTF-16) and escapes included."""
    odd = activity_document(activity(2))
    fields = {"\uff5a": "wide", "\U0001f600": "emoji", "é": "tab\there", "a": ["\u2028", None]}
    odd["object"]["fields"] = fields  # type: ignore[index]
    items = [signed(1), sign_document(odd, ACTIVITY_PURPOSE, KEYS), "not an activity"]
    document = page(items)  # type: ignore[arg-type]
    verdict = check(json.loads(canonical_json(document)))
    assert verdict.problem is None
    assert accepted(verdict) == [1, 2]
    assert problems(verdict) == [(None, ItemProblem.MALFORMED)]

    forged = json.loads(canonical_json(document))
    forged["orderedItems"][1]["object"]["fields"]["é"] = "tab here"
    assert check(forged).problem is PageProblem.TRUNCATED


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"type": "Collection"}, PageProblem.MALFORMED),
        ({"totalItems": "1"}, PageProblem.MALFORMED),
        ({"published": "now"}, PageProblem.MALFORMED),
        ({"after": None}, PageProblem.WRONG_CURSOR),
        ({"next": 0}, PageProblem.BAD_NEXT),
    ],
)
def test_malformed_page_envelopes_are_refused(change: dict[str, JsonValue], problem: PageProblem) -> None:
    header = {
        name: value for name, value in page([signed(1)]).items() if name not in ("signature", "orderedItems")
    }
    document = sign_document({**header, **change}, "partnernet-feed-page-v1", KEYS)
    document["orderedItems"] = [signed(1)]
    assert check(document).problem is problem


def test_not_an_object_is_a_malformed_page() -> None:
    assert check([1, 2]).problem is PageProblem.MALFORMED
