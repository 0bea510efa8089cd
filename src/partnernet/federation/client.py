"""Talking to peers over HTTP: bounded time, bounded size, no redirects, requests signed as this instance.

A hostile or broken peer must not hang a worker or fill its memory, so every call has a timeout for each
step, an overall deadline (``FEDERATION_DEADLINE``: a peer that trickles a byte every few seconds is cut
off) and a body larger than ``FEDERATION_MAX_BODY`` is cut off and reported; redirects are not followed
because a peer is trusted at one address.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from partnernet.base.identity import instance_id
from partnernet.core.federation.transport import sign_request
from partnernet.federation.keys import instance_key_pair

if TYPE_CHECKING:
    import httpx

USER_AGENT = "Partnernet-federation/1"


class PeerUnreachable(Exception):
    """The peer could not be reached or answered too much; the message says what happened."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    retry_after: timedelta | None = None


def new_client() -> httpx.Client:
    """A client for one conversation with peers. ``httpx`` loads here, on the first call, not with the apps
    (the delivery signals import this module at every start of every process; ``httpx`` and what it brings
    cost about 0.07 s)."""
    import httpx

    return httpx.Client(
        timeout=httpx.Timeout(settings.FEDERATION_TIMEOUT),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
    )


def call(
    client: httpx.Client,
    method: str,
    base_url: str,
    target: str,
    *,
    body: bytes | None = None,
    signed: bool = True,
) -> Answer:
    """``method base_url+target``; ``target`` is the path and query exactly as signed."""
    import httpx

    headers = {"Content-Type": "application/json"} if body is not None else {}
    if signed:
        headers.update(
            sign_request(
                method, target, instance=instance_id(), key_pair=instance_key_pair(), now=timezone.now()
            )
        )
    limit = settings.FEDERATION_MAX_BODY
    deadline = time.monotonic() + settings.FEDERATION_DEADLINE
    try:
        with client.stream(method, base_url + target, content=body, headers=headers) as response:
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise PeerUnreachable(f"answer larger than {limit} bytes")
                if time.monotonic() > deadline:
                    raise PeerUnreachable(
                        f"no complete answer within the deadline of {settings.FEDERATION_DEADLINE:g}s "
                        f"({size} bytes so far)"
                    )
                chunks.append(chunk)
            return Answer(response.status_code, b"".join(chunks), _retry_after(response))
    except httpx.TimeoutException as exc:
        raise PeerUnreachable(
            f"timed out after {settings.FEDERATION_TIMEOUT:g}s ({type(exc).__name__})"
        ) from exc
    except httpx.HTTPError as exc:
        raise PeerUnreachable(f"{type(exc).__name__}: {exc}") from exc


def _retry_after(response: httpx.Response) -> timedelta | None:
    value = response.headers.get("Retry-After", "")
    return timedelta(seconds=int(value)) if value.isdigit() else None
