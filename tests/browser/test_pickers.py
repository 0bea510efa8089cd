"""Every picker driven by the keyboard alone, as a person with a keyboard or a screen reader uses it: type a
few letters, move through the options with the arrow keys, pick with Enter, leave with Tab or Escape.

The sources: what a person may act for (lead), entities (supporters), partners, partnership types, themes
and regions on the partnership form; regions again on a filter that applies itself, and in Arabic (right to
left, names searched in Arabic) on the support request form.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import check, log_in, pick, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_partnership_form_pickers_by_keyboard_alone(seeded: dict[str, str], browser_page: Any) -> None:
    page = browser_page
    log_in(page, seeded)
    page.goto(page.base_url + "/partnerships/new/")
    tab_to(page, "id_title")
    page.keyboard.type("Keyboard-picked archive")
    pick(page, "id_lead", "Accra", "Demo · Volunteer in Accra")
    assert page.input_value("#id_lead") == "Demo · Volunteer in Accra"
    pick(page, "id_supporters", "Sweden", "Wikimedia Sweden")
    pick(page, "id_supporters", "Ghana", "Wikimedia Ghana User Group")
    chips = page.locator("#id_supporters").locator("xpath=..").locator(".pn-chip bdi").all_inner_texts()
    assert chips == ["Wikimedia Sweden", "Wikimedia Ghana User Group"]
    # Backspace in the empty field reaches the last chip's remove button; Enter removes it.
    page.keyboard.press("Backspace")
    assert (
        page.evaluate("document.activeElement.getAttribute('aria-label')")
        == "Remove Wikimedia Ghana User Group"
    )
    page.keyboard.press("Enter")
    assert page.locator("#id_supporters").locator("xpath=..").locator(".pn-chip").count() == 1
    assert page.evaluate("document.activeElement.id") == "id_supporters"
    pick(page, "id_partners", "Coastal", "Demo · Coastal Heritage Museum")
    pick(page, "id_type", "Educ", "Education")
    pick(page, "id_themes", "herit", "Cultural heritage")
    pick(page, "id_region", "Gha", "Ghana")
    # Escape closes an open list without picking; a second Escape clears what was typed.
    tab_to(page, "id_themes")
    page.keyboard.type("sci")
    page.wait_for_selector("#id_themes-listbox [role=option]")
    page.keyboard.press("Escape")
    assert page.locator("#id_themes").get_attribute("aria-expanded") == "false"
    page.keyboard.press("Escape")
    assert page.input_value("#id_themes") == ""
    check(page, "partnership-form-picked")
    tab_to(page, "id_status")
    page.keyboard.press("ArrowDown")  # prospect → negotiating
    tab_to(page, "id_title")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Keyboard-picked archive')")
    details = page.inner_text("main dl")
    for shown in ("Demo · Volunteer in Accra", "Wikimedia Sweden", "Demo · Coastal Heritage Museum",
                  "Education", "Cultural heritage", "Ghana"):  # fmt: skip
        assert shown in details
    assert "Wikimedia Ghana User Group" not in details


def test_a_filter_picker_applies_the_pick_at_once(seeded: dict[str, str], browser_page: Any) -> None:
    page = browser_page
    page.goto(page.base_url + "/directory/entities/")
    pick(page, "id_region", "Western Afr", "Western Africa")
    page.wait_for_url(re.compile(r".*region=011.*"))
    assert page.input_value("#id_region") == "Western Africa"
    assert page.locator("main table tbody tr").count() > 0
    check(page, "directory-filtered-by-picker")


def test_pickers_search_in_arabic_right_to_left(seeded: dict[str, str], browser_page: Any) -> None:
    page = browser_page
    log_in(page, seeded)
    page.context.add_cookies([{"name": "partnernet_language", "value": "ar", "url": page.base_url}])
    page.goto(page.base_url + "/support/new/")
    assert page.get_attribute("html", "dir") == "rtl"
    pick(page, "id_region", "السو", "السويد")
    pick(page, "id_type", "التعليم", "التعليم")
    assert page.input_value("#id_region") == "السويد"
    assert page.locator("#id_region").locator("xpath=..").locator("input[type=hidden]").input_value() == "SE"
    check(page, "support-new-picked-ar")


def test_an_unknown_value_typed_into_a_picker_is_an_error_next_to_it(
    seeded: dict[str, str], browser_page: Any
) -> None:
    page = browser_page
    log_in(page, seeded)
    page.goto(page.base_url + "/partnerships/new/")
    page.fill("#id_title", "Nowhere partnership")
    pick(page, "id_lead", "Accra", "Demo · Volunteer in Accra")
    pick(page, "id_type", "GLAM", "GLAM")
    tab_to(page, "id_region")
    page.keyboard.type("Atlantis")
    page.wait_for_selector("#id_region-listbox .pn-picker-empty")  # "No match"
    page.keyboard.press("Escape")
    tab_to(page, "id_title")
    page.keyboard.press("Enter")
    page.wait_for_selector("#id_region_error")
    assert "Nothing called “Atlantis”" in page.inner_text("#id_region_error")
    assert page.input_value("#id_region") == "Atlantis"
    assert page.locator("#id_region").get_attribute("aria-invalid") == "true"
    check(page, "partnership-form-unknown-region")
