"""A volunteer asks for support and finds a steward's playbook on their request page at once."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import check
from tests.browser.test_support_flow import session_cookie
from tests.factories import make_resource
from tests.support.conftest import World, new_request

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def world(committed: None, world: World) -> World:
    return world


def test_a_volunteer_sees_a_matching_playbook_on_their_request_page(world: World, browser_page: Any) -> None:
    steward = world.first.entity
    make_resource(
        steward, None, key="glam-upload-playbook", title="Playbook: your first GLAM upload", types="glam",
        regions="154", language="sv", status="published", body="# Steps\n\n1. Choose the files\n2. Upload",
    )  # fmt: skip
    make_resource(steward, None, key="edu-letter", title="Letter for a school", types="education",
                  kind="template", template_kind="letter", status="published")  # fmt: skip
    request = new_request(world, need="content_upload", language="sv")
    page = browser_page
    page.context.add_cookies([session_cookie(world.asker, page.base_url)])
    page.goto(f"{page.base_url}/support/r/{request.key}/")
    panel = page.locator("section[aria-labelledby=library-title]")
    assert "Playbook: your first GLAM upload" in panel.inner_text()
    assert "Letter for a school" not in panel.inner_text(), "neither its type nor the need"
    assert panel.locator("input[type=checkbox]").count() == 0, "only the steward answers with resources"
    check(page, "library-request-panel")
    panel.get_by_role("link", name="Playbook: your first GLAM upload").click()
    page.wait_for_url(f"{page.base_url}/library/glam-upload-playbook/")
    assert page.locator("main h3").inner_text() == "Steps"
    check(page, "library-resource")
