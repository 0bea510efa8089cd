"""Impact report over the database: once in every total, credited to every party, visibility kept."""

import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from partnernet.core import impact as core
from partnernet.framework.selectors import region_tree
from partnernet.impact.indicators import NUMERIC
from partnernet.impact.models import Outcome
from partnernet.impact.selectors import ReportFilters, impact_report, outcome_sums, visible_outcomes
from partnernet.impact.services import record_outcome
from tests.factories import (
    EntityFactory,
    MembershipFactory,
    PartnershipFactory,
    UserFactory,
    ptype,
    region,
    theme,
)

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


def facts_of(outcomes: Iterable[Outcome]) -> list[core.OutcomeFact]:
    """The outcomes as the core's plain facts, one by one: the definition the report's SQL must agree with."""
    return [
        core.OutcomeFact(
            outcome=o.pk,
            partnership=o.partnership_id,
            indicator=o.indicator,
            value=o.value,
            year=o.period_end.year,
            type=o.partnership.type.key,
            region=o.partnership.region.code if o.partnership.region else None,
            lead=str(o.partnership.lead_id),
            supporters=tuple(str(e.pk) for e in o.partnership.supporters.all()),
            themes=tuple(t.key for t in o.partnership.themes.all()),
        )
        for o in outcomes
        if o.indicator in NUMERIC and o.value is not None
    ]


@pytest.mark.mariadb
def test_the_databases_group_sums_equal_the_core_over_every_outcome() -> None:
    """Leads that also support, several themes and none, no region, cents, years, text and empty figures."""
    a, b, c = (EntityFactory(key=f"party-{n}") for n in "abc")
    mixed = PartnershipFactory(key="mixed", lead=a, type=ptype("glam"), region=region("SE"))
    mixed.supporters.set([a, b, c])
    mixed.themes.set([theme("climate"), theme("science")])
    bare = PartnershipFactory(key="bare", lead=b, type=ptype("education"), region=None)
    bare.supporters.set([c])
    figures = [
        (mixed, "media_uploaded", 2024, Decimal("10.25")),
        (mixed, "media_uploaded", 2025, Decimal("4.75")),
        (mixed, "participants", 2025, Decimal(30)),
        (bare, "media_uploaded", 2025, Decimal(7)),
        (bare, "page_views", 2023, None),
    ]
    for partnership, indicator, year, value in figures:
        record_outcome(None, partnership, indicator=indicator, period_start=dt.date(year, 1, 1),
                       period_end=dt.date(year, 12, 31), value=value)  # fmt: skip
    record_outcome(None, bare, indicator="results", period_start=YEAR[0], period_end=YEAR[1], text="A report")
    operator = UserFactory(is_superuser=True)
    sums, count = outcome_sums(visible_outcomes(operator))
    every = Outcome.objects.select_related("partnership__type", "partnership__region")
    expected = core.rollup(facts_of(every), region_tree())
    got = core.rollup_sums(sums, region_tree())
    assert count == 4
    assert (got.totals, got.by_type, got.by_theme, got.by_year, got.by_region) == (
        expected.totals, expected.by_type, expected.by_theme, expected.by_year, expected.by_region
    )  # fmt: skip
    assert got.credits == expected.credits
    assert got.totals == {"media_uploaded": Decimal("22.00"), "participants": Decimal(30)}
    assert got.credits[str(a.pk)].supported == {}  # the lead listed as supporter is credited once, as lead
    assert got.credits[str(c.pk)].partnerships_supported == 2


@pytest.mark.mariadb
def test_totals_may_outgrow_the_digits_of_one_figure() -> None:
    """A figure holds 16 digits; the movement's page views added up may need more."""
    for key in ("views-a", "views-b"):
        partnership = PartnershipFactory(key=key, visibility="public")
        record_outcome(None, partnership, indicator="page_views", period_start=YEAR[0], period_end=YEAR[1],
                       value=Decimal(90_000_000_000_000))  # fmt: skip
    report = impact_report(UserFactory(is_superuser=True))
    assert total(report, "page_views") == Decimal(180_000_000_000_000)
