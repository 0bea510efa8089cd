"""The ways in, walked in a real browser as the people who take them.

- A new volunteer signs up, lands on their home, makes their individual profile while asking for support,
  and sees where the request went and why.
- A museum finds the proposal form from the home page, sends a proposal, follows it by its private link; the
  steward is told (header count, e-mail) and sees the contact's e-mail to write back.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from partnernet.support.models import SupportRequest
from tests.browser.conftest import check, pick
from tests.support.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def world(committed: None, world: World) -> World:
    return world


def test_a_new_volunteer_from_sign_up_to_a_routed_request(world: World, browser_page: Any) -> None:
    page = browser_page
    page.goto(page.base_url + "/support/")
    page.get_by_role("link", name="Sign up").last.click()
    page.wait_for_url("**/accounts/signup/**")
    check(page, "signup")
    page.fill("#id_username", "maja")
    page.fill("#id_email", "maja@example.org")
    page.fill("#id_password1", "a long password for maja")
    page.fill("#id_password2", "a long password for maja")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/support/new/")
    check(page, "individual-request")
    assert (
        page.get_by_role("link", name="ask to join an existing entity").get_attribute("href")
        == "/directory/entities/"
    )

    page.get_by_label("Your name in the directory").fill("Maja Lind")
    pick(page, "id_country", "Swed", "Sweden")
    page.get_by_label("Languages you work in").fill("sv, en")
    page.get_by_label("What do you need?").select_option("tools")
    pick(page, "id_type", "GLAM", "GLAM")
    pick(page, "id_region", "Swed", "Sweden")
    page.get_by_label("Description").fill("A village archive wants to share 300 photographs on Commons.")
    page.get_by_role("button", name="Create my profile and send the request").click()
    page.wait_for_url("**/support/r/**")
    content = page.content()
    assert content.count("Your individual profile “Maja Lind” was created and your request was sent.") == 1
    assert "Offered to Wikimedia Sverige because:" in content
    check(page, "individual-request-routed")

    page.goto(page.base_url + "/me/")
    assert "Maja Lind" in page.inner_text("main")
    assert "Offered" in page.inner_text("main")
    check(page, "personal-home")


def _steward_session(world: World, base: str) -> dict[str, Any]:
    from django.conf import settings

    client = Client()
    client.force_login(world.first_user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base,
    }


def test_a_museum_from_the_home_page_to_a_steward_who_can_write_back(world: World, browser_page: Any) -> None:
    page = browser_page
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Propose a partnership (museums, libraries, archives …)").click()
    page.wait_for_url("**/support/propose/")
    check(page, "propose")
    page.fill("#id_institution", "Upplandsmuseet")
    page.select_option("#id_kind", "museum")
    page.fill("#id_website", "https://upplandsmuseet.example")
    page.fill("#id_wikidata", "Q10720286")
    page.fill("#id_contact_name", "Eva Berg")
    page.fill("#id_contact_email", "eva@upplandsmuseet.example")
    pick(page, "id_type", "GLAM", "GLAM")
    pick(page, "id_region", "Swed", "Sweden")
    page.fill("#id_description", "We hold 10,000 photographs of Uppland and would like to share them.")
    page.get_by_role("button", name="Send proposal").click()
    assert "Without your agreement the steward cannot write back" in page.content()
    assert not SupportRequest.objects.exists()
    page.check("#id_consent")
    page.get_by_role("button", name="Send proposal").click()
    page.wait_for_url("**/support/propose/thanks/")
    check(page, "proposed")
    request = SupportRequest.objects.get()
    main = page.inner_text("main")
    assert request.key in main
    assert "Wikimedia Sverige" in main
    page.get_by_role("link", name=request.follow_path, exact=False).click()
    page.wait_for_url("**" + request.follow_path)
    assert "Wikimedia Sverige has your proposal" in page.inner_text("main")
    check(page, "proposal-followed")

    to_steward = [m for m in mail.outbox if "steward@wmse.example" in m.bcc]
    assert to_steward
    assert request.key in to_steward[0].body

    steward = page.context.browser.new_context(bypass_csp=True, locale="en")
    steward.add_cookies([_steward_session(world, page.base_url)])
    inbox = steward.new_page()
    inbox.goto(page.base_url + "/me/")
    assert "1 unread" in inbox.inner_text("header")
    inbox.get_by_role("link", name="Support request offered to Wikimedia Sverige").first.click()
    inbox.wait_for_url("**/support/r/**")
    contact = inbox.get_by_role("link", name="eva@upplandsmuseet.example")
    assert contact.get_attribute("href").startswith("mailto:eva@upplandsmuseet.example")
    assert "https://upplandsmuseet.example" in inbox.inner_text("main")
    inbox.get_by_role("button", name="Accept").click()
    assert "Wikimedia Sverige holds this request." in inbox.content()
    steward.close()
