import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnernet.audit.models import AuditEvent
from partnernet.base.registry import record_kind
from partnernet.directory.models import Entity
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.search_rows import search_page_rows
from partnernet.partnerships.tally import rebuild_registry_tally
from tests.factories import (
    EntityFactory,
    MembershipFactory,
    PartnerFactory,
    PartnershipFactory,
    UserFactory,
    ptype,
    region,
    theme,
)

pytestmark = pytest.mark.django_db


def _logged_in_member(client: Client, role: str = "admin") -> Any:
    membership = MembershipFactory(role=role)
    client.force_login(membership.user)
    return membership


def test_registry_lists_public_rows_to_anonymous_and_hides_private(client: Client) -> None:
    PartnershipFactory(title="Open museum scans", visibility="public")
    PartnershipFactory(title="Secret talks", visibility="private")
    body = client.get(reverse("partnerships:registry")).content.decode()
    assert "Open museum scans" in body
    assert "Secret talks" not in body


def test_registry_filters_by_type_region_theme_and_partner_kind(client: Client) -> None:
    glam = PartnershipFactory(title="Nordic GLAM", region=region("SE"))
    glam.themes.set([theme("cultural_heritage")])
    glam.partners.set([PartnerFactory(kind="library")])
    PartnershipFactory(title="Ghana education", type=ptype("education"), region=region("GH"))
    url = reverse("partnerships:registry")
    assert "Ghana education" not in client.get(url, {"region": "150"}).content.decode()
    assert "Nordic GLAM" in client.get(url, {"region": "150"}).content.decode()
    assert "Nordic GLAM" not in client.get(url, {"type": "education"}).content.decode()
    assert "Nordic GLAM" in client.get(url, {"theme": "cultural_heritage"}).content.decode()
    assert "Ghana education" not in client.get(url, {"partner_kind": "library"}).content.decode()
    assert "Nordic GLAM" not in client.get(url, {"q": "ghana"}).content.decode()


def test_facet_counts_follow_the_filter_and_change_after_a_write(client: Client) -> None:
    url = reverse("partnerships:registry")
    PartnershipFactory(title="Alpha museum", status="active")
    PartnershipFactory(title="Beta museum", status="prospect")
    response = client.get(url, {"q": "museum"})
    counts = {o.value: o.count for o in response.context["facets"].status}
    assert counts == {"active": 1, "prospect": 1}
    Partnership.objects.filter(title="Beta museum").update(status="active")
    PartnershipFactory(title="Gamma museum", status="active")
    counts = {o.value: o.count for o in client.get(url, {"q": "museum"}).context["facets"].status}
    assert counts == {"active": 3}


def test_registry_sorts_and_paginates(client: Client) -> None:
    for n in range(55):
        PartnershipFactory(title=f"Row {n:02d}")
    url = reverse("partnerships:registry")
    first = client.get(url, {"q": "Row", "sort": "-title"})
    assert first.context["page"].object_list[0].title == "Row 54"
    second = client.get(url, {"q": "Row", "sort": "-title", "page": 2})
    assert [p.title for p in second.context["page"].object_list] == [
        "Row 04",
        "Row 03",
        "Row 02",
        "Row 01",
        "Row 00",
    ]


@pytest.mark.parametrize("rows", [3, 30])
def test_registry_runs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: Any, rows: int
) -> None:
    for _ in range(rows):
        p = PartnershipFactory()
        p.themes.set([theme("science")])
    rebuild_registry_tally()  # rows written around the writers: the operator's command recounts
    # One names the picked region in the reader's language, one lists the ids of the regions inside it.
    with django_assert_max_num_queries(16):
        client.get(reverse("partnerships:registry"), {"region": "150", "status": "active"})
    with django_assert_max_num_queries(7):
        client.get(reverse("partnerships:registry"), {"theme": "science", "sort": "-start"})


@pytest.mark.parametrize(
    "filters",
    [{"type": "research", "sort": "title"}, {"theme": "science"}, {"lead": "kept-lead", "sort": "-start"}],
)
def test_a_filtered_page_is_found_once_per_version_of_the_data(
    client: Client, filters: dict[str, str]
) -> None:
    """The page's ids are kept (``search_rows.KeptPages``): the next view reads the rows by id instead of
    ordering the filtered rows again; a write moves the registry's version, so a new row is listed at once;
    the member who may see it gets a page of their own."""
    lead = EntityFactory(key="kept-lead")
    for n in range(4):
        PartnershipFactory(title=f"Kept {n}", type=ptype("research"), lead=lead).themes.set(
            [theme("science")]
        )
    url = reverse("partnerships:registry")

    def view(viewer: Client) -> tuple[list[str], int]:
        with CaptureQueriesContext(connection) as queries:
            titles = [p.title for p in viewer.get(url, filters).context["page"].object_list]
        ordered = sum(1 for q in queries if "ORDER BY" in q["sql"] and "partnerships_partnership" in q["sql"])
        return titles, ordered

    first, ordered = view(client)
    assert len(first) == 4
    assert ordered >= 1
    again, ordered = view(client)
    assert again == first
    assert ordered == 0
    hidden = PartnershipFactory(
        title="Kept 0a", type=ptype("research"), lead=lead, visibility="private", start=dt.date(2031, 1, 1)
    )
    hidden.themes.set([theme("science")])
    after, ordered = view(client)
    assert ordered >= 1
    assert after == first, "a private row is not listed to anonymous visitors"
    member = Client()
    member.force_login(MembershipFactory(entity=lead).user)
    assert sorted(view(member)[0]) == sorted([*first, "Kept 0a"])


def test_a_filter_that_selects_nothing_is_an_empty_page(client: Client) -> None:
    """A region the form accepted but that is gone when the rows are filtered selects nothing: an empty page
    (``filter_partnerships`` answers ``none()``, which has no SQL to key a kept page by)."""
    PartnershipFactory(title="Somewhere", region=region("SE"))
    found = search_page_rows(Partnership.objects.none(), "", "-start")
    assert found[0:50] == []
    assert [p.title for p in client.get(reverse("partnerships:registry")).context["page"].object_list] == [
        "Somewhere"
    ]


def test_tally_stays_exact_through_service_writes_without_a_rebuild(client: Client, monkeypatch: Any) -> None:
    from partnernet.partnerships import tally

    membership = _logged_in_member(client)
    PartnershipFactory(lead=membership.entity, status="active")
    url = reverse("partnerships:registry")
    tally.rebuild_registry_tally()
    monkeypatch.setattr(tally, "rebuild_registry_tally", lambda: pytest.fail("tally should be fresh"))
    data = {"title": "Counted", "lead": membership.entity.key, "type": "media", "status": "prospect",
            "visibility": "public", "themes": ["science"]}  # fmt: skip
    assert client.post(reverse("partnerships:create"), data).status_code == 302
    assert tally.tally_is_fresh()
    facets = client.get(url).context["facets"]
    assert {o.value: o.count for o in facets.status} == {"active": 1, "prospect": 1}
    assert {o.value: o.count for o in facets.theme} == {"science": 1}
    created = Partnership.objects.get(title="Counted")
    assert (
        client.post(
            reverse("partnerships:edit", args=[created.key]), {**data, "status": "active", "themes": []}
        ).status_code
        == 302
    )
    assert tally.tally_is_fresh()
    facets = client.get(url).context["facets"]
    assert {o.value: o.count for o in facets.status} == {"active": 2}
    assert facets.theme == []


def test_a_stale_tally_is_not_rebuilt_by_a_page_and_the_counts_stay_exact(client: Client) -> None:
    from partnernet.partnerships import tally
    from partnernet.partnerships.models import RegistryTally, RegistryTallyState

    PartnershipFactory(status="active", type=ptype("glam"))
    tally.rebuild_registry_tally()
    PartnershipFactory(status="paused", type=ptype("media"))  # written around the writers: stale
    kept = list(RegistryTally.objects.order_by("pk").values_list("pk", "count"))
    state = list(RegistryTallyState.objects.values_list("fingerprint", flat=True))
    for query in ({}, {"status": "paused"}, {"type": "glam"}):
        facets = client.get(reverse("partnerships:registry"), query).context["facets"]
        if not query:
            assert {o.value: o.count for o in facets.status} == {"active": 1, "paused": 1}
    assert facets.total == 1
    assert not tally.tally_is_fresh()
    assert list(RegistryTally.objects.order_by("pk").values_list("pk", "count")) == kept
    assert list(RegistryTallyState.objects.values_list("fingerprint", flat=True)) == state


def test_private_rows_of_a_member_are_counted(client: Client) -> None:
    membership = _logged_in_member(client)
    PartnershipFactory(lead=membership.entity, visibility="private")
    PartnershipFactory(visibility="private")
    PartnershipFactory(visibility="movement")
    facets = client.get(reverse("partnerships:registry")).context["facets"]
    assert facets.total == 2


def test_export_of_the_current_filter_is_the_import_format(client: Client) -> None:
    PartnershipFactory(key="nordic", title="Nordic", region=region("SE"))
    PartnershipFactory(key="ghana", title="Ghana", region=region("GH"))
    PartnershipFactory(key="hidden", title="Hidden", region=region("SE"), visibility="private")
    response = client.get(reverse("partnerships:export", args=["csv"]), {"region": "150"})
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(record_kind("partnerships").exchange.fields)
    assert [r["key"] for r in rows] == ["nordic"]
    lines = b"".join(client.get(reverse("partnerships:export", args=["jsonl"])).streaming_content)  # type: ignore[attr-defined]
    keys = {json.loads(line)["key"] for line in lines.decode().splitlines()}
    assert {"nordic", "ghana"} <= keys
    assert "hidden" not in keys


def test_private_partnership_page_is_404_for_strangers(client: Client) -> None:
    p = PartnershipFactory(visibility="private")
    assert client.get(reverse("partnerships:detail", args=[p.key])).status_code == 404
    membership = _logged_in_member(client)
    p.supporters.add(membership.entity)
    assert client.get(reverse("partnerships:detail", args=[p.key])).status_code == 200


def test_member_records_a_partnership_and_errors_keep_what_was_typed(client: Client) -> None:
    membership = _logged_in_member(client, role="member")
    url = reverse("partnerships:create")
    bad = {
        "title": "Scanning the city archive",
        "lead": membership.entity.key,
        "type": "glam",
        "status": "active",
        "start": "2025-05-01",
        "end": "2025-01-01",
        "visibility": "public",
    }
    response = client.post(url, bad)
    assert response.status_code == 200
    body = response.content.decode()
    assert "The end cannot be before the start." in body
    assert 'value="Scanning the city archive"' in body
    assert not Partnership.objects.filter(title="Scanning the city archive").exists()
    response = client.post(url, {**bad, "end": "2025-12-31"})
    created = Partnership.objects.get(title="Scanning the city archive")
    assert response.status_code == 302
    assert created.key == "scanning-the-city-archive"
    assert AuditEvent.objects.filter(verb="create_partnership", object_pk=str(created.pk)).exists()


def test_lead_must_be_an_entity_of_the_person(client: Client) -> None:
    _logged_in_member(client)
    other = EntityFactory()
    response = client.post(
        reverse("partnerships:create"),
        {
            "title": "X",
            "lead": other.key,
            "type": "glam",
            "status": "active",
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["lead"]


def test_anonymous_is_sent_to_log_in_and_outsiders_cannot_edit(client: Client) -> None:
    p = PartnershipFactory()
    assert client.get(reverse("partnerships:create")).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("partnerships:edit", args=[p.key])).status_code == 403


def test_seed_rows_are_read_only_reference_data(client: Client) -> None:
    seeded = Entity.objects.filter(origin="seed").first()
    assert seeded is not None
    client.force_login(UserFactory(is_superuser=True))
    body = client.get(reverse("directory:entity", args=[seeded.key])).content.decode()
    assert "reference data" in body
    assert reverse("directory:entity_edit", args=[seeded.key]) not in body
    assert client.get(reverse("directory:entity_edit", args=[seeded.key])).status_code == 403


def test_party_edits_and_uploads_an_agreement_others_cannot_see_it(
    client: Client, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    membership = _logged_in_member(client)
    p = PartnershipFactory(lead=membership.entity, title="Old title")
    data = {"title": "New title", "lead": membership.entity.key, "type": "glam", "status": "paused",
            "visibility": "public"}  # fmt: skip
    assert client.post(reverse("partnerships:edit", args=[p.key]), data).status_code == 302
    p.refresh_from_db()
    assert (p.title, p.status) == ("New title", "paused")
    upload = SimpleUploadedFile("mou.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        reverse("partnerships:upload_agreement", args=[p.key]), {"title": "MoU", "file": upload}
    )
    assert response.status_code == 302
    agreement = p.agreements.get()
    file_url = reverse("partnerships:agreement_file", args=[p.key, agreement.pk])
    assert b"".join(client.get(file_url).streaming_content) == b"%PDF-1.4 test"  # type: ignore[attr-defined]
    client.force_login(UserFactory())
    assert client.get(file_url).status_code == 404
    assert "MoU" not in client.get(reverse("partnerships:detail", args=[p.key])).content.decode()


def test_rebuild_command_recounts_after_a_bulk_write() -> None:
    from django.core.management import call_command

    from partnernet.partnerships.models import RegistryTally
    from partnernet.partnerships.tally import tally_is_fresh

    PartnershipFactory(status="paused")
    assert not tally_is_fresh()
    call_command("rebuild_registry_tally")
    assert tally_is_fresh()
    assert RegistryTally.objects.get(dimension="row_all", status="paused", visibility="public").count == 1


@pytest.mark.django_db
def test_agreement_upload_checks_the_type_by_content_and_descriptions_render_clean_markdown(
    client: Client,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import EntityFactory, MembershipFactory, PartnershipFactory

    lead = EntityFactory(key="md-lead")
    partnership = PartnershipFactory(
        key="md-deal", lead=lead, description="**Bold** plan <script>alert(1)</script>"
    )
    client.force_login(MembershipFactory(entity=lead, role="admin").user)
    page = client.get(reverse("partnerships:detail", args=[partnership.key])).content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert(1)</script>" not in page
    fake = SimpleUploadedFile("mou.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    answer = client.post(
        reverse("partnerships:upload_agreement", args=[partnership.key]), {"title": "MoU", "file": fake}
    )
    assert answer.status_code == 400
    assert partnership.agreements.count() == 0
