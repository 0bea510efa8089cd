"""Reading and writing rows as CSV or JSON Lines, with the physical line of every row.

Errors must name the physical line of the file (FORMATS.md): in a CSV the header is line 1 and a quoted
cell may span lines, so each row remembers the line it *starts* on; in JSON Lines the first object is line 1.
Writers stream: one row in, one line out, nothing held.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from partnernet.base.fields import Raw

FORMATS = ("csv", "jsonl")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
"""A CSV cell starting with one of these gets one ``'`` prepended on export (FORMATS.md): a spreadsheet would
otherwise run it as a formula. ``'`` itself is in the list so that stripping one ``'`` on import is exact."""


def neutralise(cell: str) -> str:
    """A CSV cell as exported: one ``'`` before a cell a spreadsheet would read as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def unneutralise(cell: str) -> str:
    """A CSV cell as imported: one leading ``'`` removed, so export → import → export stays identical."""
    return cell[1:] if cell.startswith("'") else cell


def _quoted(cell: str) -> str:
    """RFC 4180 quoting. Python 3.11's ``csv.writer`` leaves a lone carriage return unquoted when lines end
    with ``\n``, and a reader then takes it for a line break; here it is quoted like ``\n``."""
    if any(char in cell for char in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


class SafeCsvWriter:
    """Writes CSV rows (``\n`` line ends) with every cell neutralised: the one way Partnernet writes CSV.

    The line is made by ``csv.writer`` (in C: an export of 50,000 rows spent most of its writing time
    quoting cells in Python) and its quoting is RFC 4180 for every cell but one holding a carriage return
    (``_quoted``); such a rare line is made again by ``_quoted``, so the bytes are those of ``_quoted``.
    """

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self._lines: list[str] = []
        self._csv = csv.writer(_Sink(self._lines), lineterminator="\n")

    def writerow(self, cells: Iterable[Any]) -> None:
        self.write_cells([neutralise("" if cell is None else str(cell)) for cell in cells])

    def write_cells(self, values: list[str]) -> None:
        """Write one row of cells that are already text and already neutralised."""
        self._csv.writerow(values)
        line = self._lines.pop()
        if "\r" in line:
            line = ",".join(_quoted(value) for value in values) + "\n"
        self.stream.write(line)


class _Sink:
    """Where ``csv.writer`` puts a line (one ``write`` per row), for ``SafeCsvWriter`` to check it first."""

    def __init__(self, lines: list[str]):
        self.write = lines.append


def csv_text(header: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    """A whole CSV document (header first, cells neutralised), for downloads made in memory."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row.get(name, "") for name in header)
    return buffer.getvalue()


@dataclass(frozen=True)
class SourceRow:
    line: int
    values: dict[str, Raw]


@dataclass(frozen=True)
class Problem:
    """One problem with an input file, printed as ``FILE:LINE: field 'F': message``."""

    line: int
    field: str
    message: str

    def render(self, filename: str) -> str:
        return f"{filename}:{self.line}: field '{self.field}': {self.message}"


class FileProblems(Exception):
    """The file cannot be read as rows at all (bad header, broken JSON, wrong encoding …)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def format_of(path: Path, explicit: str | None = None) -> str:
    if explicit:
        return explicit
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise FileProblems([Problem(0, "file", f"unknown file type '{path.suffix}': use .csv or .jsonl")])


def read_rows(
    path: Path, fmt: str, known_fields: Sequence[str]
) -> tuple[list[str], list[SourceRow], list[Problem]]:
    """Every row of the file with its starting line, the columns present, and problems found on the way.

    For small files read whole (impact outcomes); an import of any size streams them with ``RowStream``.
    """
    with RowStream(path, fmt, known_fields) as stream:
        rows = list(stream)
    return stream.columns, rows, stream.problems


class RowStream:
    """The rows of a file one at a time, so that reading a file of any size holds one row, not the file.

    ``with RowStream(path, fmt, fields) as stream: for row in stream: ...``. Unknown columns are problems (a
    misspelt header would otherwise be silently ignored); so are rows that cannot be parsed at all, which are
    skipped. Rows that parse are yielded even when others fail, so every problem of a file is reported in one
    run: ``problems`` grows as the file is read. ``columns`` are the known columns present: a CSV's header, or
    the fields a JSON Lines file used so far. A file that cannot be opened, decoded or given a CSV header
    raises ``FileProblems``, on entering or while reading.
    """

    def __init__(self, path: Path, fmt: str, known_fields: Sequence[str]):
        self.path = path
        self.fmt = fmt
        self.known = frozenset(known_fields)
        self.order = list(known_fields)
        self.columns: list[str] = []
        self.problems: list[Problem] = []
        self._handle: IO[str] | None = None
        self._rows: Iterator[SourceRow] = iter(())

    def __enter__(self) -> RowStream:
        try:
            # newline="" keeps a carriage return inside a quoted CSV cell as data; JSON Lines end at "\n"
            # only (JSON text holds no raw line break, but it may hold U+2028, a line break to splitlines).
            self._handle = self.path.open(encoding="utf-8-sig", newline="" if self.fmt == "csv" else "\n")
            self._rows = self._csv() if self.fmt == "csv" else self._jsonl()
        except OSError as error:
            raise FileProblems([Problem(0, "file", f"cannot be read: {error.strerror}")]) from None
        except UnicodeDecodeError as error:
            self.close()
            raise FileProblems([Problem(0, "file", f"is not UTF-8 ({error.reason})")]) from None
        except FileProblems:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __iter__(self) -> Iterator[SourceRow]:
        try:
            yield from self._rows
        except UnicodeDecodeError as error:
            raise FileProblems([Problem(0, "file", f"is not UTF-8 ({error.reason})")]) from None

    def _csv(self) -> Iterator[SourceRow]:
        """Reads the header now (the caller's ``__enter__``), then returns the rows' generator."""
        assert self._handle is not None
        reader = csv.reader(self._handle)
        try:
            header = [unneutralise(name.strip()) for name in next(reader)]
        except StopIteration:
            raise FileProblems([Problem(1, "file", "is empty: a header row is required")]) from None
        except csv.Error as error:
            raise FileProblems([Problem(1, "file", f"is not valid CSV: {error}")]) from None
        seen: set[str] = set()
        for name in header:
            if name not in self.known:
                self.problems.append(Problem(1, name, "unknown column"))
        for name in header:
            if name in seen:
                self.problems.append(Problem(1, name, "column appears twice"))
            seen.add(name)
        self.columns = [name for name in header if name in self.known]
        return self._csv_rows(reader, header)

    def _csv_rows(self, reader: Any, header: list[str]) -> Iterator[SourceRow]:
        known = self.known
        wanted = [(index, name) for index, name in enumerate(header) if name in known]
        width = len(header)
        previous_end = reader.line_num
        while True:
            start = previous_end + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                self.problems.append(Problem(start, "file", f"is not valid CSV: {error}"))
                return
            previous_end = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != width:
                self.problems.append(
                    Problem(start, "file", f"has {len(record)} cells where the header has {width}")
                )
                continue
            yield SourceRow(start, {name: unneutralise(record[index]) for index, name in wanted})

    def _jsonl(self) -> Iterator[SourceRow]:
        assert self._handle is not None
        handle = self._handle
        known = self.known
        present: set[str] = set()
        for number, line in enumerate(handle, start=1):
            line = line.removesuffix("\n").removesuffix("\r")
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                self.problems.append(Problem(number, "file", f"is not valid JSON: {error.msg}"))
                continue
            if not isinstance(value, dict):
                self.problems.append(Problem(number, "file", "is not a JSON object"))
                continue
            unknown = [name for name in value if name not in known]
            self.problems.extend(Problem(number, name, "unknown field") for name in unknown)
            values = {name: cell for name, cell in value.items() if name in known}
            bad = [name for name, cell in values.items() if isinstance(cell, dict)]
            self.problems.extend(
                Problem(number, name, "expected a value or a list, not an object") for name in bad
            )
            if not present.issuperset(values):
                present.update(values)
                self.columns = [name for name in self.order if name in present]
            yield SourceRow(number, values)


def cell_text(value: Any) -> str:
    """A clean value as a CSV cell: lists sorted and joined by ``;``, booleans as yes/no, nothing as empty."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ";".join(sorted(map(str, value)))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_cell(value: Any) -> str:
    """A clean value as an exported CSV cell: ``cell_text``, then ``neutralise``."""
    if value is None:
        return ""
    text = value if type(value) is str else cell_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def json_value(value: Any) -> Any:
    """A clean value in JSON Lines: lists sorted, dates ISO, decimals as numbers, empty text as null."""
    if type(value) is str:
        return value or None
    if isinstance(value, bool) or value is None:
        return None if value is None else ("yes" if value else "no")
    if isinstance(value, list | tuple):
        return sorted(map(str, value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if value == "":
        return None
    return value


_json_line = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""``json.dumps`` with these options, without making an encoder for every row."""


class RowWriter:
    """Writes rows of one kind to a text stream in CSV (header first) or JSON Lines."""

    def __init__(self, stream: IO[str], fmt: str, fields: Sequence[str]):
        self.stream = stream
        self.fmt = fmt
        self.fields = list(fields)
        self._csv = SafeCsvWriter(stream) if fmt == "csv" else None
        if self._csv is not None:
            self._csv.writerow(self.fields)

    def write(self, row: dict[str, Any]) -> None:
        if self._csv is not None:
            self.write_values(map(row.get, self.fields))
        else:
            document = {name: json_value(row.get(name)) for name in self.fields}
            self.stream.write(_json_line(document) + "\n")

    def write_values(self, values: Iterable[Any]) -> None:
        """One CSV row given as its values in ``fields`` order (``rows.export_cells``)."""
        assert self._csv is not None, "values are written as CSV"
        starts = FORMULA_STARTS
        self._csv.write_cells(
            [("'" + v if v.startswith(starts) else v) if type(v) is str else csv_cell(v) for v in values]
        )

    def write_all(self, rows: Iterable[Any], *, values: bool = False) -> int:
        """Write every row: clean rows (``write``), or with ``values`` CSV rows as their values in ``fields``
        order (``write_values``); returns how many."""
        write = self.write_values if values else self.write
        count = 0
        for row in rows:
            write(row)
            count += 1
        return count


def iter_lines(
    rows: Iterable[Any], fmt: str, fields: Sequence[str], *, values: bool = False
) -> Iterator[str]:
    """The same output as ``RowWriter``, as an iterator of text chunks (for streaming HTTP responses);
    with ``values``, CSV rows given as their values in ``fields`` order (``write_values``)."""
    buffer = io.StringIO()
    writer = RowWriter(buffer, fmt, fields)
    write: Callable[[Any], None] = writer.write_values if values else writer.write
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        write(row)
        yield buffer.getvalue()
