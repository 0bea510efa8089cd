"""A loopback stand-in for Wikimedia's APIs: ``http.server`` in a thread serving the recorded responses.

Routes answer the way the real services do for the requests the connectors make; everything else is 404.
``fail_next`` makes the next N requests answer 503 (to prove retries), and ``requests`` keeps what was asked.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

RECORDED = Path(__file__).parent / "recorded"


def recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


@dataclass
class FakeWikimedia:
    base: str = ""
    fail_next: int = 0
    requests: list[tuple[str, dict[str, str], dict[str, str]]] = field(default_factory=list)

    def route(self, path: str, query: dict[str, str]) -> tuple[int, Any]:
        if path == "/w/api.php" and query.get("action") == "query":
            if query.get("list") == "categorymembers":
                if query["cmtitle"] == "Category:Bundesarchiv test subcategory":
                    return 200, recorded("commons-categorymembers-sub.json")
                if query["cmtitle"] == "Category:Bundesarchiv test":
                    page = "2" if query.get("cmcontinue") else "1"
                    return 200, recorded(f"commons-categorymembers-{page}.json")
                return 200, {"batchcomplete": True, "query": {"categorymembers": []}}
            if query.get("prop") == "globalusage":
                data = recorded("commons-globalusage.json")
                asked = set(query["titles"].split("|"))
                data["query"]["pages"] = [p for p in data["query"]["pages"] if p["title"] in asked]
                return 200, data
            if query.get("prop") == "revisions":
                name = f"wikidata-revisions-{query['titles']}.json"
                if (RECORDED / name).exists():
                    return 200, recorded(name)
                return 200, {"batchcomplete": True, "query": {"pages": [{"ns": 0, "title": query["titles"]}]}}
            if query.get("list") == "search":
                return 200, recorded("wikidata-search.json")
        if path == "/w/api.php" and query.get("action") == "wbgetentities":
            data = recorded("wikidata-wbgetentities.json")
            asked = query["ids"].split("|")
            data["entities"] = {qid: data["entities"].get(qid, {"id": qid, "missing": ""}) for qid in asked}
            return 200, data
        if path.startswith("/pageviews/per-article/"):
            article = unquote(path.split("/")[6])
            if article == "Bundesarchiv":
                return 200, recorded("pageviews-Bundesarchiv.json")
            return 404, recorded("pageviews-notfound.json")
        if path == "/campaigns/bundesarchiv_test.json":
            return 200, recorded("dashboard-campaign.json")
        if path == "/courses/Test_School/Archive_images_edit-a-thon/course.json":
            return 200, recorded("dashboard-course.json")
        return 404, {"error": "not found"}


@contextmanager
def serve() -> Iterator[FakeWikimedia]:
    fake = FakeWikimedia()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            fake.requests.append((parts.path, query, dict(self.headers.items())))
            if fake.fail_next > 0:
                fake.fail_next -= 1
                status, body = 503, {"error": "busy"}
            else:
                status, body = fake.route(parts.path, query)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A loopback port nobody listens on: connections to it are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def api_settings(base: str) -> dict[str, Any]:
    """Settings that point every connector at ``base``, with fast retries."""
    return {
        "IMPACT_COMMONS_API": f"{base}/w/api.php",
        "IMPACT_WIKIDATA_API": f"{base}/w/api.php",
        "IMPACT_PAGEVIEWS_API": f"{base}/pageviews",
        "IMPACT_DASHBOARD_URL": base,
        "IMPACT_HTTP_BACKOFF": 0.001,
        "IMPACT_HTTP_TIMEOUT": 5.0,
    }
