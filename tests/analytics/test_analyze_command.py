"""``partnernet analyze`` as FORMATS.md says: --json prints one document and nothing else."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from partnernet.analytics.models import Snapshot
from tests.clitools import run_cli

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_json_on_an_empty_instance_is_one_document_of_nulls(tmp_path: Path) -> None:
    assert run_cli(tmp_path, "migrate").returncode == 0  # analyze, like every verb but a few, needs it
    result = run_cli(tmp_path, "analyze", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document == {
        "entities": 0,
        "edges": 0,
        "degree_centralization": None,
        "betweenness_centralization": None,
        "top1_share": None,
        "top3_share": None,
        "hhi": None,
        "gini": None,
        "coverage": {"cells": 0, "covered": 0, "gaps": [], "partial": [], "single_steward": []},
        "over_capacity": [],
        "sustainability": {},
    }


@pytest.mark.slow
def test_bad_level_exits_2(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "analyze", "--level", "country")
    assert result.returncode == 2
    assert "--level" in result.stderr


@pytest.mark.usefixtures("demo_data")
def test_json_on_demo_data_has_figures_and_sustainability() -> None:
    out = io.StringIO()
    call_command("analyze", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["entities"] > 100
    assert 0.0 <= document["degree_centralization"] <= 1.0
    coverage = document["coverage"]
    assert coverage["cells"] == coverage["covered"] + len(coverage["partial"]) + len(coverage["gaps"])
    assert document["sustainability"]
    some = next(iter(document["sustainability"].values()))
    assert {"load", "capacity", "median_response_days", "resolution_rate", "alerts"} <= set(some)


@pytest.mark.usefixtures("demo_data")
def test_region_level_has_five_columns_per_type() -> None:
    out = io.StringIO()
    call_command("analyze", "--json", "--level", "region", stdout=out)
    assert json.loads(out.getvalue())["coverage"]["cells"] == 5 * 8


@pytest.mark.usefixtures("demo_data")
def test_text_report_and_snapshot_option() -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("analyze", "--snapshot", stdout=out, stderr=err)
    assert "degree centralization" in out.getvalue()
    assert "snapshot of" in err.getvalue()
    assert Snapshot.objects.count() == 1


@pytest.mark.usefixtures("demo_data")
def test_demo_coverage_tells_theme_only_and_country_stewards_apart_from_real_regional_stewards() -> None:
    """Art+Feminism's gender-gap stewardship of the world covers no GLAM cell whole; Sweden and Mexico are
    the GLAM stewards of their sub-regions; Ghana's user group, below sub-region level, serves part of one."""
    out = io.StringIO()
    call_command("analyze", "--json", stdout=out)
    coverage = json.loads(out.getvalue())["coverage"]
    singles = {(s["type"], s["region"]): s["entity"] for s in coverage["single_steward"]}
    assert singles[("glam", "154")] == "wikimedia-sweden"
    assert singles[("glam", "419")] == "wikimedia-mexico"
    assert "art-feminism" not in singles.values()
    partial = {(p["type"], p["region"]): p for p in coverage["partial"]}
    africa = partial[("glam", "202")]
    assert africa["why"] == "theme"
    assert {"art-feminism", "wikimedia-ghana-user-group"} <= set(africa["entities"])
    assert partial[("glam", "021")]["entities"] == ["art-feminism"]
    assert {"type": "policy", "region": "154"} in coverage["gaps"]
