"""The impact report in Chromium: server-drawn SVG charts, no page errors, axe clean."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import skip_unless_ci

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.fixture
def page() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        skip_unless_ci("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop here
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser.new_page(bypass_csp=True)  # axe-core is injected as a script
        finally:
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_report_draws_its_charts_and_passes_axe(live_server: Any, page: Any) -> None:
    from partnernet.exchange.demo import seed_demo
    from partnernet.exchange.seed import seed_reference

    seed_reference()
    seed_demo()
    errors: list[str] = []
    failed: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response", lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None
    )
    page.goto(f"{live_server.url}/impact/")
    drawn = page.locator("svg.pn-svg-chart")
    assert drawn.count() >= 2  # drawn on the server, one per indicator and view
    assert drawn.first.get_attribute("role") == "img"
    assert page.locator("text=Who contributed what").count() == 1
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})")
    serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert errors == []
    assert failed == []
