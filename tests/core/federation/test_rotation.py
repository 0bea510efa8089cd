"""Key rotation statements: signed by the old key and the new one, followed as a chain."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from partnernet.core.federation.rotation import (
    RotationError,
    follow_rotations,
    read_rotation,
    rotation_statement,
)
from partnernet.core.federation.signing import encode_public_key, key_pair_from_private_bytes

A, B, C, MALLORY = (key_pair_from_private_bytes(bytes([n] * 32)) for n in (1, 2, 3, 4))
NOW = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
ME = "pn-rotating"


def test_a_statement_signed_by_both_keys_is_read_back() -> None:
    statement = rotation_statement(ME, A, B, NOW)
    assert read_rotation(statement, instance=ME) == (A.public_key, B.public_key)


def test_a_statement_that_one_key_did_not_sign_is_refused() -> None:
    statement = rotation_statement(ME, A, B, NOW)
    pointed = {**statement, "new_key": encode_public_key(MALLORY.public_key)}
    with pytest.raises(RotationError, match="old key"):
        read_rotation(pointed, instance=ME)
    forged = rotation_statement(ME, MALLORY, B, NOW)
    forged["old_key"] = encode_public_key(A.public_key)
    with pytest.raises(RotationError):
        read_rotation(forged, instance=ME)
    with pytest.raises(RotationError, match="not pn-other"):
        read_rotation(statement, instance="pn-other")


def test_a_chain_of_rotations_is_followed_and_a_broken_one_is_not() -> None:
    statements = [rotation_statement(ME, A, B, NOW), rotation_statement(ME, B, C, NOW)]
    assert follow_rotations(A.public_key, C.public_key, statements, instance=ME) == [
        A.public_key,
        B.public_key,
        C.public_key,
    ]
    assert follow_rotations(A.public_key, C.public_key, statements[1:], instance=ME) is None
    assert follow_rotations(A.public_key, MALLORY.public_key, statements, instance=ME) is None
    assert follow_rotations(C.public_key, C.public_key, [], instance=ME) == [C.public_key]
