"""The web UI in a real browser: Debian's Chromium driven by Playwright against a live server.

One journey per test, as a person would walk it, with a screenshot of every main page under
``test-output/screenshots`` and an axe-core check (no serious or critical violation) on each.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import check, log_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.slow]


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
    tab_to(page, "id_lead")
    page.keyboard.type("Volunteer in Accra")
    page.wait_for_selector("#id_lead-listbox [role=option]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    tab_to(page, "id_type")
    page.keyboard.type("GLAM")
    page.wait_for_selector("#id_type-listbox [role=option]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
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
