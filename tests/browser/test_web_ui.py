"""The web UI in a real browser: Debian's Chromium driven by Playwright against a live server.

One journey per test, as a person would walk it, with a screenshot of every main page under
``test-output/screenshots`` and an axe-core check (no serious or critical violation) on each.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import skip_unless_ci

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
BLOCKING = {"serious", "critical"}


@pytest.fixture
def seeded(transactional_db: Any) -> dict[str, str]:
    """Reference and demo data (a transactional test starts from a flushed database), and the demo admin."""
    from partnernet.exchange.demo import seed_demo
    from partnernet.exchange.seed import seed_reference
    from partnernet.federation.selectors import forget_instance_id
    from partnernet.framework.selectors import forget_region_tree
    from partnernet.web.management.commands.demo import DEMO_ADMIN, reset_demo_admin

    forget_instance_id()
    forget_region_tree()
    seed_reference()
    seed_demo()
    return {"username": DEMO_ADMIN, "password": reset_demo_admin()}


@pytest.fixture
def browser_page(live_server: Any) -> Iterator[Any]:
    if not CHROMIUM.exists():
        skip_unless_ci("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM is only used before it starts and by
    # the live server's own thread, so Django's async-safety check does not apply here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="en")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url  # type: ignore[attr-defined]
        yield page
        context.close()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def check(page: Any, name: str) -> None:
    """Screenshot the page and run axe-core on it: no serious or critical violation allowed."""
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(
            v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target)}))"""
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{name}: {blocking}"


def log_in(page: Any, credentials: dict[str, str]) -> None:
    page.goto(page.base_url + "/accounts/login/")
    check(page, "login")
    page.fill("#id_login", credentials["username"])
    page.fill("#id_password", credentials["password"])
    page.click("main button[type=submit]")
    page.wait_for_url(page.base_url + "/")
    assert credentials["username"] in page.inner_text("header")


def test_journey_through_the_main_pages(seeded: dict[str, str], browser_page: Any) -> None:
    page = browser_page
    page.goto(page.base_url + "/")
    check(page, "home")
    log_in(page, seeded)

    # The registry, filtered by a facet (the form submits itself when a radio changes).
    page.goto(page.base_url + "/partnerships/")
    check(page, "registry")
    page.check("#type-glam")
    page.wait_for_url(re.compile(r".*type=glam.*"))
    rows = page.locator("main table tbody tr")
    assert rows.count() > 0
    assert all(
        text.strip() == "GLAM" for text in page.locator("main table tbody td:nth-child(3)").all_inner_texts()
    )
    check(page, "registry-filtered")
    page.locator("main table tbody a").first.click()
    page.wait_for_selector("h2#timeline-title")
    check(page, "partnership")

    # The matrix: open a covered cell and see its stewards.
    page.goto(page.base_url + "/matrix/")
    check(page, "matrix")
    page.locator("td.pn-matrix-one a, td.pn-matrix-several a").first.click()
    page.wait_for_selector("#stewards-title")
    assert page.locator("main table tbody tr a").count() >= 1
    check(page, "matrix-cell")
    page.locator("main table tbody tr a").first.click()
    page.wait_for_selector("#stewardships-title")
    check(page, "entity")

    page.goto(page.base_url + "/directory/entities/?region=002")
    check(page, "directory")
    page.goto(page.base_url + "/directory/partners/")
    check(page, "partners")
    page.locator("main table tbody a").first.click()
    page.wait_for_selector("#with-title")
    check(page, "partner")

    # Record a partnership: a wrong end date is reported next to the field and nothing typed is lost.
    page.goto(page.base_url + "/partnerships/new/")
    page.fill("#id_title", "Browser-tested archive scans")
    page.select_option("#id_lead", label="Demo · Volunteer in Accra")
    page.select_option("#id_type", label="GLAM")
    page.select_option("#id_status", value="active")
    page.fill("#id_start", "2025-05-01")
    page.fill("#id_end", "2025-01-01")
    page.click("main button[type=submit]")
    page.wait_for_selector("#id_end_error")
    assert "The end cannot be before the start." in page.inner_text("#id_end_error")
    assert page.input_value("#id_title") == "Browser-tested archive scans"
    check(page, "partnership-form-error")
    page.fill("#id_end", "2025-12-31")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Browser-tested archive scans')")
    assert "The partnership was recorded." in page.inner_text("main")

    # Switch to Arabic: the page comes back right-to-left and translated.
    page.goto(page.base_url + "/partnerships/")
    page.select_option("#pn-language", value="ar")
    page.click("header form:has(#pn-language) button")
    page.wait_for_selector("html[dir=rtl]")
    assert "سجل الشراكات" in page.inner_text("h1")
    check(page, "registry-ar")
    page.goto(page.base_url + "/matrix/")
    check(page, "matrix-ar")
