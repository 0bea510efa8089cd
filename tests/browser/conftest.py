"""Fixtures the browser tests share: seeded data, a Chromium page on the live server, axe and screenshots."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import skip_unless_ci
from tests.support.conftest import world

__all__ = [
    "browser_page",
    "check",
    "log_in",
    "pick",
    "seeded",
    "tab_to",
    "world",
]

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@pytest.fixture
def seeded(transactional_db: Any) -> dict[str, str]:
    """Reference and demo data (a transactional test starts from a flushed database), and the demo admin."""
    from partnernet.base.identity import forget_instance_id
    from partnernet.exchange.demo import seed_demo
    from partnernet.exchange.seed import seed_reference
    from partnernet.framework.labels import forget_term_labels
    from partnernet.framework.selectors import forget_region_tree
    from partnernet.web.management.commands.demo import DEMO_ADMIN, reset_demo_admin
    from partnernet.web.maps import _alpha2_by_m49

    forget_instance_id()
    forget_region_tree()
    forget_term_labels()
    _alpha2_by_m49.cache_clear()
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
        page.base_url = live_server.url
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        yield page
        context.close()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def check(page: Any, name: str) -> None:
    """Screenshot the page (test-output/screenshots/NAME.png) and run axe-core on it: no violation at all,
    whatever its impact, and no script error on the page."""
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(
            v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target)}))"""
    )
    assert not violations, f"{name}: {violations}"
    assert not page.errors, f"{name}: {page.errors}"


def log_in(page: Any, credentials: dict[str, str]) -> None:
    page.goto(page.base_url + "/accounts/login/")
    check(page, "login")
    page.fill("#id_login", credentials["username"])
    page.fill("#id_password", credentials["password"])
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert credentials["username"] in page.inner_text("header")


def tab_to(page: Any, element_id: str, most: int = 80) -> None:
    """Move the keyboard focus with Tab until the element with ``element_id`` has it."""
    for _ in range(most):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def pick(page: Any, field: str, typed: str, expected: str) -> None:
    """Tab to ``field``, type, walk the options with the arrows to the one labelled ``expected``, Enter."""
    tab_to(page, field)
    combobox = page.locator(f"#{field}")
    assert combobox.get_attribute("role") == "combobox"
    page.keyboard.type(typed, delay=20)
    listbox = page.locator(f"#{field}-listbox")
    page.wait_for_selector(f"#{field}-listbox [role=option]")
    assert combobox.get_attribute("aria-expanded") == "true"
    labels = listbox.locator("[role=option]").evaluate_all("els => els.map(e => e.dataset.label)")
    assert expected in labels, labels
    for _ in range(labels.index(expected) + 1):
        page.keyboard.press("ArrowDown")
    active = combobox.get_attribute("aria-activedescendant")
    assert active is not None
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    assert page.locator(f"#{active}").get_attribute("data-label") == expected
    page.keyboard.press("Enter")
    assert combobox.get_attribute("aria-expanded") == "false"
