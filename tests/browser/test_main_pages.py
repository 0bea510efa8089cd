"""Every main page in Chromium, left to right (English) and right to left (Arabic): axe-core finds no
violation of any impact, no script fails, and a screenshot of each is kept in test-output/screenshots."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import check, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [
    ("home", "/"),
    ("directory", "/directory/entities/?region=002"),
    ("entity", "/directory/entities/wikimedia-sweden/"),
    ("partners", "/directory/partners/"),
    ("registry", "/partnerships/"),
    ("partnership-form", "/partnerships/new/"),
    ("matrix", "/matrix/?level=subregion&map=glam"),
    ("matrix-cell", "/matrix/glam/150/"),
    ("proposals", "/framework/proposals/"),
    ("proposal-form", "/framework/proposals/new/?kind=take_up"),
    ("terms", "/framework/terms/"),
    ("impact", "/impact/"),
    ("analytics", "/analytics/"),
    ("support", "/support/"),
    ("support-new", "/support/new/"),
    ("support-propose", "/support/propose/"),
]


def _visit(page: Any, language: str) -> None:
    page.context.add_cookies([{"name": "partnernet_language", "value": language, "url": page.base_url}])
    for name, path in PAGES:
        response = page.goto(page.base_url + path)
        assert response.status == 200, (name, response.status)
        expected = "rtl" if language == "ar" else "ltr"
        assert page.get_attribute("html", "dir") == expected
        assert "Partnernet" in page.title()
        check(page, f"{name}-{language}")


def test_main_pages_in_english_pass_axe(seeded: dict[str, str], browser_page: Any) -> None:
    log_in(browser_page, seeded)
    _visit(browser_page, "en")


def test_main_pages_right_to_left_in_arabic_pass_axe(seeded: dict[str, str], browser_page: Any) -> None:
    log_in(browser_page, seeded)
    _visit(browser_page, "ar")


def test_favicon_is_served_where_browsers_look(seeded: dict[str, str], browser_page: Any) -> None:
    response = browser_page.goto(browser_page.base_url + "/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"] == "image/x-icon"
