"""``partnernet rebalance``: reassign open and offered requests optimally under capacities."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from partnernet.support.services import rebalance_requests


class Command(BaseCommand):
    help = (
        "Reassign every open and offered support request at once as a min-cost flow under the stewardships' "
        "residual capacities (optimal, not greedy; among equal optima the fewest moves), and print each move "
        "with its reason. --dry-run only prints. Database work is timed apart from the solve."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="compute and print the moves; change nothing"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON document")

    def handle(self, *args: Any, **options: Any) -> None:
        report = rebalance_requests(None, dry_run=options["dry_run"])
        timings = {
            "read_seconds": round(report.read_seconds, 4),
            "solve_seconds": round(report.solve_seconds, 4),
            "write_seconds": round(report.write_seconds, 4),
        }
        if options["json"]:
            document = {
                "dry_run": report.dry_run,
                "requests": report.requests,
                "stewardships": report.stewardships,
                "total_cost": report.total_cost,
                "moves": [
                    {
                        "request": move.request,
                        "from": move.from_stewardship,
                        "to": move.to_stewardship,
                        "reason": move.reason,
                    }
                    for move in report.moves
                ],
                "unassigned": list(report.unassigned),
                "applied": report.applied,
                "skipped": report.skipped,
                "timings": timings,
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False))
            return
        for move in report.moves:
            source = move.from_stewardship or "(unrouted)"
            target = move.to_stewardship or "(facilitators' queue)"
            self.stdout.write(f"{move.request}: {source} -> {target}: {move.reason}")
        verb = "would move" if report.dry_run else "moved"
        done = report.applied if not report.dry_run else len(report.moves)
        self.stdout.write(
            f"{report.requests} open and offered requests over {report.stewardships} stewardships: "
            f"{verb} {done}"
            + (f", skipped {report.skipped} changed meanwhile" if report.skipped else "")
            + f"; {len(report.unassigned)} in the facilitators' queue; total cost {report.total_cost}."
        )
        sys.stderr.write(
            f"database read {timings['read_seconds']} s, solve {timings['solve_seconds']} s, "
            f"database write {timings['write_seconds']} s\n"
        )
