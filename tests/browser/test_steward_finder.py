"""A volunteer finds the stewards of GLAM in Sweden in a real browser, asks the second one, and the request is
offered to the steward they chose."""

from __future__ import annotations

import os
from typing import Any

import pytest

from partnernet.support.models import SupportRequest
from tests.browser.conftest import pick
from tests.browser.test_support_flow import CHROMIUM, serious_violations, session_cookie
from tests.conftest import skip_unless_ci
from tests.support.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def world(committed: None, world: World) -> World:
    return world


def test_a_volunteer_finds_the_stewards_of_a_place_and_asks_one(
    world: World, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not os.path.exists(CHROMIUM):
        skip_unless_ci("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(bypass_csp=True)  # axe-core is injected as a script
        context.add_cookies([session_cookie(world.asker, live_server.url)])
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        page.get_by_role("link", name="Find a steward").first.click()
        page.wait_for_url("**/stewards/**")
        pick(page, "id_place", "Swed", "Sweden")
        pick(page, "id_type", "GLAM", "GLAM")
        page.get_by_role("button", name="Find stewards").click()
        page.wait_for_url("**/stewards/?**")
        results = page.locator(".pn-steward-list > li h3").all_inner_texts()
        assert results == ["Wikimedia Sverige", "Wikimedia Norge"]
        assert serious_violations(page) == []
        page.locator(".pn-steward-list > li").nth(1).get_by_role("link", name="Ask this steward").click()
        page.wait_for_url("**/support/new/**")
        assert "You chose a steward in the steward finder" in page.content()
        page.get_by_label("What do you need?").select_option("training")
        page.get_by_label("Description").fill("Training for a museum's staff before an upload.")
        page.get_by_role("button", name="Send request").click()
        page.wait_for_url("**/support/r/**")
        assert "Offered to Wikimedia Norge because:" in page.content()
        browser.close()
    assert SupportRequest.objects.get().stewardship == world.second
