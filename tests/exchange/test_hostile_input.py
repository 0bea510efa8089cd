"""Hostile files given to ``import`` (issue 21): formulas round-trip, blanks are empty, lengths limited."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnernet.directory.models import Entity
from partnernet.exchange.services import ImportRejected, import_file
from tests.exchange.test_export import export_text
from tests.factories import EntityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.mariadb]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path, kind: str) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as rejected:
        import_file(kind, path)
    return [(p.line, p.field, p.message) for p in rejected.value.problems]


def test_a_formula_name_is_exported_neutralised_and_reimported_unchanged(tmp_path: Path) -> None:
    EntityFactory(key="evil", name='=HYPERLINK("http://evil.example","click")')
    before = export_text("entities", "csv")
    assert "'=HYPERLINK" in before
    result = import_file("entities", write(tmp_path, "e.csv", before))
    assert (result.created, result.updated) == (0, 0)
    assert Entity.objects.get(key="evil").name.startswith("=HYPERLINK")
    assert export_text("entities", "csv") == before


def test_whitespace_only_required_cell_is_missing_not_a_crash(tmp_path: Path) -> None:
    EntityFactory(key="asker")
    path = write(
        tmp_path,
        "r.csv",
        "key,requester,type,region,need,status\nr1,asker,glam,   ,letter,open\n",
    )
    assert problems_of(path, "requests") == [(2, "region", "is required")]


def test_whitespace_only_in_jsonl_is_empty_too(tmp_path: Path) -> None:
    path = write(tmp_path, "e.jsonl", '{"key": "x", "name": "  \\t ", "kind": "chapter"}\n')
    assert problems_of(path, "entities") == [(1, "name", "is required")]


@pytest.mark.parametrize(("size", "field"), [(201, "name"), (20_000, "name"), (1_000_000, "file")])
def test_over_long_cells_are_refused_before_the_database(tmp_path: Path, size: int, field: str) -> None:
    path = write(tmp_path, "e.csv", f"key,name,kind\nhuge,{'x' * size},chapter\n")
    [(line, where, message)] = problems_of(path, "entities")
    assert (line, where) == (2, field)
    assert "longer than" in message or "larger than" in message
    assert not Entity.objects.filter(key="huge").exists()


def test_numbers_beyond_the_column_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "e.csv", "key,name,kind,staff_fte,volunteers\nbig,Big,chapter,100000,9999999999\n")
    fields = {field for _, field, _ in problems_of(path, "entities")}
    assert fields == {"staff_fte", "volunteers"}


def test_the_last_check_refuses_an_over_long_save_on_any_path() -> None:
    from django.core.exceptions import ValidationError

    entity = EntityFactory(key="direct")
    entity.name = "x" * 201
    with pytest.raises(ValidationError) as refused:
        entity.save()
    assert set(refused.value.message_dict) == {"name"}
