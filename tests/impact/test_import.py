"""Outcomes from spreadsheets: all or nothing, errors as FILE:LINE: field 'F': message, export round trip."""

import io
from contextlib import redirect_stdout
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from partnernet.impact.models import Outcome
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db
HEADER = "partnership,indicator,period_start,period_end,value,text,data_as_of,source_url\n"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        with redirect_stdout(out):
            call_command("impact", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_import_creates_then_updates_and_marks_figures_imported(tmp_path: Path) -> None:
    PartnershipFactory(key="museum-photos")
    path = tmp_path / "outcomes.csv"
    path.write_text(
        HEADER
        + "museum-photos,media_uploaded,2025-01-01,2025-12-31,420,,2026-01-15,https://example.org/report\n"
        + 'museum-photos,results,2025-01-01,2025-12-31,,"Curators now upload, too.",2026-01-15,\n'
    )
    assert run("import", str(path))[1].strip() == "outcomes: 2 created, 0 updated"
    figure = Outcome.objects.get(indicator="media_uploaded")
    assert (figure.value, figure.source, str(figure.measured_on)) == (Decimal(420), "imported", "2026-01-15")
    path.write_text(HEADER + "museum-photos,media_uploaded,2025-01-01,2025-12-31,430,,2026-02-01,\n")
    assert run("import", str(path))[1].strip() == "outcomes: 0 created, 1 updated"
    assert Outcome.objects.count() == 2


def test_bad_rows_exit_2_with_file_line_and_field_and_write_nothing(tmp_path: Path) -> None:
    PartnershipFactory(key="museum-photos")
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + "museum-photos,media_uploaded,2025-01-01,2025-12-31,12,,,\n"
        + "no-such,media_uploaded,2025-01-01,2025-12-31,12,,,\n"
        + "museum-photos,views,2025-01-01,2024-12-31,-3,,,\n"
    )
    code, _, err = run("import", str(path))
    assert code == 2
    lines = err.splitlines()
    assert f"{path}:3: field 'partnership': no partnership of this instance has the key 'no-such'" in lines
    assert any(line.startswith(f"{path}:4: field 'indicator':") for line in lines)
    assert any(line.startswith(f"{path}:4: field 'value':") for line in lines)
    assert not Outcome.objects.exists()


def test_export_then_import_changes_nothing(tmp_path: Path) -> None:
    PartnershipFactory(key="museum-photos")
    source = tmp_path / "in.csv"
    source.write_text(HEADER + "museum-photos,participants,2025-01-01,2025-12-31,14,,2026-01-15,\n")
    run("import", str(source))
    exported = tmp_path / "out.csv"
    run("export", "--output", str(exported))
    stamps = list(Outcome.objects.values_list("updated_at", flat=True))
    assert run("import", str(exported))[1].strip() == "outcomes: 0 created, 0 updated"
    assert list(Outcome.objects.values_list("updated_at", flat=True)) == stamps
