"""A small in-test HTTP server that plays a peer: it publishes its own key and serves whatever pages a test
crafts, signed (or not) with that key, after whatever delay the test asks for."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.utils import timezone

from partnernet.core.federation.activities import Activity, Verb, activity_document, sign_activity
from partnernet.core.federation.canonical import JsonValue, canonical_json
from partnernet.core.federation.feed import feed_page_document
from partnernet.core.federation.identity import GlobalId, PeerIdentity, well_known_document
from partnernet.core.federation.signing import KeyPair, generate_key_pair, sign_document

Responder = Callable[[int], tuple[int, bytes]]


@dataclass
class HostilePeer:
    instance: str = field(default_factory=lambda: f"pn-{uuid.uuid4().hex[:16]}")
    key_pair: KeyPair = field(default_factory=generate_key_pair)
    responder: Responder | None = None
    delay: float = 0.0
    base_url: str = ""
    requests: list[str] = field(default_factory=list)
    inbox_answers: list[tuple[int, bytes]] = field(default_factory=list)
    posted: list[bytes] = field(default_factory=list)
    rotations: list[JsonValue] = field(default_factory=list)
    well_known_override: dict[str, JsonValue] | None = None
    trickle: float = 0.0

    def well_known(self) -> dict[str, JsonValue]:
        if self.well_known_override is not None:
            return self.well_known_override
        return well_known_document(
            PeerIdentity(self.instance, self.base_url, self.key_pair.public_key, "evil-op"),
            self.key_pair,
            rotations=self.rotations,
        )

    def activity(
        self,
        sequence: int,
        *,
        key: str = "evil-entity",
        name: str = "Evil entity",
        record: uuid.UUID | None = None,
        verb: Verb = Verb.CREATE,
        origin: str | None = None,
        published: datetime | None = None,
        kind: str = "entities",
        fields: dict[str, JsonValue] | None = None,
        signer: KeyPair | None = None,
    ) -> dict[str, JsonValue]:
        """A signed activity; ``origin`` other than this peer's makes it claim another origin's record."""
        record_uuid = record or uuid.uuid5(uuid.NAMESPACE_URL, f"{self.instance}/{key}")
        activity = Activity(
            verb=verb,
            actor=self.instance,
            sequence=sequence,
            published=published or timezone.now(),
            record=GlobalId(origin or self.instance, record_uuid),
            kind=kind,
            key=key,
            fields=None
            if verb is Verb.DELETE
            else (fields or {"name": name, "kind": "chapter", "country": "SE"}),
        )
        if origin is None and signer is None:
            return sign_activity(activity, self.key_pair)
        return sign_document(activity_document(activity), "partnernet-activity-v1", signer or self.key_pair)

    def page(
        self,
        after: int,
        items: list[dict[str, JsonValue]],
        *,
        next_cursor: int | None = None,
        published: datetime | None = None,
    ) -> bytes:
        document = feed_page_document(
            origin=self.instance,
            after=after,
            items=items,
            next_cursor=next_cursor,
            published=published or timezone.now(),
            key_pair=self.key_pair,
        )
        return canonical_json(document)

    def serve_pages(self, pages: dict[int, list[dict[str, JsonValue]]]) -> None:
        """Answer ``?after=N`` with a fresh, well-signed page of ``pages[N]`` (empty if absent)."""
        self.responder = lambda after: (200, self.page(after, pages.get(after, [])))


@contextmanager
def running(peer: HostilePeer) -> Iterator[HostilePeer]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            peer.requests.append(self.path)
            parts = urlsplit(self.path)
            if parts.path == "/.well-known/partnernet":
                self._send(200, json.dumps(peer.well_known()).encode())
                return
            if peer.delay:
                time.sleep(peer.delay)
            after = int(parse_qs(parts.query).get("after", ["0"])[0])
            status, body = peer.responder(after) if peer.responder else (404, b"{}")
            self._send(status, body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            peer.posted.append(self.rfile.read(length))
            status, body = peer.inbox_answers.pop(0) if peer.inbox_answers else (500, b"{}")
            self._send(status, body)

        def _send(self, status: int, body: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if peer.trickle and status == 200 and self.path.startswith("/federation/"):
                    for at in range(len(body)):
                        self.wfile.write(body[at : at + 1])
                        self.wfile.flush()
                        time.sleep(peer.trickle)
                    return
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    peer.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield peer
    finally:
        server.shutdown()
        server.server_close()


def hours(n: float) -> timedelta:
    return timedelta(hours=n)
