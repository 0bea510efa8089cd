"""A volunteer asks for support in a real browser, sees why it went where it went; the steward accepts it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import pick
from tests.conftest import skip_unless_ci
from tests.support.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def world(committed: None, world: World) -> World:
    return world


def session_cookie(user: Any, base: str) -> dict[str, Any]:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base,
    }


def serious_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run().then(r => r.violations)")
    return [v["id"] for v in result if v["impact"] in ("serious", "critical")]


def test_request_form_to_status_page_to_inbox(
    world: World, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not os.path.exists(CHROMIUM):
        skip_unless_ci("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    asker = session_cookie(world.asker, live_server.url)
    steward = session_cookie(world.first_user, live_server.url)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(bypass_csp=True)  # axe-core is injected as a script
        context.add_cookies([asker])
        page = context.new_page()
        page.goto(f"{live_server.url}/support/new/")
        page.get_by_label("What do you need?").select_option("co_signing")
        pick(page, "id_type", "GLAM", "GLAM")
        pick(page, "id_region", "Swed", "Sweden")
        page.get_by_label("Working language").fill("sv")
        page.get_by_label("Description").fill("A museum in Uppsala wants to share 2,000 photographs.")
        assert serious_violations(page) == []
        page.get_by_role("button", name="Send request").click()
        page.wait_for_url("**/support/r/**")
        assert "Offered to Wikimedia Sverige because:" in page.content()
        assert serious_violations(page) == []

        other = browser.new_context(bypass_csp=True)
        other.add_cookies([steward])
        inbox = other.new_page()
        inbox.goto(f"{live_server.url}/support/inbox/")
        inbox.get_by_role("link", name="r-").first.click()
        inbox.get_by_role("button", name="Accept").click()
        assert "Wikimedia Sverige holds this request." in inbox.content()
        browser.close()
