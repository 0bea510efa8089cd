"""The Content-Security-Policy in a real browser: pages, htmx and the API docs run with no violation.

The browser's requests are answered in-process by Django's test client (through Playwright's routing), so
the test needs no live server and sees exactly the headers the application sends.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ORIGIN = "http://testserver"
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


def _answer(client: Client, route: Any) -> None:
    request = route.request
    parts = urlsplit(request.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    response = client.generic(
        request.method,
        path,
        data=request.post_data_buffer or b"",
        content_type=request.headers.get("content-type", "application/octet-stream"),
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    route.fulfill(status=response.status_code, headers=dict(response.items()), body=body)


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Any:
    playwright = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs the route handlers inside its event loop, on this thread and this test's
    # database connection; Django's guard against the ORM in async code does not apply to that.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from pathlib import Path

    if not Path("/usr/bin/chromium").exists():
        from tests.conftest import skip_unless_ci

        skip_unless_ci("Chromium is not installed at /usr/bin/chromium")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context()
        context.add_init_script(WATCH)
        client = Client()
        context.route(
            "**/*",
            lambda route: _answer(client, route) if route.request.url.startswith(ORIGIN) else route.abort(),
        )
        yield context.new_page()
        browser.close()


def test_api_docs_render_under_the_policy(page: Any) -> None:
    page.goto(f"{ORIGIN}/api/docs", timeout=90_000)
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "Partnernet API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    assert page.evaluate("window.__violations") == []


def test_home_and_account_pages_run_without_violations(page: Any) -> None:
    for path in ("/", "/accounts/login/"):
        page.goto(f"{ORIGIN}{path}", timeout=90_000)
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.classList.contains('pn-js')"), path
        assert page.evaluate("typeof window.htmx") == "object", path
        assert page.evaluate("window.__violations") == [], path
