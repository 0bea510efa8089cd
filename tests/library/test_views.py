"""The library's pages: list with facets and search, a resource, the form, history and diff, and the
resources shown on a support request's page and in the steward's inbox."""

from __future__ import annotations

from typing import Any

from django.test import Client

from partnernet.library import services
from partnernet.library.models import Resource
from partnernet.library.services import RESOURCES
from partnernet.support.models import RequestEvent
from tests.factories import MembershipFactory, SupportRequestFactory, make_resource


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_library_page_lists_published_resources_with_facets_and_searches(lib: Any) -> None:
    make_resource(lib.steward, lib.admin, key="glam", title="Running a GLAM upload", types="glam",
                  body="Batch uploads with Pattypan", status="published")  # fmt: skip
    make_resource(lib.steward, lib.admin, key="edu", title="Classroom assignments", types="education",
                  language="sv", status="published")  # fmt: skip
    make_resource(lib.steward, lib.admin, key="secret-draft", title="Unpublished GLAM notes", types="glam")
    page = _client().get("/library/").content.decode()
    assert "Running a GLAM upload" in page
    assert "Classroom assignments" in page
    assert "Unpublished GLAM notes" not in page
    searched = _client().get("/library/", {"q": "pattypan"}).content.decode()
    assert "Running a GLAM upload" in searched
    assert "Classroom assignments" not in searched
    faceted = _client().get("/library/", {"language": "sv"}).content.decode()
    assert "Classroom assignments" in faceted
    assert "Running a GLAM upload" not in faceted
    assert "Unpublished" not in _client().get("/library/", {"q": "unpublished"}).content.decode()


def test_a_resource_page_renders_cleaned_markdown_and_names_its_maintainers(lib: Any) -> None:
    body = "## Steps\n\n<script>alert(1)</script> [x](javascript:alert(1))"
    make_resource(lib.steward, lib.admin, key="md", title="Markdown", status="published",
                  maintainers="maintainer", body=body)  # fmt: skip
    page = _client().get("/library/md/").content.decode()
    assert "<h4>Steps</h4>" in page
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page
    assert "maintainer" in page
    assert "Wikimedia Sverige publishes it." in page


def test_a_draft_is_not_found_by_others_and_the_form_is_for_editors_only(lib: Any) -> None:
    make_resource(lib.steward, lib.admin, key="d")
    assert _client().get("/library/d/").status_code == 404
    assert _client(lib.outsider).get("/library/d/").status_code == 404
    assert _client(lib.admin).get("/library/d/").status_code == 200
    assert _client(lib.member).get("/library/d/edit/").status_code == 404
    make_resource(lib.steward, lib.admin, key="p", status="published")
    assert _client(lib.member).get("/library/p/edit/").status_code == 403
    assert _client(lib.member).post("/library/p/retire/").status_code == 403
    assert _client(lib.admin).get("/library/p/edit/").status_code == 200


def test_the_form_refuses_an_unknown_type_and_changes_nothing(lib: Any) -> None:
    data = {"key": "new-one", "title": "New", "publisher": "wmse", "kind": "playbook", "language": "en",
            "types": "glam;basketweaving", "visibility": "public"}  # fmt: skip
    answer = _client(lib.admin).post("/library/new/", data)
    assert answer.status_code == 400
    assert "unknown partnership type" in answer.content.decode()
    assert not Resource.objects.filter(key="new-one").exists()
    data["types"] = "glam"
    assert _client(lib.admin).post("/library/new/", data).status_code == 302
    assert Resource.objects.get(key="new-one").status == "draft"


def test_history_and_diff_show_who_changed_what(lib: Any) -> None:
    resource = make_resource(lib.steward, lib.admin, key="v", body="alpha\nbeta", status="published")
    RESOURCES.update(lib.maintainer, resource, {"body": "alpha\ngamma", "title": "Renamed"})
    history = _client().get("/library/v/history/").content.decode()
    assert lib.admin.username in history
    diff = _client().get("/library/v/diff/", {"from": 1, "to": 2}).content.decode()
    assert "<del>- beta</del>" in diff
    assert "<ins>+ gamma</ins>" in diff
    assert "Renamed" in diff


def test_request_page_and_inbox_show_matching_resources_and_the_steward_answers_with_them(lib: Any) -> None:
    make_resource(lib.steward, lib.admin, key="letter-tpl", title="Letter of support template",
                  kind="template", template_kind="letter", types="glam", status="published")  # fmt: skip
    make_resource(lib.steward, lib.admin, key="other", title="Education course", types="education",
                  kind="training", status="published")  # fmt: skip
    request = SupportRequestFactory(
        requester=lib.volunteer_group, steward=lib.steward, status="accepted", need="letter"
    )
    page = _client(lib.volunteer).get(f"/support/r/{request.key}/").content.decode()
    assert "Letter of support template" in page
    assert "Education course" not in page
    assert "Answer with these resources" not in page
    steward = MembershipFactory(entity=lib.steward, role="member").user
    assert "Letter of support template" in _client(steward).get("/support/inbox/").content.decode()
    chosen = Resource.objects.get(key="letter-tpl")
    answer = _client(steward).post(f"/library/answer/{request.key}/", {"resources": [str(chosen.pk)]})
    assert answer.status_code == 302
    assert RequestEvent.objects.filter(request=request, kind="resources").exists()
    assert (
        _client(lib.volunteer)
        .post(f"/library/answer/{request.key}/", {"resources": [str(chosen.pk)]})
        .status_code
        == 403
    )
    services.mark_helped(lib.volunteer, chosen)
    use = _client(lib.admin).get("/library/letter-tpl/").content.decode()
    assert "Given in 1 answer to a support request." in use
    assert "1 person said it helped." in use
