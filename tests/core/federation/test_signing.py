"""Ed25519 keys and document signatures: round trips, serialisations, and what must not verify."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import signal

import pytest

from partnernet.core.federation.canonical import CanonicalJsonError, JsonValue, canonical_json
from partnernet.core.federation.signing import (
    PARALLEL_FROM,
    KeyPair,
    SignatureProblem,
    SignedBytes,
    check_document_signature,
    decode_public_key,
    encode_public_key,
    fingerprint,
    generate_key_pair,
    key_pair_from_pem,
    key_pair_from_private_bytes,
    normalise_fingerprint,
    private_key_pem,
    sign,
    sign_all,
    sign_document,
    signature_to_check,
    signed_canonical,
    signed_canonical_all,
    verify,
    verify_all,
)

KEYS = key_pair_from_private_bytes(bytes(range(32)))
OTHER_KEYS = key_pair_from_private_bytes(bytes(range(100, 132)))
PURPOSE = "partnernet-test-v1"
DOCUMENT: dict[str, JsonValue] = {
    "type": "Update",
    "sequence": 7,
    "object": {"key": "wmse-glam", "n": [1, 2]},
}


def test_generated_key_signs_and_verifies() -> None:
    keys = generate_key_pair()
    signature = sign(keys, b"hello")
    assert len(signature) == 64
    assert verify(keys.public_key, b"hello", signature)
    assert not verify(keys.public_key, b"hellO", signature)
    assert not verify(OTHER_KEYS.public_key, b"hello", signature)


def test_private_key_survives_pem_and_raw_round_trips() -> None:
    pem = private_key_pem(KEYS)
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert key_pair_from_pem(pem) == KEYS
    assert key_pair_from_private_bytes(KEYS.private_key) == KEYS


def test_pem_of_something_else_is_refused() -> None:
    with pytest.raises(ValueError, match="PEM"):
        key_pair_from_pem(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")


def test_public_key_travels_as_base64_and_fingerprint_is_sha256_of_raw_bytes() -> None:
    encoded = encode_public_key(KEYS.public_key)
    assert base64.b64decode(encoded) == KEYS.public_key
    assert decode_public_key(encoded) == KEYS.public_key
    assert KEYS.fingerprint == fingerprint(KEYS.public_key) == hashlib.sha256(KEYS.public_key).hexdigest()


@pytest.mark.parametrize("text", ["not base64!", base64.b64encode(bytes(31)).decode(), ""])
def test_bad_public_keys_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"base64|bytes"):
        decode_public_key(text)


def test_key_pair_repr_hides_the_private_key() -> None:
    assert KEYS.private_key.hex() not in repr(KEYS)
    assert "private_key" not in repr(KEYS)


def test_mismatched_halves_are_refused() -> None:
    with pytest.raises(ValueError, match="does not belong"):
        KeyPair(private_key=KEYS.private_key, public_key=OTHER_KEYS.public_key)


def test_fingerprints_typed_by_people_are_normalised() -> None:
    spaced = ":".join(KEYS.fingerprint[i : i + 2] for i in range(0, 64, 2)).upper()
    assert normalise_fingerprint(spaced) == KEYS.fingerprint
    with pytest.raises(ValueError, match="64 hexadecimal"):
        normalise_fingerprint("abc")


def test_signed_document_verifies_whatever_the_member_order() -> None:
    signed = sign_document(DOCUMENT, PURPOSE, KEYS)
    assert signed["signature"] == {
        "algorithm": "ed25519",
        "fingerprint": KEYS.fingerprint,
        "value": signed["signature"]["value"],  # type: ignore[index,call-overload]
    }
    reparsed = json.loads(json.dumps(dict(reversed(list(signed.items())))))
    assert check_document_signature(reparsed, PURPOSE, KEYS.public_key) is None


def test_tampered_field_is_rejected() -> None:
    signed = sign_document(DOCUMENT, PURPOSE, KEYS)
    tampered = {**signed, "sequence": 8}
    assert check_document_signature(tampered, PURPOSE, KEYS.public_key) is SignatureProblem.INVALID


def test_forged_signature_claiming_the_pinned_key_is_rejected() -> None:
    forged = sign_document(DOCUMENT, PURPOSE, OTHER_KEYS)
    forged["signature"] = {**forged["signature"], "fingerprint": KEYS.fingerprint}  # type: ignore[dict-item]
    assert check_document_signature(forged, PURPOSE, KEYS.public_key) is SignatureProblem.INVALID


def test_signature_by_another_key_is_unknown_key() -> None:
    signed = sign_document(DOCUMENT, PURPOSE, OTHER_KEYS)
    assert check_document_signature(signed, PURPOSE, KEYS.public_key) is SignatureProblem.UNKNOWN_KEY


def test_signature_for_another_purpose_is_rejected() -> None:
    signed = sign_document(DOCUMENT, "partnernet-other-v1", KEYS)
    assert check_document_signature(signed, PURPOSE, KEYS.public_key) is SignatureProblem.INVALID


@pytest.mark.parametrize(
    ("signature", "problem"),
    [
        (None, SignatureProblem.MISSING),
        ("abc", SignatureProblem.MALFORMED),
        ({"algorithm": "rsa"}, SignatureProblem.UNSUPPORTED_ALGORITHM),
        (
            {"algorithm": "ed25519", "fingerprint": KEYS.fingerprint, "value": "@@"},
            SignatureProblem.MALFORMED,
        ),
        (
            {"algorithm": "ed25519", "fingerprint": KEYS.fingerprint, "value": "AAAA"},
            SignatureProblem.MALFORMED,
        ),
    ],
    ids=["missing", "not-an-object", "algorithm", "bad-base64", "short"],
)
def test_malformed_signature_blocks_are_named(signature: JsonValue, problem: SignatureProblem) -> None:
    document = dict(DOCUMENT)
    if signature is not None:
        document["signature"] = signature
    assert check_document_signature(document, PURPOSE, KEYS.public_key) is problem


@pytest.mark.parametrize(
    "document",
    [
        DOCUMENT,
        {**DOCUMENT, "signature": {"algorithm": "ed25519", "fingerprint": "old", "value": "old"}},
        {"ß": "x", "z": None, "a": [True, False, {"é": '\u2028\n"q"'}], "😀": 1, "\ue000": -(2**53 - 1)},
        {},
    ],
)
def test_signed_canonical_is_the_canonical_signed_document_encoded_once(
    document: dict[str, JsonValue],
) -> None:
    assert signed_canonical(document, PURPOSE, KEYS) == canonical_json(sign_document(document, PURPOSE, KEYS))


def test_signed_canonical_refuses_what_canonical_json_refuses() -> None:
    with pytest.raises(CanonicalJsonError):
        signed_canonical({"n": 1.5}, PURPOSE, KEYS)
    with pytest.raises(CanonicalJsonError):
        signed_canonical({"s": "\ud800"}, PURPOSE, KEYS)


def test_a_key_pair_builds_its_private_key_object_once() -> None:
    keys = key_pair_from_private_bytes(bytes(range(1, 33)))
    assert keys.signer is keys.signer
    assert verify(keys.public_key, b"m", sign(keys, b"m"))


def _signed_bytes(count: int, *, forged: frozenset[int] = frozenset()) -> list[SignedBytes]:
    """``count`` documents' signatures as ``signature_to_check`` reduces them; those at ``forged`` made by
    another key but naming this one."""
    found: list[SignedBytes] = []
    for index in range(count):
        document = sign_document(
            {**DOCUMENT, "sequence": index}, PURPOSE, OTHER_KEYS if index in forged else KEYS
        )
        document["signature"] = {**document["signature"], "fingerprint": KEYS.fingerprint}  # type: ignore[dict-item]
        checked = signature_to_check(document, PURPOSE, KEYS.public_key)
        assert isinstance(checked, SignedBytes)
        found.append(checked)
    return found


@pytest.mark.parametrize("count", [3, PARALLEL_FROM, 501])
def test_verify_all_answers_each_signature_in_order(count: int) -> None:
    """Few signatures are checked in the caller's thread, many across ``ED25519_THREADS`` threads: either way
    each answer is that signature's own."""
    forged = frozenset({0, count // 2, count - 1})
    answers = verify_all(KEYS.public_key, _signed_bytes(count, forged=forged))
    assert answers == [index not in forged for index in range(count)]


def test_signature_to_check_names_a_malformed_block_before_any_check() -> None:
    document = sign_document(DOCUMENT, PURPOSE, KEYS)
    document["signature"] = {**document["signature"], "value": "not base64!"}  # type: ignore[dict-item]
    assert signature_to_check(document, PURPOSE, KEYS.public_key) is SignatureProblem.MALFORMED


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX only")
def test_a_forked_child_verifies_with_threads_of_its_own() -> None:
    """A process that forks after verifying (a server that preloads, a worker that forks) leaves its pool's
    threads behind: the child must make its own rather than wait on threads it does not have."""
    signed = _signed_bytes(PARALLEL_FROM * 2, forged=frozenset({5}))
    assert verify_all(KEYS.public_key, signed).count(False) == 1  # the parent's pool now exists
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which reports by its exit status
        signal.alarm(30)  # a child waiting on its parent's threads would hang: fail instead
        os._exit(0 if verify_all(KEYS.public_key, signed).count(False) == 1 else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


@pytest.mark.parametrize("count", [2, PARALLEL_FROM * 3 + 1])
def test_signatures_made_together_are_each_documents_own(count: int) -> None:
    """Ed25519 is deterministic, so signing across threads must give exactly the signatures, and the stored
    documents, that signing one by one gives, in the same order."""
    documents: list[dict[str, JsonValue]] = [{**DOCUMENT, "sequence": n} for n in range(count)]
    messages = [f"message {n}".encode() for n in range(count)]
    assert sign_all(KEYS, messages) == [sign(KEYS, message) for message in messages]
    together = signed_canonical_all(documents, PURPOSE, KEYS)
    assert together == [canonical_json(sign_document(document, PURPOSE, KEYS)) for document in documents]
