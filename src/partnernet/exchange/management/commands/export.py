from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from partnernet.base.formats import RowWriter
from partnernet.base.registry import file_kind_names, record_kind
from partnernet.base.rows import file_rows
from partnernet.exchange.selectors import export_queryset


class Command(BaseCommand):
    help = (
        "Stream every row of KIND in the import format, ordered by key with list cells sorted, so that "
        "importing the output changes nothing. Acts as the instance's operator: every row, whatever its "
        "visibility. Without --output only rows go to stdout."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=file_kind_names(), help="the kind of rows to export")
        parser.add_argument("--format", choices=["csv", "jsonl"], default="csv", help="default: csv")
        parser.add_argument("--output", type=Path, help="write to this file instead of stdout")
        parser.add_argument(
            "--origin",
            choices=["local", "all"],
            default="local",
            help="local: this instance's rows and reference data (default); all: also federated rows",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = record_kind(options["kind"]).exchange
        fmt, output = options["format"], options["output"]
        # The rows are asked for before the file is opened: a failure leaves an existing file as it was.
        rows, values = file_rows(kind.name, export_queryset(kind.name, options["origin"]), fmt)
        if output is None:
            RowWriter(sys.stdout, fmt, kind.fields).write_all(rows, values=values)
            return
        with output.open("w", encoding="utf-8", newline="") as stream:
            count = RowWriter(stream, fmt, kind.fields).write_all(rows, values=values)
        self.stderr.write(f"wrote {count} {kind.name} to {output}")
