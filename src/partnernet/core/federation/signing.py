"""Ed25519 keys, and signatures over canonical JSON documents.

Ed25519 because its keys are 32 bytes that fit in a well-known document and a command line, its signatures
are deterministic (signing is a pure function of key and message) and it has no parameters to get wrong.

Wire forms: a public key is standard base64 (RFC 4648 §4, with padding) of its 32 raw bytes; its fingerprint
is the lower-case hex SHA-256 of those raw bytes; a private key is stored as PKCS#8 PEM or as its 32 raw
bytes. A signed document carries a ``signature`` member::

    "signature": {"algorithm": "ed25519", "fingerprint": "<hex>", "value": "<base64 of 64 bytes>"}

and the signature covers ``purpose + "\\n" + canonical_json(document without "signature")``. The purpose
string (``partnernet-activity-v1``, ``partnernet-feed-page-v1``…) keeps a signature made for one kind of
document from being accepted as another.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TypeVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from partnernet.core.federation.canonical import JsonValue, canonical_json, encode_members, join_members

ALGORITHM = "ed25519"
KEY_SIZE = 32
SIGNATURE_SIZE = 64
SIGNATURE_FIELD = "signature"


@dataclass(frozen=True)
class KeyPair:
    """An instance's signing key as raw bytes; the private half stays out of ``repr`` and logs."""

    private_key: bytes = field(repr=False)
    public_key: bytes

    def __post_init__(self) -> None:
        if _public_of(self.private_key) != self.public_key:
            raise ValueError("public key does not belong to the private key")

    @cached_property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    @cached_property
    def signer(self) -> Ed25519PrivateKey:
        """The private key as a library object, built once per key pair: rebuilding it for every signature
        cost as much as the signature itself when a bulk write signs thousands of activities."""
        return _private(self.private_key)


class SignatureProblem(StrEnum):
    """Why a document's signature was not accepted."""

    MISSING = "missing"
    MALFORMED = "malformed"
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm"
    UNKNOWN_KEY = "unknown_key"
    INVALID = "invalid"


def generate_key_pair() -> KeyPair:
    """A fresh key pair from the operating system's randomness (made once, with the instance's data)."""
    return key_pair_from_private_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
    )


def key_pair_from_private_bytes(private_key: bytes) -> KeyPair:
    """The key pair whose private key is these 32 raw bytes."""
    return KeyPair(private_key=bytes(private_key), public_key=_public_of(private_key))


def private_key_pem(key_pair: KeyPair) -> bytes:
    """The private key as unencrypted PKCS#8 PEM, for a file only the instance can read."""
    return _private(key_pair.private_key).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def key_pair_from_pem(pem: bytes) -> KeyPair:
    """Read an unencrypted PKCS#8 PEM private key; ``ValueError`` unless it is an Ed25519 key."""
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not an unencrypted PEM private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key_pair_from_private_bytes(
        key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
    )


def encode_public_key(public_key: bytes) -> str:
    """Standard base64 of the raw public key, as published in ``/.well-known/partnernet``."""
    _public(public_key)
    return base64.b64encode(public_key).decode("ascii")


def decode_public_key(text: str) -> bytes:
    """The raw public key from its base64 form; ``ValueError`` for bad base64 or a wrong length."""
    raw = _strict_b64decode(text)
    _public(raw)
    return raw


def fingerprint(public_key: bytes) -> str:
    """Lower-case hex SHA-256 of the raw public key: what an operator compares out of band."""
    if len(public_key) != KEY_SIZE:
        raise ValueError(f"an Ed25519 public key has {KEY_SIZE} bytes, not {len(public_key)}")
    return hashlib.sha256(public_key).hexdigest()


def normalise_fingerprint(text: str) -> str:
    """A fingerprint as typed by a person (any case, optional ``:`` or spaces) in its canonical form."""
    cleaned = "".join(text.split()).replace(":", "").lower()
    if len(cleaned) != 64 or any(char not in "0123456789abcdef" for char in cleaned):
        raise ValueError("a fingerprint is 64 hexadecimal digits")
    return cleaned


def sign(key_pair: KeyPair, message: bytes) -> bytes:
    """The 64-byte Ed25519 signature of ``message``."""
    return key_pair.signer.sign(message)


def verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is a valid Ed25519 signature of ``message`` under ``public_key``."""
    try:
        _public(public_key).verify(signature, message)
    except InvalidSignature:
        return False
    return True


def signing_input(document: Mapping[str, JsonValue], purpose: str) -> bytes:
    """What a signature covers: the purpose, a newline, the canonical document without its signature."""
    body = {name: value for name, value in document.items() if name != SIGNATURE_FIELD}
    return purpose.encode("ascii") + b"\n" + canonical_json(body)


def sign_document(document: Mapping[str, JsonValue], purpose: str, key_pair: KeyPair) -> dict[str, JsonValue]:
    """A copy of ``document`` with its ``signature`` member (any previous one is replaced)."""
    signature = sign(key_pair, signing_input(document, purpose))
    signed = {name: value for name, value in document.items() if name != SIGNATURE_FIELD}
    signed[SIGNATURE_FIELD] = {
        "algorithm": ALGORITHM,
        "fingerprint": key_pair.fingerprint,
        "value": base64.b64encode(signature).decode("ascii"),
    }
    return signed


def signed_canonical(document: Mapping[str, JsonValue], purpose: str, key_pair: KeyPair) -> bytes:
    """``canonical_json(sign_document(document, purpose, key_pair))``, encoding the document only once.

    The signed document's canonical form is the unsigned one's top-level members plus ``signature``, so
    each member is encoded once and its text is used both in the bytes signed and in the bytes stored.
    A bulk write that signs thousands of activities spends most of its signing time encoding.
    """
    return signed_canonical_all([document], purpose, key_pair)[0]


def signed_canonical_all(
    documents: Sequence[Mapping[str, JsonValue]], purpose: str, key_pair: KeyPair
) -> list[bytes]:
    """``signed_canonical`` of each document, in order, the signatures made together (``sign_all``)."""
    members = [
        encode_members({name: value for name, value in document.items() if name != SIGNATURE_FIELD})
        for document in documents
    ]
    prefix = purpose.encode("ascii") + b"\n"
    signatures = sign_all(key_pair, [prefix + join_members(each) for each in members])
    signed: list[bytes] = []
    for each, signature in zip(members, signatures, strict=True):
        block: dict[str, JsonValue] = {
            "algorithm": ALGORITHM,
            "fingerprint": key_pair.fingerprint,
            "value": base64.b64encode(signature).decode("ascii"),
        }
        each.update(encode_members({SIGNATURE_FIELD: block}))
        signed.append(join_members(each))
    return signed


def check_document_signature(
    document: Mapping[str, JsonValue],
    purpose: str,
    public_key: bytes,
    *,
    members: Mapping[str, str] | None = None,
) -> SignatureProblem | None:
    """``None`` when ``document`` is signed for ``purpose`` by ``public_key``, else the problem.

    The fingerprint in the signature must name ``public_key``: a peer's key is pinned when it is added, so
    a signature by any other key is ``UNKNOWN_KEY`` even if it verifies under that other key.

    ``members``: the document's members as ``encode_members`` wrote them, when the caller encoded them
    already (a feed page's items are encoded once for the page's digest and each item's signature); the
    bytes checked are the same as ``signing_input`` gives.
    """
    found = signature_to_check(document, purpose, public_key, members=members)
    if isinstance(found, SignatureProblem):
        return found
    return None if verify(public_key, found.message, found.signature) else SignatureProblem.INVALID


@dataclass(frozen=True)
class SignedBytes:
    """A document's signature reduced to what Ed25519 checks: the bytes signed and the 64-byte signature."""

    message: bytes
    signature: bytes


def signature_to_check(
    document: Mapping[str, JsonValue],
    purpose: str,
    public_key: bytes,
    *,
    members: Mapping[str, str] | None = None,
) -> SignatureProblem | SignedBytes:
    """``check_document_signature`` without the Ed25519 check itself: the problem with the signature's
    form, or what remains to verify (``verify_all`` checks many at once)."""
    block = document.get(SIGNATURE_FIELD)
    if block is None:
        return SignatureProblem.MISSING
    if not isinstance(block, Mapping):
        return SignatureProblem.MALFORMED
    if block.get("algorithm") != ALGORITHM:
        return SignatureProblem.UNSUPPORTED_ALGORITHM
    if block.get("fingerprint") != fingerprint(public_key):
        return SignatureProblem.UNKNOWN_KEY
    encoded = block.get("value")
    if not isinstance(encoded, str):
        return SignatureProblem.MALFORMED
    try:
        signature = _strict_b64decode(encoded)
        if members is None:
            message = signing_input(document, purpose)
        else:
            body = {name: text for name, text in members.items() if name != SIGNATURE_FIELD}
            message = purpose.encode("ascii") + b"\n" + join_members(body)
    except ValueError:
        return SignatureProblem.MALFORMED
    if len(signature) != SIGNATURE_SIZE:
        return SignatureProblem.MALFORMED
    return SignedBytes(message, signature)


ED25519_THREADS = min(4, os.cpu_count() or 1)
"""Threads that many signatures are made or checked across (``sign_all``, ``verify_all``). The library's
Ed25519 calls release the GIL, so on two cores two threads do a feed page's 500 in half the time: checking
them was a quarter of a first pull, signing them a tenth of ``generate``."""
PARALLEL_FROM = 64
"""Fewer signatures than this are made or checked in the calling thread: handing them over costs more."""
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
Item = TypeVar("Item")
Result = TypeVar("Result")


def sign_all(key_pair: KeyPair, messages: Sequence[bytes]) -> list[bytes]:
    """``sign`` of each message, in order, spread over ``ED25519_THREADS`` threads when there are many."""
    signer = key_pair.signer
    return _spread(lambda part: [signer.sign(message) for message in part], messages)


def verify_all(public_key: bytes, signed: Sequence[SignedBytes]) -> list[bool]:
    """Whether each signature is valid under ``public_key``, in order: ``verify`` of each, spread over
    ``ED25519_THREADS`` threads when there are many."""
    key = _public(public_key)
    return _spread(lambda part: _valid(key, part), signed)


def _valid(key: Ed25519PublicKey, signed: Sequence[SignedBytes]) -> list[bool]:
    valid: list[bool] = []
    for item in signed:
        try:
            key.verify(item.signature, item.message)
        except InvalidSignature:
            valid.append(False)
        else:
            valid.append(True)
    return valid


def _spread(work: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item]) -> list[Result]:
    """``work`` over ``items`` in contiguous parts, one per thread, the results in order; in the calling
    thread when there are few."""
    if ED25519_THREADS == 1 or len(items) < PARALLEL_FROM:
        return work(items)
    size = -(-len(items) // ED25519_THREADS)
    parts = [items[start : start + size] for start in range(0, len(items), size)]
    return [result for part in _threads().map(work, parts) for result in part]


def _threads() -> ThreadPoolExecutor:
    """The process's pool, made on first use (under a lock: a web worker's threads may sign at once)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(ED25519_THREADS, thread_name_prefix="ed25519")
        return _pool


def _forget_threads() -> None:
    """A forked child has none of its parent's threads, and may have copied the lock held: it makes a pool
    and a lock of its own."""
    global _pool, _pool_lock
    _pool = None
    _pool_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_threads)


def _strict_b64decode(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error) as exc:
        raise ValueError(f"not standard base64: {exc}") from exc


def _private(raw: bytes) -> Ed25519PrivateKey:
    if len(raw) != KEY_SIZE:
        raise ValueError(f"an Ed25519 private key has {KEY_SIZE} bytes, not {len(raw)}")
    return Ed25519PrivateKey.from_private_bytes(raw)


def _public_of(private_key: bytes) -> bytes:
    return (
        _private(private_key)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def _public(raw: bytes) -> Ed25519PublicKey:
    if len(raw) != KEY_SIZE:
        raise ValueError(f"an Ed25519 public key has {KEY_SIZE} bytes, not {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)
