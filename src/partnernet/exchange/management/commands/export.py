from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand
from django.db.models import QuerySet

from partnernet.base.cleaning import Kind
from partnernet.base.formats import RowWriter
from partnernet.base.registry import file_kind_names, record_kind
from partnernet.base.rows import export_cells, export_rows
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
        rows = export_queryset(kind.name, options["origin"])
        cells = export_cells(kind.name, rows) if fmt == "csv" else None
        if output is None:
            self._write(sys.stdout, fmt, kind, rows, cells)
            return
        with output.open("w", encoding="utf-8", newline="") as stream:
            count = self._write(stream, fmt, kind, rows, cells)
        self.stderr.write(f"wrote {count} {kind.name} to {output}")

    def _write(self, stream: IO[str], fmt: str, kind: Kind, rows: QuerySet[Any], cells: Any) -> int:
        """CSV as cells read by one statement where the database can (``export_cells``), else the rows."""
        writer = RowWriter(stream, fmt, kind.fields)
        if cells is not None:
            return writer.write_all_values(cells)
        return writer.write_all(export_rows(kind.name, rows))
