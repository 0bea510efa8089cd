"""``partnernet impact fetch|import|export``: outcome figures from Wikimedia's APIs and from spreadsheets."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from partnernet.base.formats import FileProblems, RowWriter
from partnernet.base.identity import instance_id
from partnernet.impact.connectors.http import NetworkUnreachable
from partnernet.impact.exports import CSV_FIELDS, outcome_rows
from partnernet.impact.imports import import_outcomes
from partnernet.impact.models import FetchRun, Outcome
from partnernet.impact.services import request_fetch, run_fetch
from partnernet.partnerships.models import Partnership


class Command(BaseCommand):
    help = (
        "fetch: read outcome figures of partnerships from Wikimedia's public APIs (Commons, Wikidata, "
        "Pageviews, Programs & Events Dashboard), for every active outcome source or one partnership's; "
        "progress goes to stderr; exits 1 with a message when the network is unreachable. import: upsert "
        "figures from a .csv or .jsonl file, all or nothing (exit 2 with FILE:LINE: field 'F': message). "
        "export: every outcome of this instance in the import format."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="fetch|import|export")
        fetch = sub.add_parser("fetch", help="fetch outcome figures now")
        fetch.add_argument("--partnership", metavar="KEY", help="only this partnership's sources")
        fetch.add_argument(
            "--background",
            action="store_true",
            help="queue the fetch for the worker (partnernet db_worker) and print the run id",
        )
        load = sub.add_parser(
            "import", help="upsert outcome figures from a .csv or .jsonl file, all or nothing"
        )
        load.add_argument("file", metavar="FILE")
        dump = sub.add_parser("export", help="every outcome of this instance, in the import format")
        dump.add_argument("--format", choices=["csv", "jsonl"], default="csv")
        dump.add_argument("--output", metavar="FILE", help="write here instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self.import_file(Path(options["file"]))
            return
        if options["action"] == "export":
            self.export(options["format"], options.get("output"))
            return
        self.fetch(options)

    def import_file(self, path: Path) -> None:
        try:
            created, updated, problems = import_outcomes(path)
        except FileProblems as error:
            problems, created, updated = error.problems, 0, 0
        if problems:
            for problem in problems:
                self.stderr.write(problem.render(str(path)))
            sys.exit(2)
        self.stdout.write(f"outcomes: {created} created, {updated} updated")

    def export(self, fmt: str, output: str | None) -> None:
        outcomes = Outcome.objects.filter(origin=instance_id())
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                count = RowWriter(handle, fmt, CSV_FIELDS).write_all(outcome_rows(outcomes))
            self.stderr.write(f"{count} outcomes written to {output}")
            return
        RowWriter(sys.stdout, fmt, CSV_FIELDS).write_all(outcome_rows(outcomes))

    def fetch(self, options: dict[str, Any]) -> None:
        partnership = None
        if options.get("partnership"):
            partnership = Partnership.objects.filter(key=options["partnership"]).order_by("origin").first()
            if partnership is None:
                # A user's mistake: exit 2 naming the argument at fault (FORMATS.md).
                raise CommandError(
                    f"--partnership: no partnership with key '{options['partnership']}'", returncode=2
                )
        if options["background"]:
            run = request_fetch(None, partnership)
            self.stdout.write(f"queued fetch run {run.pk} ({run.steps_total} sources)")
            return
        run = FetchRun.objects.create(partnership=partnership)
        console = Console(file=sys.stderr)
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as bar:
            job = bar.add_task("fetching", total=None)

            def progress(done: int, total: int, label: str) -> None:
                bar.update(job, completed=done, total=total, description=(label or "done")[:60])

            try:
                run = run_fetch(run, progress=progress)
            except NetworkUnreachable as exc:
                bar.stop()
                self.stderr.write(
                    f"error: the network is not reachable, nothing was fetched: {exc}\n"
                    "Partnernet reads Wikimedia's public APIs over HTTPS; check the connection or proxy."
                )
                sys.exit(1)
        for line in run.message.splitlines():
            self.stderr.write(line)
        self.stdout.write(f"{run.outcomes_written} figures written ({run.status})")
        if run.status == FetchRun.Status.FAILED:
            sys.exit(1)
