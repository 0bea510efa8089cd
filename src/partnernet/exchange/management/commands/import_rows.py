from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from partnernet.base.registry import file_kind_names
from partnernet.exchange.services import ImportRejected, import_file


class Command(BaseCommand):
    help = (
        "Upsert rows of KIND from FILE (.csv or .jsonl) by key, all or nothing. On bad input, print every "
        "problem as FILE:LINE: field 'F': message on stderr, write nothing and exit with status 2. "
        "Used as `partnernet import KIND FILE`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=file_kind_names(), help="the kind of rows in the file")
        parser.add_argument("file", type=Path, help="a .csv or .jsonl file")
        parser.add_argument(
            "--format", choices=["csv", "jsonl"], help="override the format given by the suffix"
        )
        parser.add_argument("--json", action="store_true", help="print the counts as one JSON document")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            result = import_file(options["kind"], path, options["format"])
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(problem.render(str(path)))
            raise CommandError(
                f"{len(rejected.problems)} problem(s) in {path}; nothing was imported", returncode=2
            ) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
        else:
            self.stdout.write(
                f"{result.kind}: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
