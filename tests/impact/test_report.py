"""Impact report over the database: once in every total, credited to every party, visibility kept."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from partnernet.impact.selectors import ReportFilters, impact_report
from partnernet.impact.services import record_outcome
from tests.factories import EntityFactory, MembershipFactory, PartnershipFactory, region

pytestmark = pytest.mark.django_db
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.fixture
def shared() -> dict[str, object]:
    lead = EntityFactory(key="lead-chapter", kind="chapter")
    supporters = [
        EntityFactory(key=f"helper-{i}", kind=kind)
        for i, kind in enumerate(["user_group", "individual", "hub"])
    ]
    partnership = PartnershipFactory(key="shared", lead=lead, region=region("SE"), visibility="public")
    partnership.supporters.set(supporters)
    record_outcome(
        None,
        partnership,
        indicator="media_uploaded",
        period_start=YEAR[0],
        period_end=YEAR[1],
        value=Decimal(500),
        measured_on=YEAR[1],
    )
    other = PartnershipFactory(key="other", lead=supporters[0], region=region("DE"), visibility="public")
    record_outcome(
        None, other, indicator="media_uploaded", period_start=YEAR[0], period_end=YEAR[1], value=Decimal(20)
    )
    return {"lead": lead, "supporters": supporters}


def total(report: object, code: str = "media_uploaded") -> Decimal | None:
    return {i.code: v for i, v in report.total_pairs}.get(code)  # type: ignore[attr-defined]


def test_outcome_of_one_lead_and_three_supporters_counts_once_in_movement_and_region_totals(
    shared: dict,
) -> None:  # type: ignore[type-arg]
    report = impact_report(AnonymousUser())
    assert total(report) == Decimal(520)
    regions = {row.key: row.figures[0] for row in report.by_region}
    assert regions["150"] == Decimal(520)  # Europe: Sweden's 500 and Germany's 20, each once
    assert regions["154"] == Decimal(500)
    northern = impact_report(AnonymousUser(), ReportFilters(region="154"))
    assert total(northern) == Decimal(500)


def test_each_of_the_four_parties_is_credited_with_the_outcome(shared: dict) -> None:  # type: ignore[type-arg]
    report = impact_report(AnonymousUser())
    credited = {row.entity.key: row.total[0] for row in report.credits}
    assert credited["lead-chapter"] == Decimal(500)
    assert credited["helper-1"] == Decimal(500)  # an individual volunteer gets the credit too
    assert credited["helper-2"] == Decimal(500)
    assert credited["helper-0"] == Decimal(520)  # supported one, led the other
    only_helper = impact_report(AnonymousUser(), ReportFilters(entity="helper-1"))
    assert total(only_helper) == Decimal(500)


def test_outcomes_of_private_partnerships_stay_with_their_parties(shared: dict) -> None:  # type: ignore[type-arg]
    secret = PartnershipFactory(key="secret", lead=shared["lead"], visibility="private", region=region("SE"))
    record_outcome(
        None,
        secret,
        indicator="media_uploaded",
        period_start=YEAR[0],
        period_end=YEAR[1],
        value=Decimal(1000),
    )
    assert total(impact_report(AnonymousUser())) == Decimal(520)
    member = MembershipFactory(entity=shared["lead"]).user
    assert total(impact_report(member)) == Decimal(1520)
    csv_text = Client().get("/impact/outcomes.csv").content.decode()
    assert "secret" not in csv_text
    assert "shared" in csv_text
    api = Client().get("/api/v1/outcomes").json()
    assert {row["partnership"] for row in api["items"]} == {"shared", "other"}
    logged_in = Client()
    logged_in.force_login(member)
    assert "secret" in logged_in.get("/impact/outcomes.csv").content.decode()


def test_report_page_shows_totals_data_as_of_definitions_and_charts(shared: dict, client: Client) -> None:  # type: ignore[type-arg]
    page = client.get("/impact/").content.decode()
    assert "520" in page
    assert "Data as of" in page
    assert "/impact/indicators/#media_uploaded" in page
    assert page.count('class="pn-svg-chart"') >= 2  # drawn on the server: no script needed
    assert "by year (" in page
    assert "<script>" not in page


def test_pdf_report_carries_the_charts_as_images(shared: dict, client: Client) -> None:  # type: ignore[type-arg]
    from pypdf import PdfReader

    pdf = client.get("/impact/report.pdf")
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Charts" in text
    assert "by year (" in text  # the chart's own title, drawn by svglib inside the PDF
    assert "by partnership type (" in text


def test_printable_and_pdf_reports(shared: dict, client: Client) -> None:  # type: ignore[type-arg]
    printable = client.get("/impact/print/", {"region": "154"})
    assert printable.status_code == 200
    assert "region=154" in printable.content.decode()
    pdf = client.get("/impact/report.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_api_report_totals_count_once(shared: dict, client: Client) -> None:  # type: ignore[type-arg]
    body = client.get("/api/v1/impact/report").json()
    totals = {figure["indicator"]: figure["value"] for figure in body["totals"]}
    assert Decimal(totals["media_uploaded"]) == Decimal(520)
    credited = {c["entity"]: c for c in body["credits"]}
    assert Decimal(credited["helper-2"]["figures"][0]["value"]) == Decimal(500)


def test_a_region_filter_also_lists_the_regions_inside_it(shared: dict) -> None:  # type: ignore[type-arg]
    report = impact_report(AnonymousUser(), ReportFilters(region="154"))
    assert {row.key for row in report.by_region} >= {"154", "SE"}


def test_api_reads_one_outcome_and_hides_private_ones(shared: dict, client: Client) -> None:  # type: ignore[type-arg]
    from partnernet.impact.models import Outcome

    public = Outcome.objects.get(partnership__key="shared")
    body = client.get(f"/api/v1/outcomes/{public.key}").json()
    assert (body["partnership"], body["indicator"], body["data_as_of"]) == (
        "shared",
        "media_uploaded",
        "2025-12-31",
    )
    secret = PartnershipFactory(key="secret2", lead=shared["lead"], visibility="private")
    hidden = record_outcome(
        None, secret, indicator="events", period_start=YEAR[0], period_end=YEAR[1], value=Decimal(1)
    )
    missing = client.get(f"/api/v1/outcomes/{hidden.key}")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    bad = client.get("/api/v1/outcomes", {"indicator": "nonsense"})
    assert bad.status_code == 422
    assert "indicator" in bad.json()["error"]["fields"]
