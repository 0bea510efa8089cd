""" "Log in with Wikimedia": allauth's MediaWiki OAuth 2 provider against a fake OAuth server on loopback.

The fake serves the two endpoints the provider calls after the browser comes back (token and profile) and
checks what it is sent; the authorize step is the browser's, so the test follows the redirect by hand.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.mediawiki.views import MediaWikiOAuth2Adapter
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

CLIENT_ID = "partnernet-test-consumer"
SECRET = "partnernet-test-secret"
CODE = "one-time-code"
ACCESS_TOKEN = "fake-access-token"
PROFILE = {
    "sub": 4242,
    "username": "Wiki Volunteer",
    "realname": "Volunteer Example",
    "email": "volunteer@example.org",
    "confirmed_email": True,
    "editcount": 1200,
    "blocked": False,
}


class FakeMediaWiki(BaseHTTPRequestHandler):
    seen: list[dict[str, Any]] = []

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
        self.seen.append({"path": self.path, "form": form})
        if self.path != "/w/rest.php/oauth2/access_token":
            self._answer(404, {"error": "not_found"})
        elif (
            form.get("code") != CODE
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != SECRET
        ):
            self._answer(400, {"error": "invalid_grant"})
        else:
            self._answer(200, {"access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 3600})

    def do_GET(self) -> None:
        self.seen.append({"path": self.path, "authorization": self.headers.get("Authorization")})
        if self.path != "/w/rest.php/oauth2/resource/profile":
            self._answer(404, {"error": "not_found"})
        elif self.headers.get("Authorization") != f"Bearer {ACCESS_TOKEN}":
            self._answer(401, {"error": "invalid_token"})
        else:
            self._answer(200, PROFILE)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def fake_wiki(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeMediaWiki)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    rest = f"http://127.0.0.1:{server.server_port}/w/rest.php"
    FakeMediaWiki.seen = []
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    settings.SOCIALACCOUNT_PROVIDERS = {
        "mediawiki": {**settings.SOCIALACCOUNT_PROVIDERS["mediawiki"], "REST_API": rest,
                      "APPS": [{"client_id": CLIENT_ID, "secret": SECRET}]}
    }  # fmt: skip
    # The provider reads REST_API once, when it is imported; point its three URLs at the fake as the
    # setting would at start-up.
    monkeypatch.setattr(MediaWikiOAuth2Adapter, "access_token_url", f"{rest}/oauth2/access_token")
    monkeypatch.setattr(MediaWikiOAuth2Adapter, "authorize_url", f"{rest}/oauth2/authorize")
    monkeypatch.setattr(MediaWikiOAuth2Adapter, "profile_url", f"{rest}/oauth2/resource/profile")
    yield rest
    server.shutdown()
    server.server_close()


def _start(client: Client, rest: str) -> dict[str, str]:
    """Press "Log in with Wikimedia": a POST (with CSRF) that redirects the browser to the wiki."""
    response = client.post("/accounts/mediawiki/login/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{rest}/oauth2/authorize"
    query = {key: values[0] for key, values in parse_qs(target.query).items()}
    assert query["client_id"] == CLIENT_ID
    assert query["response_type"] == "code"
    assert query["redirect_uri"].endswith("/accounts/mediawiki/login/callback/")
    return query


def test_login_page_offers_wikimedia_when_configured(fake_wiki: str) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert "Log in with Wikimedia" in page


def test_login_page_does_not_offer_wikimedia_without_a_consumer_key() -> None:
    assert "Log in with Wikimedia" not in Client().get("/accounts/login/").content.decode()


def test_wikimedia_login_creates_and_logs_in_the_account(fake_wiki: str) -> None:
    client = Client()
    query = _start(client, fake_wiki)
    back = client.get("/accounts/mediawiki/login/callback/", {"code": CODE, "state": query["state"]})
    assert back.status_code == 302
    assert back["Location"] == "/me/"  # the personal home
    account = SocialAccount.objects.get(provider="mediawiki", uid="4242")
    assert account.extra_data["username"] == "Wiki Volunteer"
    assert account.user.email == "volunteer@example.org"
    assert client.get("/accounts/tokens/").status_code == 200
    token_call = next(call for call in FakeMediaWiki.seen if call["path"].endswith("/access_token"))
    assert token_call["form"]["grant_type"] == "authorization_code"
    assert token_call["form"]["redirect_uri"] == query["redirect_uri"]
    profile_call = next(call for call in FakeMediaWiki.seen if call["path"].endswith("/profile"))
    assert profile_call["authorization"] == f"Bearer {ACCESS_TOKEN}"


def test_second_login_reuses_the_account(fake_wiki: str) -> None:
    for _ in range(2):
        client = Client()
        query = _start(client, fake_wiki)
        client.get("/accounts/mediawiki/login/callback/", {"code": CODE, "state": query["state"]})
    assert get_user_model().objects.filter(socialaccount__provider="mediawiki").count() == 1


def test_a_forged_state_is_refused_and_nobody_is_logged_in(fake_wiki: str) -> None:
    client = Client()
    _start(client, fake_wiki)
    back = client.get("/accounts/mediawiki/login/callback/", {"code": CODE, "state": "forged"})
    assert back.status_code == 401
    assert "error" in back.content.decode().lower()
    assert not SocialAccount.objects.exists()
    assert not any(call["path"].endswith("/access_token") for call in FakeMediaWiki.seen)


def test_a_refused_code_logs_nobody_in(fake_wiki: str) -> None:
    client = Client()
    query = _start(client, fake_wiki)
    client.get("/accounts/mediawiki/login/callback/", {"code": "stolen", "state": query["state"]})
    assert not SocialAccount.objects.exists()
    assert client.get("/accounts/tokens/").status_code == 302
