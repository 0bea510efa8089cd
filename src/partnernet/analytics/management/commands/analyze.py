from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from partnernet.analytics.report import analysis_document
from partnernet.analytics.selectors import network_data
from partnernet.analytics.services import take_snapshot
from partnernet.framework.coverage import LEVELS


def _figure(value: Any) -> str:
    if value is None:
        return "n/a (undefined on this data)"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def _migrate_if_needed(log: OutputWrapper) -> None:
    """A fresh data folder has no tables yet; create them (quietly, on stderr) so the report of an empty
    instance is a report of nulls and not an error, as FORMATS.md promises."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0, stdout=log)


class Command(BaseCommand):
    help = (
        "Report how distributed the network is: Freeman degree and betweenness centralization, the share of "
        "support handled by the top 1 and top 3 entities, HHI and Gini of stewardship load, the coverage "
        "matrix of partnership types x regions (covered, partly covered and gap cells; single stewards), "
        "entities at capacity, and each steward's sustainability indicators and alerts. Changes nothing "
        "unless --snapshot is given."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--json", action="store_true", help="print the report as one JSON document (FORMATS.md)"
        )
        parser.add_argument(
            "--level",
            choices=LEVELS,
            default="subregion",
            help="region columns of the coverage matrix: M49 sub-regions (default) or the five M49 regions",
        )
        parser.add_argument(
            "--snapshot",
            action="store_true",
            help="also store this month's figures as its monthly snapshot (replacing an earlier one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        _migrate_if_needed(self.stderr)
        data = network_data()
        try:
            document = analysis_document(level=options["level"], data=data)
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from None
        if options["snapshot"]:
            snapshot = take_snapshot(data=data)
            self.stderr.write(f"snapshot of {snapshot} stored")
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False))
            return
        self._print_text(document)

    def _print_text(self, document: dict[str, Any]) -> None:
        write = self.stdout.write
        write(f"entities: {document['entities']}    edges: {document['edges']}")
        for name in (
            "degree_centralization",
            "betweenness_centralization",
            "top1_share",
            "top3_share",
            "hhi",
            "gini",
        ):
            write(f"{name.replace('_', ' ')}: {_figure(document[name])}")
        coverage = document["coverage"]
        write(
            f"coverage: {coverage['covered']} of {coverage['cells']} cells covered, "
            f"{len(coverage['partial'])} partly covered, {len(coverage['gaps'])} gaps"
        )
        gaps: dict[str, list[str]] = {}
        for gap in coverage["gaps"]:
            gaps.setdefault(gap["type"], []).append(gap["region"])
        for type_key, regions in gaps.items():
            write(f"  gaps of {type_key}: {', '.join(regions)}")
        for part in coverage["partial"]:
            served = "some themes only" if part["why"] == "theme" else "part of the area only"
            entities = ", ".join(part["entities"])
            write(f"  partly covered: {part['type']} in {part['region']} ({served}): {entities}")
        for single in coverage["single_steward"]:
            write(f"  single steward: {single['type']} in {single['region']}: {single['entity']}")
        write(f"at capacity: {', '.join(document['over_capacity']) or 'none'}")
        alerts = {
            key: value["alerts"] for key, value in document["sustainability"].items() if value["alerts"]
        }
        write(f"stewards assessed: {len(document['sustainability'])}; with alerts: {len(alerts)}")
        for key, codes in alerts.items():
            write(f"  {key}: {', '.join(codes)}")
