"""Instance ids, global ids and the well-known document."""

from __future__ import annotations

from uuid import UUID

import pytest

from partnernet.core.federation.identity import (
    SEED_ORIGIN,
    GlobalId,
    IdentityError,
    PeerIdentity,
    is_instance_id,
    parse_global_id,
    read_well_known,
    well_known_document,
)
from partnernet.core.federation.signing import encode_public_key, key_pair_from_private_bytes

KEYS = key_pair_from_private_bytes(bytes(range(32)))
OTHER_KEYS = key_pair_from_private_bytes(bytes(range(100, 132)))
IDENTITY = PeerIdentity(
    instance="pn-0a1b2c3d4e5f6a7b",
    base_url="https://partners.wikimedia.se",
    public_key=KEYS.public_key,
    operator="wmse",
)


@pytest.mark.parametrize("text", ["pn-0a1b2c3d4e5f6a7b", "a", "3f9a0c1d2e3f4a5b9c8d7e6f5a4b3c2d", "x" * 64])
def test_instance_ids(text: str) -> None:
    assert is_instance_id(text)


@pytest.mark.parametrize("text", [SEED_ORIGIN, "", "PN-1", "-pn", "pn-", "pn_1", "pn:1", "x" * 65, 7])
def test_not_instance_ids(text: object) -> None:
    assert not is_instance_id(text)


def test_global_id_round_trips() -> None:
    text = "pn-0a1b2c3d4e5f6a7b:6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
    parsed = parse_global_id(text)
    assert parsed == GlobalId("pn-0a1b2c3d4e5f6a7b", UUID("6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"))
    assert str(parsed) == text


def test_reference_data_has_global_ids_under_seed() -> None:
    assert parse_global_id(f"seed:{UUID(int=1)}").origin == SEED_ORIGIN


@pytest.mark.parametrize(
    "text",
    [
        "6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
        "pn-1:6F1C2A7E-3B4D-4E5F-8A9B-0C1D2E3F4A5B",
        "pn-1:6f1c2a7e3b4d4e5f8a9b0c1d2e3f4a5b",
        "pn-1:not-a-uuid",
        "Bad Origin:6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
        "https://example.org/records/6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
    ],
)
def test_global_ids_have_one_spelling(text: str) -> None:
    with pytest.raises(IdentityError):
        parse_global_id(text)


def test_well_known_document_is_read_back_when_the_fingerprint_matches() -> None:
    document = well_known_document(IDENTITY, KEYS)
    assert set(document) == {"instance", "base_url", "public_key", "fingerprint", "operator", "signature"}
    typed = ":".join(KEYS.fingerprint[i : i + 2] for i in range(0, 64, 2)).upper()
    assert read_well_known(document, expected_fingerprint=typed) == IDENTITY


def test_well_known_document_with_another_key_is_refused() -> None:
    document = well_known_document(IDENTITY, KEYS)
    with pytest.raises(IdentityError, match="not the expected"):
        read_well_known(document, expected_fingerprint=OTHER_KEYS.fingerprint)


def test_well_known_document_is_signed_over_its_id_and_address() -> None:
    document = well_known_document(IDENTITY, KEYS)
    for member, value in (("instance", "pn-someone-else"), ("base_url", "https://evil.example")):
        with pytest.raises(IdentityError, match="not signed by its own key"):
            read_well_known({**document, member: value}, expected_fingerprint=KEYS.fingerprint)
    unsigned = {name: value for name, value in document.items() if name != "signature"}
    with pytest.raises(IdentityError, match="missing"):
        read_well_known(unsigned, expected_fingerprint=None)
    with pytest.raises(ValueError, match="signed by the key it publishes"):
        well_known_document(IDENTITY, OTHER_KEYS)


def test_well_known_document_whose_fingerprint_lies_is_refused() -> None:
    document = {**well_known_document(IDENTITY, KEYS), "public_key": encode_public_key(OTHER_KEYS.public_key)}
    with pytest.raises(IdentityError, match="stated fingerprint"):
        read_well_known(document, expected_fingerprint=KEYS.fingerprint)


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("instance", "seed"),
        ("instance", None),
        ("base_url", "ftp://x"),
        ("public_key", "AAAA"),
        ("operator", ""),
    ],
)
def test_well_known_document_with_a_bad_member_is_refused(member: str, value: object) -> None:
    document = {**well_known_document(IDENTITY, KEYS), member: value}
    with pytest.raises(IdentityError):
        read_well_known(document, expected_fingerprint=KEYS.fingerprint)  # type: ignore[arg-type]
