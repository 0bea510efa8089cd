"""Resources through their writer: cleaning, bad input, versions, attachments, answers and feedback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from partnernet.base.records import RecordRejected
from partnernet.library import services
from partnernet.library.models import Resource, ResourceAnswer
from partnernet.library.services import RESOURCES
from partnernet.support.models import RequestEvent
from tests.factories import SupportRequestFactory, make_resource

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_resource_is_cleaned_like_an_import_and_starts_as_a_draft(lib: Any) -> None:
    resource = make_resource(
        lib.steward, lib.admin, key="glam-upload", title="GLAM upload playbook", types="glam;education",
        regions="154", language="pt-br", maintainers="maintainer",
    )  # fmt: skip
    resource.refresh_from_db()
    assert resource.status == "draft"
    assert resource.licence == "CC BY-SA 4.0"
    assert resource.language == "pt-BR"
    assert sorted(t.key for t in resource.types.all()) == ["education", "glam"]
    assert list(resource.maintainers.all()) == [lib.maintainer]
    assert resource.versions.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("types", "glam;knitting", "unknown partnership type 'knitting'"),
        ("language", "xx", "unknown language 'xx'"),
        ("language", "not a tag", "not a BCP 47 language tag"),
        ("kind", "poster", "'poster' is not one of"),
        ("maintainers", "nobody-here", "unknown account 'nobody-here'"),
        ("regions", "ZZ", "unknown region code 'ZZ'"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_nothing_is_written(
    lib: Any, field: str, value: str, message: str
) -> None:
    with pytest.raises(RecordRejected) as refused:
        make_resource(lib.steward, lib.admin, key="bad", **{field: value})
    assert message in " ".join(refused.value.fields[field])
    assert not Resource.objects.filter(key="bad").exists()


def test_an_unsafe_attachment_is_refused_and_nothing_changes(lib: Any, tmp_path: Path) -> None:
    resource = make_resource(lib.steward, lib.admin, key="tpl", kind="template", template_kind="letter")
    script = tmp_path / "letter.pdf"
    script.write_bytes(b"#!/bin/sh\nrm -rf /\n")
    with pytest.raises(RecordRejected) as refused:
        RESOURCES.update(lib.admin, resource, {"attachments": [str(script)]})
    assert "not one of the accepted formats" in refused.value.fields["attachments"][0]
    resource.refresh_from_db()
    assert resource.attachments == []


def test_pages_and_the_api_may_not_name_a_file_on_the_server(lib: Any, tmp_path: Path) -> None:
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(PDF)
    with pytest.raises(RecordRejected) as refused:
        services.create_resource(lib.admin, {"key": "x", "title": "X", "kind": "playbook", "language": "en",
                                             "publisher": "wmse", "attachments": [str(secret)]})  # fmt: skip
    assert "is not an http(s) URL" in refused.value.fields["attachments"][0]


def test_a_checked_file_is_copied_into_storage(lib: Any, tmp_path: Path) -> None:
    document = tmp_path / "mou.pdf"
    document.write_bytes(PDF)
    resource = make_resource(lib.steward, lib.admin, key="mou", kind="template", template_kind="mou",
                             attachments=f"{document};https://example.org/mou.odt")  # fmt: skip
    resource.refresh_from_db()
    link, stored = resource.attachments
    assert stored.startswith("library/")
    assert stored.endswith("/mou.pdf")
    assert link == "https://example.org/mou.odt"


def test_publishing_and_each_published_change_make_a_version_with_who(lib: Any) -> None:
    resource = make_resource(lib.steward, lib.admin, key="p", body="One\nTwo\n")
    RESOURCES.update(lib.admin, resource, {"body": "One\nTwo\nThree\n"})
    assert resource.versions.count() == 0, "a draft's edits are not versions"
    services.set_status(lib.admin, resource, "published")
    RESOURCES.update(lib.maintainer, resource, {"body": "One\n2\nThree\n"})
    RESOURCES.update(lib.maintainer, resource, {"body": "One\n2\nThree\n"})  # no change, no version
    versions = list(resource.versions.order_by("number"))
    assert [(v.number, v.actor_label) for v in versions] == [(1, lib.admin.username), (2, "maintainer")]
    assert versions[1].body == "One\n2\nThree"
    assert versions[0].row["status"] == "published"


def test_a_translation_must_name_a_known_resource(lib: Any) -> None:
    original = make_resource(lib.steward, lib.admin, key="guide", language="en")
    sv = make_resource(lib.steward, lib.admin, key="guide-sv", language="sv", translation_of="guide")
    assert sv.translation_of == original
    with pytest.raises(RecordRejected) as refused:
        make_resource(lib.steward, lib.admin, key="guide-fr", language="fr", translation_of="nope")
    assert "unknown resource key 'nope'" in refused.value.fields["translation_of"][0]


def test_answering_a_request_counts_uses_goes_on_the_timeline_and_tells_people(lib: Any) -> None:
    from tests.factories import MembershipFactory

    resource = make_resource(lib.steward, lib.admin, key="letter", kind="template", template_kind="letter",
                             maintainers="maintainer", status="published")  # fmt: skip
    lib.maintainer.email = "maintainer@example.org"
    lib.maintainer.save()
    request = SupportRequestFactory(
        requester=lib.volunteer_group, steward=lib.steward, status="accepted", need="letter"
    )
    steward_member = MembershipFactory(entity=lib.steward, role="member").user
    with pytest.raises(PermissionDenied):
        services.answer_request(lib.volunteer, request, [resource])
    with _on_commit():
        assert services.answer_request(steward_member, request, [resource], "Start with this one") == 1
    assert ResourceAnswer.objects.filter(resource=resource, request=request).count() == 1
    steps = list(RequestEvent.objects.filter(request=request, kind="resources"))
    assert "Answered with resources from the library" in steps[0].note
    assert steps[1].note == "Start with this one"
    assert any("maintainer@example.org" in m.bcc for m in mail.outbox)
    assert services.answer_request(steward_member, request, [resource]) == 0, "a use counts once per request"


def test_this_helped_counts_once_per_person(lib: Any) -> None:
    resource = make_resource(lib.steward, lib.admin, key="h", status="published")
    assert services.mark_helped(lib.volunteer, resource) is True
    assert services.mark_helped(lib.volunteer, resource) is False
    assert resource.feedback.count() == 1


class _on_commit:
    """Run ``on_commit`` callbacks (the e-mails) inside a test transaction."""

    def __enter__(self) -> None:
        from django.db import connection

        self.before = len(connection.run_on_commit)

    def __exit__(self, *exc: object) -> None:
        from django.db import connection

        for _, callback, _robust in connection.run_on_commit[self.before :]:
            callback()
