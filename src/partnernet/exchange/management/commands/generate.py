from __future__ import annotations

import io
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from partnernet.core.synthetic import Shape
from partnernet.exchange.generation import GenerationError, generate
from partnernet.framework.models import Region
from partnernet.sustainability.generation import need_count, pledge_count


def _positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Make synthetic data of realistic shape (a few big nodes, many small; real region codes) at any "
        "scale, for benchmarks. Inserts in bounded batches, so memory stays flat. Counts not given scale "
        "with --entities: stewardships = entities/10, requests = entities/2, partners = min(partnerships, "
        "3 x entities); one need per four stewardships, a pledge to every other need (labelled demo)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--entities", type=_positive, required=True, help="number of entities (at least 2)"
        )
        parser.add_argument("--partnerships", type=_positive, required=True, help="number of partnerships")
        parser.add_argument("--stewardships", type=_positive, help="number of stewardships")
        parser.add_argument("--requests", type=_positive, help="number of support requests")
        parser.add_argument("--partners", type=_positive, help="number of partner institutions")
        parser.add_argument("--seed", type=int, default=1, help="random seed; keys are prefixed gen<SEED>-")
        parser.add_argument("--json", action="store_true", help="print the counts as one JSON document")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["entities"] < 2:
            raise CommandError("--entities: at least 2 entities are needed", returncode=2)
        call_command("migrate", interactive=False, verbosity=0)
        if not Region.objects.exists():
            call_command("seed", verbosity=0, stdout=io.StringIO())
        shape = Shape(
            entities=options["entities"],
            partnerships=options["partnerships"],
            stewardships=options["stewardships"],
            requests=options["requests"],
            partners=options["partners"],
            seed=options["seed"],
        )
        totals = {
            "entities": shape.entities,
            "partners": shape.partner_count,
            "stewardships": shape.stewardship_count,
            "partnerships": shape.partnerships,
            "requests": shape.request_count,
            "needs": need_count(shape.stewardship_count),
            "pledges": pledge_count(need_count(shape.stewardship_count)),
        }
        console = Console(stderr=True)
        with Progress(
            TextColumn("{task.description:>13}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=False, disable=not console.is_terminal,
        ) as progress:  # fmt: skip
            tasks = {kind: progress.add_task(kind, total=total) for kind, total in totals.items()}
            try:
                counts = generate(shape, lambda kind, n: progress.advance(tasks[kind], n))
            except GenerationError as error:
                raise CommandError(str(error), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(counts.__dict__))
        else:
            self.stdout.write(", ".join(f"{count} {kind}" for kind, count in counts.__dict__.items()))
