"""An import streams its file a chunk at a time and still behaves as one all-or-nothing check of the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnernet.base.formats import RowStream
from partnernet.directory.models import Entity
from partnernet.exchange import services
from partnernet.exchange.services import ImportRejected, import_file
from tests.factories import EntityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.mariadb]

HEADER = "key,name,kind,country,regions,founded\n"


def entities_file(tmp_path: Path, lines: list[str], name: str = "e.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "IMPORT_CHUNK", 2)


@pytest.mark.usefixtures("small_chunks")
def test_every_chunk_of_a_good_file_is_written_and_counted(tmp_path: Path) -> None:
    EntityFactory(key="chunk-2", name="Old name", kind="chapter")
    lines = [f"chunk-{n},Chunk {n},user_group,SE,154,2010" for n in range(1, 8)]
    result = import_file("entities", entities_file(tmp_path, lines))
    assert (result.created, result.updated, result.unchanged) == (6, 1, 0)
    stored = dict(Entity.objects.filter(key__startswith="chunk-").values_list("key", "name"))
    assert stored == {f"chunk-{n}": f"Chunk {n}" for n in range(1, 8)}


@pytest.mark.usefixtures("small_chunks")
def test_a_problem_in_a_late_chunk_rolls_back_the_chunks_already_written(tmp_path: Path) -> None:
    EntityFactory(key="late-1", name="Kept name", kind="chapter")
    lines = [f"late-{n},Late {n},user_group,SE,154,2010" for n in range(1, 6)]
    lines += ["late-6,Late 6,club,SE,,2010", "late-2,Again,chapter,,,", "late-8,Late 8,chapter,,,20x0"]
    with pytest.raises(ImportRejected) as rejected:
        import_file("entities", entities_file(tmp_path, lines))
    assert [problem.render("e.csv") for problem in rejected.value.problems] == [
        "e.csv:7: field 'kind': 'club' is not one of: chapter, thematic_org, user_group, hub, foundation, "
        "other_org, individual",
        "e.csv:8: field 'key': duplicate key 'late-2' (first on line 3)",
        "e.csv:9: field 'founded': '20x0' is not a year (four digits)",
    ]
    assert list(Entity.objects.filter(key__startswith="late-").values_list("key", "name")) == [
        ("late-1", "Kept name")
    ]
    again = import_file("entities", entities_file(tmp_path, lines[:5], "again.csv"))
    assert (again.created, again.updated) == (4, 1), "the rejected import's keys were still remembered"


def test_rows_are_read_as_they_are_asked_for(tmp_path: Path) -> None:
    lines = [f"row-{n},Row {n},chapter,,," for n in range(3000)] + ["broken,Too,many,cells,,,,"]
    path = entities_file(tmp_path, lines)
    with RowStream(path, "csv", ["key", "name", "kind", "country", "regions", "founded"]) as stream:
        rows = iter(stream)
        first = next(rows)
        assert (first.line, first.values["key"]) == (2, "row-0")
        assert stream.problems == []
        rest = list(rows)
    assert len(rest) == 2999
    assert [problem.render("e.csv") for problem in stream.problems] == [
        "e.csv:3002: field 'file': has 8 cells where the header has 6"
    ]


def test_a_file_that_stops_being_utf8_part_way_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    good = "".join(f"utf-{n},Row {n},chapter,,,\n" for n in range(6000))
    path.write_bytes((HEADER + good).encode() + b"bad,\xff\xfe,chapter,,,\n")
    with pytest.raises(ImportRejected) as rejected:
        import_file("entities", path)
    assert [problem.render("e.csv") for problem in rejected.value.problems] == [
        "e.csv:0: field 'file': is not UTF-8 (invalid start byte)"
    ]
    assert not Entity.objects.filter(key__startswith="utf-").exists()
