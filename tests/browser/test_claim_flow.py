"""An affiliate's admin gets in, in a real browser: a new account claims Wikimedia Sweden with evidence, a
facilitator approves it in the claims queue, and the new admin's edits show on the entity page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import check
from tests.factories import UserFactory, facilitator

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long test password"


def log_in_as(page: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert username in page.inner_text("header")


def test_claim_approval_and_profile_edit(committed: None, fast_passwords: None, browser_page: Any) -> None:
    from partnernet.base.identity import forget_instance_id
    from partnernet.base.models import SEED_ORIGIN
    from partnernet.directory.models import Entity

    forget_instance_id()
    Entity.objects.filter(origin=SEED_ORIGIN, key="wikimedia-sweden").update(home="")
    UserFactory(username="wmse-manager", email="manager@example.org", password=PASSWORD)
    facilitator(username="hub-facilitator", password=PASSWORD)
    page = browser_page
    entity = page.base_url + "/directory/entities/wikimedia-sweden/"

    # The new account finds its affiliate, sees CLDR's languages marked as derived, and claims it.
    log_in_as(page, "wmse-manager")
    page.goto(entity)
    assert "derived from CLDR" in page.inner_text("main")
    page.get_by_role("link", name="Claim this affiliate").click()
    page.wait_for_selector("#id_evidence_url")
    check(page, "claim-form")
    page.click("main button[type=submit]")  # no evidence: told so, nothing sent
    assert "A claim needs evidence" in page.inner_text("main")
    page.fill("#id_evidence_url", "https://meta.wikimedia.org/wiki/Wikimedia_Sverige")
    page.fill("#id_statement", "I am the chapter's operations manager; see the staff list on wikimedia.se.")
    page.click("main button[type=submit]")
    page.wait_for_url(entity)
    assert "facilitators have not decided yet" in page.inner_text("main")

    # A facilitator approves it in the claims queue.
    log_in_as(page, "hub-facilitator")
    page.goto(page.base_url + "/directory/claims/")
    assert "operations manager" in page.inner_text("main")
    check(page, "claim-queue")
    page.get_by_role("button", name="Approve: make them admin of Wikimedia Sweden").click()
    page.wait_for_load_state()
    assert "No claim is waiting." in page.inner_text("main")

    # The new admin edits the profile; the entity page shows it.
    log_in_as(page, "wmse-manager")
    page.goto(entity)
    page.get_by_role("link", name="Edit profile").click()
    page.wait_for_selector("#id_languages_text")
    page.fill("#id_languages_text", "sv, en, se")
    page.fill("#id_website", "https://wikimedia.se")
    page.fill("#id_contact", "info@wikimedia.se")
    page.fill("#id_staff_fte", "12.5")
    page.fill("#id_description", "Wikimedia Sverige works for free knowledge in Sweden.")
    check(page, "profile-form")
    page.click("main button[type=submit]")
    page.wait_for_url(entity)
    main = page.inner_text("main")
    for shown in (
        "en, se, sv",
        "https://wikimedia.se",
        "info@wikimedia.se",
        "12.50",
        "free knowledge in Sweden",
    ):
        assert shown in main
    assert "derived from CLDR" not in main
    check(page, "entity-profiled")
