from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand

from partnernet.base.formats import RowWriter
from partnernet.base.registry import file_kind_names, record_kind
from partnernet.base.rows import export_rows
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
        rows = export_rows(kind.name, export_queryset(kind.name, options["origin"]))
        output: Path | None = options["output"]
        if output is None:
            self._write(sys.stdout, options["format"], kind.fields, rows)
            return
        with output.open("w", encoding="utf-8", newline="") as stream:
            count = self._write(stream, options["format"], kind.fields, rows)
        self.stderr.write(f"wrote {count} {kind.name} to {output}")

    def _write(self, stream: IO[str], fmt: str, fields: tuple[str, ...], rows: Any) -> int:
        return RowWriter(stream, fmt, fields).write_all(rows)
