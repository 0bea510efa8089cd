from pathlib import Path

import pytest

from partnernet.directory.models import Entity
from partnernet.exchange.services import ImportRejected, import_file
from partnernet.partnerships.models import Partnership
from partnernet.support.models import SupportRequest
from tests.factories import EntityFactory, StewardshipFactory, region

pytestmark = [pytest.mark.django_db, pytest.mark.mariadb]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


BAD_ENTITIES = """key,name,kind,country,regions,founded
good-one,Good One,chapter,SE,154,2010
bad-kind,Bad Kind,club,SE,,2010
good-two,Good Two,user_group,GH,011,
bad-region,Bad Region,chapter,,999,
bad-year,Bad Year,chapter,,,20x0
bad-country,Bad Country,chapter,XX,,
good-three,Good Three,individual,,,
"""


def test_bad_entities_file_names_all_four_lines_and_writes_nothing(tmp_path: Path) -> None:
    before = Entity.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        import_file("entities", write(tmp_path, "e.csv", BAD_ENTITIES))
    rendered = [p.render("e.csv") for p in rejected.value.problems]
    assert rendered == [
        "e.csv:3: field 'kind': 'club' is not one of: chapter, thematic_org, user_group, hub, foundation, "
        "other_org, individual",
        "e.csv:5: field 'regions': unknown region code '999' "
        "(use an M49 code such as 150 or an ISO country code)",
        "e.csv:6: field 'founded': '20x0' is not a year (four digits)",
        "e.csv:7: field 'country': unknown country code 'XX' (use ISO 3166-1 alpha-2, such as SE or GH)",
    ]
    assert Entity.objects.count() == before


def test_unknown_entity_key_in_partnerships_file_is_rejected(tmp_path: Path) -> None:
    EntityFactory(key="known")
    text = (
        "key,title,lead,supporters,type,status\n"
        "p1,One,known,,glam,active\n"
        "p2,Two,nobody,known,glam,active\n"
        "p3,Three,known,ghost,glam,active\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_file("partnerships", write(tmp_path, "p.csv", text))
    assert [p.render("p.csv") for p in rejected.value.problems] == [
        "p.csv:3: field 'lead': unknown entity key 'nobody'",
        "p.csv:4: field 'supporters': unknown entity key 'ghost'",
    ]
    assert not Partnership.objects.filter(key__in=["p1", "p2", "p3"]).exists()


def test_line_numbers_are_physical_lines_with_multiline_cells(tmp_path: Path) -> None:
    text = 'key,name,kind\nfirst,"A name\nover two lines",chapter\nsecond,Second,nonsense\n'
    with pytest.raises(ImportRejected) as rejected:
        import_file("entities", write(tmp_path, "m.csv", text))
    assert [(p.line, p.field) for p in rejected.value.problems] == [(4, "kind")]


def test_jsonl_lines_start_at_one_and_lists_may_be_arrays(tmp_path: Path) -> None:
    text = (
        '{"key": "j1", "name": "J1", "kind": "chapter", '
        '"regions": ["154", "SE"], "languages": ["sv", "en"]}\n'
        '{"key": "j2", "name": "J2", "kind": "robot"}\n'
    )
    with pytest.raises(ImportRejected) as rejected:
        import_file("entities", write(tmp_path, "e.jsonl", text))
    assert [(p.line, p.field) for p in rejected.value.problems] == [(2, "kind")]
    result = import_file("entities", write(tmp_path, "ok.jsonl", text.splitlines()[0] + "\n"))
    assert result.created == 1
    entity = Entity.objects.get(key="j1")
    assert sorted(r.code for r in entity.regions.all()) == ["154", "SE"]
    assert entity.languages == ["en", "sv"]


def test_import_upserts_by_key_and_counts_created_updated_unchanged(tmp_path: Path) -> None:
    first = write(tmp_path, "a.csv", "key,name,kind,country\nx1,X one,chapter,SE\nx2,X two,hub,\n")
    assert import_file("entities", first).as_dict() == {
        "kind": "entities",
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    second = write(tmp_path, "b.csv", "key,name,kind,country\nx1,X one,chapter,SE\nx2,X two renamed,hub,NO\n")
    assert import_file("entities", second).as_dict() == {
        "kind": "entities",
        "created": 0,
        "updated": 1,
        "unchanged": 1,
    }
    renamed = Entity.objects.get(key="x2")
    assert renamed.name == "X two renamed"
    assert renamed.country == region("NO")


def test_absent_columns_keep_stored_values(tmp_path: Path) -> None:
    EntityFactory(key="keep", name="Keep", kind="chapter", wikidata="Q42")
    import_file("entities", write(tmp_path, "k.csv", "key,name,kind\nkeep,Keep renamed,chapter\n"))
    assert Entity.objects.get(key="keep").wikidata == "Q42"


def test_missing_required_column_and_duplicate_keys_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as rejected:
        import_file("entities", write(tmp_path, "d.csv", "key,name,colour\na,A,red\na,A,blue\n"))
    assert [p.render("d.csv") for p in rejected.value.problems] == [
        "d.csv:1: field 'colour': unknown column",
        "d.csv:1: field 'kind': required column is missing",
        "d.csv:2: field 'kind': is required",
        "d.csv:3: field 'key': duplicate key 'a' (first on line 2)",
        "d.csv:3: field 'kind': is required",
    ]


def test_reference_data_from_the_seed_cannot_be_changed(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as rejected:
        import_file("entities", write(tmp_path, "s.csv", "key,name,kind\nwikimedia-sweden,Renamed,chapter\n"))
    assert "reference data" in rejected.value.problems[0].message
    assert Entity.objects.get(key="wikimedia-sweden").name == "Wikimedia Sweden"
    unchanged = import_file(
        "entities", write(tmp_path, "u.csv", "key,name,kind\nwikimedia-sweden,Wikimedia Sweden,chapter\n")
    )
    assert unchanged.unchanged == 1


def test_end_before_start_and_lead_as_supporter_are_rejected(tmp_path: Path) -> None:
    EntityFactory(key="lead-one")
    text = (
        "key,title,lead,supporters,type,status,start,end\n"
        "q,Q,lead-one,lead-one,glam,active,2025-05-01,2025-01-01\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_file("partnerships", write(tmp_path, "q.csv", text))
    assert {p.field for p in rejected.value.problems} == {"end", "supporters"}


def test_routed_request_counts_against_the_stewardship_routing_would_pick(tmp_path: Path) -> None:
    steward = EntityFactory(key="steward", kind="chapter")
    StewardshipFactory(key="global", entity=steward, region=region("001"))
    nordic = StewardshipFactory(key="nordic", entity=steward, region=region("154"))
    EntityFactory(key="asker", kind="individual")
    text = (
        "key,requester,type,region,need,status,steward,created\n"
        "r1,asker,glam,SE,letter,offered,steward,2026-01-05\n"
    )
    import_file("requests", write(tmp_path, "r.csv", text))
    request = SupportRequest.objects.get(key="r1")
    assert request.stewardship == nordic
    assert request.steward == steward


def test_unreadable_file_types_are_problems_not_crashes(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as rejected:
        import_file("entities", write(tmp_path, "e.xlsx", "whatever"))
    assert "unknown file type" in rejected.value.problems[0].message
    with pytest.raises(ImportRejected) as broken:
        import_file("entities", write(tmp_path, "b.jsonl", '{"key": "a", "name": \n'))
    assert broken.value.problems[0].render("b.jsonl").startswith("b.jsonl:1: field 'file': is not valid JSON")
