"""``partnernet impact fetch [--partnership KEY] [--background]``: outcome figures from Wikimedia's APIs."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from partnernet.impact.connectors.http import NetworkUnreachable
from partnernet.impact.models import FetchRun
from partnernet.impact.services import request_fetch, run_fetch
from partnernet.partnerships.models import Partnership


class Command(BaseCommand):
    help = (
        "Fetch outcome figures of partnerships from Wikimedia's public APIs (Commons, Wikidata, Pageviews, "
        "Programs & Events Dashboard), for every active outcome source or those of one partnership. Progress "
        "goes to stderr. Exits 1 with a message when the network is unreachable."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="fetch")
        fetch = sub.add_parser("fetch", help="fetch outcome figures now")
        fetch.add_argument("--partnership", metavar="KEY", help="only this partnership's sources")
        fetch.add_argument(
            "--background",
            action="store_true",
            help="queue the fetch for the worker (partnernet db_worker) and print the run id",
        )

    def handle(self, *args: Any, **options: Any) -> None:
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
