"""Pages encoded from stored items, signed requests between instances, and signed inbox deliveries."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from partnernet.core.federation.activities import Activity, Verb, sign_activity
from partnernet.core.federation.canonical import canonical_json
from partnernet.core.federation.feed import encode_feed_page, feed_page_document, verify_page_body
from partnernet.core.federation.identity import GlobalId
from partnernet.core.federation.signing import key_pair_from_private_bytes
from partnernet.core.federation.transport import (
    TransportError,
    check_request,
    delivery_document,
    read_delivery,
    sign_request,
)

ORIGIN = "pn-0a1b2c3d4e5f6a7b"
SENDER = "pn-ffeeddccbbaa9988"
KEYS = key_pair_from_private_bytes(bytes(range(32)))
OTHER_KEYS = key_pair_from_private_bytes(bytes(range(100, 132)))
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _item(sequence: int) -> bytes:
    activity = Activity(
        verb=Verb.CREATE,
        actor=ORIGIN,
        sequence=sequence,
        published=NOW - timedelta(days=1),
        record=GlobalId(ORIGIN, UUID(int=sequence)),
        kind="entities",
        key=f"e{sequence}",
        fields={"name": f"Entity é {sequence}", "staff_fte": "1.50", "regions": ["154"]},
    )
    return canonical_json(sign_activity(activity, KEYS))


def test_a_page_encoded_from_stored_items_verifies_like_one_built_from_documents() -> None:
    items = [_item(n) for n in (3, 4, 7)]
    body = encode_feed_page(
        origin=ORIGIN, after=2, items=items, next_cursor=9, published=NOW, key_pair=KEYS, extra={"head": 12}
    )
    verdict = verify_page_body(body, origin=ORIGIN, public_key=KEYS.public_key, cursor=2, now=NOW)
    assert verdict.ok, verdict.summary
    assert [a.sequence for a in verdict.accepted] == [3, 4, 7]
    assert (verdict.cursor, verdict.more) == (9, True)
    built = feed_page_document(
        origin=ORIGIN,
        after=2,
        items=[json.loads(item) for item in items],
        next_cursor=9,
        published=NOW,
        key_pair=KEYS,
    )
    assert json.loads(body)["itemsDigest"] == built["itemsDigest"]
    assert json.loads(body)["head"] == 12


def test_a_tampered_extra_member_breaks_the_page_signature() -> None:
    body = encode_feed_page(
        origin=ORIGIN,
        after=0,
        items=[_item(1)],
        next_cursor=None,
        published=NOW,
        key_pair=KEYS,
        extra={"head": 1},
    )
    tampered = body.replace(b'"head":1', b'"head":9')
    verdict = verify_page_body(tampered, origin=ORIGIN, public_key=KEYS.public_key, cursor=0, now=NOW)
    assert verdict.problem == "bad_signature"


def test_signed_requests_verify_only_for_the_same_target_key_and_time() -> None:
    headers = sign_request("GET", "/federation/feed?after=5", instance=SENDER, key_pair=KEYS, now=NOW)
    check_request("GET", "/federation/feed?after=5", headers, public_key=KEYS.public_key, now=NOW)
    with pytest.raises(TransportError, match="does not verify"):
        check_request("GET", "/federation/feed?after=0", headers, public_key=KEYS.public_key, now=NOW)
    with pytest.raises(TransportError, match="does not verify"):
        check_request("GET", "/federation/feed?after=5", headers, public_key=OTHER_KEYS.public_key, now=NOW)
    later = NOW + timedelta(hours=1, minutes=1)
    with pytest.raises(TransportError, match="away from this instance's clock"):
        check_request("GET", "/federation/feed?after=5", headers, public_key=KEYS.public_key, now=later)
    check_request(
        "GET",
        "/federation/feed?after=5",
        headers,
        public_key=KEYS.public_key,
        now=NOW + timedelta(minutes=59),
    )


def test_a_signed_request_carries_a_fresh_nonce_that_the_signature_covers() -> None:
    target = "/federation/feed?after=5"
    one = sign_request("GET", target, instance=SENDER, key_pair=KEYS, now=NOW)
    two = sign_request("GET", target, instance=SENDER, key_pair=KEYS, now=NOW)
    assert one["Partnernet-Nonce"] != two["Partnernet-Nonce"]
    nonce, moment = check_request("GET", target, one, public_key=KEYS.public_key, now=NOW)
    assert (nonce, moment) == (one["Partnernet-Nonce"], NOW)
    swapped = {**one, "Partnernet-Nonce": two["Partnernet-Nonce"]}
    with pytest.raises(TransportError, match="does not verify"):
        check_request("GET", target, swapped, public_key=KEYS.public_key, now=NOW)
    missing = {name: value for name, value in one.items() if name != "Partnernet-Nonce"}
    with pytest.raises(TransportError, match="Nonce"):
        check_request("GET", target, missing, public_key=KEYS.public_key, now=NOW)


def _delivery(**changes: object) -> dict[str, object]:
    arguments: dict[str, object] = {
        "actor": SENDER,
        "idempotency_key": "k-1",
        "request_id": f"{SENDER}:{UUID(int=1)}",
        "key": "needs-help",
        "fields": {"need": "letter"},
        "stewardship_id": f"{ORIGIN}:{UUID(int=2)}",
        "published": NOW,
        "key_pair": KEYS,
    }
    arguments.update(changes)
    return delivery_document(**arguments)  # type: ignore[arg-type]


def test_a_delivery_is_read_back_when_signed_by_its_sender() -> None:
    delivery = read_delivery(_delivery(), public_key=KEYS.public_key, now=NOW)
    assert (delivery.actor, delivery.idempotency_key, delivery.key) == (SENDER, "k-1", "needs-help")
    assert delivery.stewardship_id == f"{ORIGIN}:{UUID(int=2)}"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"key_pair": OTHER_KEYS}, "signature unknown_key"),
        ({"published": NOW - timedelta(hours=2)}, "away from this instance's clock"),
        ({"request_id": f"{ORIGIN}:{UUID(int=1)}"}, "may only deliver its own requests"),
        ({"idempotency_key": ""}, "idempotency key"),
    ],
)
def test_bad_deliveries_are_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(TransportError, match=message):
        read_delivery(_delivery(**changes), public_key=KEYS.public_key, now=NOW)
