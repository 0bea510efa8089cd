"""A steward declares a need in a real browser; a member of another entity pledges to it; the steward
confirms the delivery and the need is met."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import check
from tests.factories import EntityFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _cookie(user: Any, base: str) -> dict[str, Any]:
    client = Client()
    client.force_login(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": base}  # fmt: skip


def test_a_steward_declares_a_need_and_another_entity_pledges(committed: None, browser_page: Any) -> None:
    steward = EntityFactory(key="browser-steward", name="Browser steward chapter", kind="chapter")
    giver = EntityFactory(key="browser-giver", name="Giving user group")
    admin = MembershipFactory(entity=steward, role="admin", user__username="steward-admin").user
    member = MembershipFactory(entity=giver, role="member", user__username="giver-member").user
    page = browser_page
    base = page.base_url

    page.context.add_cookies([_cookie(admin, base)])
    page.goto(f"{base}/needs/new/?entity=browser-steward")
    page.get_by_label("Kind of need").select_option("funding")
    page.get_by_label("What is needed").fill("Travel to partner museums")
    page.get_by_label("Amount").fill("-5")
    page.get_by_label("Unit").select_option("money")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_role("button", name="Declare the need").click()
    assert "not more than 0" in page.content()  # refused, nothing saved, what was typed is kept
    page.get_by_label("Amount").fill("1500")
    check(page, "need-form")
    page.get_by_role("button", name="Declare the need").click()
    page.wait_for_url("**/needs/browser-steward-travel-to-partner-museums/")
    assert "€1,500.00" in page.content()
    check(page, "need-detail")

    page.context.clear_cookies()
    page.context.add_cookies([_cookie(member, base)])
    page.goto(f"{base}/needs/browser-steward-travel-to-partner-museums/")
    page.get_by_label("Pledge for an entity").select_option(label="Giving user group")
    page.get_by_label("What you pledge").fill("A travel grant")
    page.get_by_label("How much").fill("1500")
    page.get_by_role("button", name="Pledge", exact=True).click()
    page.wait_for_url("**/needs/browser-steward-travel-to-partner-museums/")
    assert "Giving user group" in page.content()
    assert "Confirm delivery" not in page.content()  # only the need's admins confirm
    check(page, "need-pledged")

    page.context.clear_cookies()
    page.context.add_cookies([_cookie(admin, base)])
    page.goto(f"{base}/needs/browser-steward-travel-to-partner-museums/")
    page.get_by_role("button", name="Confirm delivery").click()
    page.wait_for_url("**/needs/browser-steward-travel-to-partner-museums/")
    assert page.locator("[data-status=met]").count() == 1
