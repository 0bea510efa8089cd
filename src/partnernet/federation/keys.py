"""This instance's Ed25519 key pair, kept in a file of the data folder and never in the database.

A database dump or backup shared for debugging must not let anyone sign as this instance, so the private
key lives beside the database in ``PARTNERNET_DATA_DIR`` (created on first use, mode 0600, refused if others
may read it) and is read once per process.

The database remembers every public key the instance has published (``InstanceKey``). A missing key file
on an instance that already published a key is therefore a *lost* key, not a new instance: it is never
made again silently (peers could not tell it from an impostor, and nobody could verify the feed's history);
``partnernet federation key replace`` makes a new one on an operator's word. ``federation key rotate``
changes the key on purpose, with a statement signed by the old and the new key that peers follow.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, transaction
from django.utils import timezone

from partnernet.core.federation.canonical import JsonValue
from partnernet.core.federation.signing import (
    KeyPair,
    encode_public_key,
    generate_key_pair,
    key_pair_from_pem,
    private_key_pem,
)

_cache: dict[Path, KeyPair] = {}


class KeyLost(ImproperlyConfigured):
    """The key file is missing although this instance published a key: an operator must decide."""


def key_file() -> Path:
    return Path(settings.FEDERATION_KEY_FILE)


def _published_key() -> str | None:
    """The newest key this instance published, as recorded in its database (``None`` if none or no table)."""
    from partnernet.federation.models import InstanceKey

    try:
        return InstanceKey.objects.order_by("-pk").values_list("public_key", flat=True).first()
    except DatabaseError:
        return None


def _write_new(path: Path, pair: KeyPair) -> None:
    """Write ``pair`` to ``path`` through a private temporary file hard-linked into place (fails if it
    exists): two processes starting at once agree on one key, and nobody reads a half-written file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private_key_pem(pair))
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def instance_key_pair() -> KeyPair:
    """The key pair of this instance, made on first use, and recorded as published.

    Raises ``KeyLost`` when the file is missing but the database shows a key was published before.
    """
    path = key_file()
    cached = _cache.get(path)
    if cached is not None:
        return cached
    if not path.exists():
        if _published_key() is not None:
            raise KeyLost(
                f"{path} is missing, but this instance has published a key before. Restore the file from a "
                "backup, or make a new key with `partnernet federation key replace` (peers will then need "
                "their operators to confirm its fingerprint)."
            )
        _write_new(path, generate_key_pair())
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ImproperlyConfigured(f"{path} may be read by others (mode {mode:o}); chmod 600 it")
    try:
        pair = key_pair_from_pem(path.read_bytes())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{path} is not this instance's Ed25519 key: {exc}") from exc
    _cache[path] = pair
    _record(pair, "first")
    return pair


def _record(pair: KeyPair, reason: str, statement: str = "") -> None:
    """Remember ``pair`` as published. The first key is recorded only while none is: a key file whose key
    differs from the recorded one (restored from elsewhere) is left for the operator to sort out."""
    from partnernet.federation.models import InstanceKey

    try:
        if reason == "first" and InstanceKey.objects.exists():
            return
        InstanceKey.objects.create(
            public_key=encode_public_key(pair.public_key),
            fingerprint=pair.fingerprint,
            reason=reason,
            statement=statement,
        )
    except DatabaseError:
        return


def rotations() -> list[JsonValue]:
    """The rotation statements this instance publishes in its well-known document, oldest first."""
    from partnernet.federation.models import InstanceKey

    try:
        texts = InstanceKey.objects.exclude(statement="").order_by("pk").values_list("statement", flat=True)
        return [json.loads(text) for text in texts]
    except DatabaseError:
        return []


def _replace_file(path: Path, pair: KeyPair) -> None:
    """Put ``pair`` in ``path`` atomically (a rename over the old file), mode 0600."""
    temporary = path.with_name(f".{path.name}.new.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private_key_pem(pair))
    os.replace(temporary, path)
    _cache[path] = pair


def rotate_key() -> KeyPair:
    """Change the key on purpose: a statement signed by the old key and the new one is recorded (and
    published in the well-known document), the feed is signed again with the new key, then the file is
    replaced. Peers follow the statement on their next sync."""
    from partnernet.base.identity import instance_id
    from partnernet.core.federation.rotation import rotation_statement

    old = instance_key_pair()
    new = generate_key_pair()
    statement = rotation_statement(instance_id(), old, new, timezone.now())
    with transaction.atomic():
        _record(new, "rotated", json.dumps(statement, sort_keys=True))
        resign_feed(new)
        _replace_file(key_file(), new)
    return new


def replace_lost_key() -> KeyPair:
    """Make a new key after the old one was lost (an operator's explicit step). No statement can link the
    keys, so peers mark this instance as needing attention until their operators confirm the fingerprint;
    the feed is signed again with the new key so peers added later can verify all of it."""
    path = key_file()
    if path.exists():
        raise ImproperlyConfigured(
            f"{path} exists: the key is not lost. To change it on purpose use "
            "`partnernet federation key rotate`."
        )
    new = generate_key_pair()
    with transaction.atomic():
        _record(new, "replaced")
        resign_feed(new)
        _write_new(path, new)
    _cache.pop(path, None)
    return new


def resign_feed(pair: KeyPair) -> int:
    """Sign every stored feed activity again with ``pair`` (its content unchanged); returns how many."""
    from partnernet.core.federation.activities import ACTIVITY_PURPOSE
    from partnernet.core.federation.canonical import canonical_json, parse_json
    from partnernet.core.federation.signing import sign_document
    from partnernet.federation.models import FeedEvent

    done = 0
    batch: list[FeedEvent] = []
    for event in FeedEvent.objects.order_by("pk").iterator(chunk_size=2000):
        document = parse_json(event.document.encode("utf-8"))
        assert isinstance(document, dict)
        event.document = canonical_json(sign_document(document, ACTIVITY_PURPOSE, pair)).decode("utf-8")
        batch.append(event)
        if len(batch) >= 2000:
            FeedEvent.objects.bulk_update(batch, ["document"])
            done += len(batch)
            batch = []
    FeedEvent.objects.bulk_update(batch, ["document"])
    return done + len(batch)
