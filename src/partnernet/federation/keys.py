"""This instance's Ed25519 key pair, kept in a file of the data folder and never in the database.

A database dump or backup shared for debugging must not let anyone sign as this instance, so the private
key lives beside the database in ``PARTNERNET_DATA_DIR`` (created on first use, mode 0600, refused if others
may read it) and is read once per process.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from partnernet.core.federation.signing import KeyPair, generate_key_pair, key_pair_from_pem, private_key_pem

_cache: dict[Path, KeyPair] = {}


def key_file() -> Path:
    return Path(settings.FEDERATION_KEY_FILE)


def instance_key_pair() -> KeyPair:
    """The key pair of this instance, made on first use.

    The key is written to a private temporary file and hard-linked into place, which fails if the file
    exists: two processes starting at once agree on one key (the loser reads the winner's), and nobody ever
    reads a half-written file.
    """
    path = key_file()
    cached = _cache.get(path)
    if cached is not None:
        return cached
    if not path.exists():
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(private_key_pem(generate_key_pair()))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ImproperlyConfigured(f"{path} may be read by others (mode {mode:o}); chmod 600 it")
    try:
        pair = key_pair_from_pem(path.read_bytes())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{path} is not this instance's Ed25519 key: {exc}") from exc
    _cache[path] = pair
    return pair
