"""Matching resources to a support request, and comparing versions: plain functions, plain data."""

from __future__ import annotations

from partnernet.core.library import (
    DiffLine,
    Offered,
    Wanted,
    field_changes,
    meets_need,
    rank_resources,
    region_distance,
    text_diff,
)

SWEDEN = ("SE", "154", "150", "001")


def _keys(wanted: Wanted, *offered: Offered) -> list[str]:
    return [match.key for match in rank_resources(wanted, offered)]


def test_same_type_comes_before_need_region_and_language() -> None:
    wanted = Wanted("glam", "letter", SWEDEN, "sv")
    same_type = Offered("same-type", "playbook", types=frozenset({"glam"}))
    need_only = Offered("need-only", "template", "letter", types=frozenset({"education"}), language="sv")
    assert _keys(wanted, need_only, same_type) == ["same-type", "need-only"]


def test_within_the_type_the_need_then_the_nearest_region_then_the_language_decide() -> None:
    wanted = Wanted("glam", "tools", SWEDEN, "sv")
    glam = frozenset({"glam"})
    tool_world = Offered("tool-world", "tool", types=glam)
    tool_europe = Offered("tool-europe", "tool", types=glam, regions=frozenset({"150"}))
    tool_sweden_en = Offered("tool-se-en", "tool", types=glam, regions=frozenset({"SE"}), language="en")
    tool_sweden_sv = Offered("tool-se-sv", "tool", types=glam, regions=frozenset({"SE"}), language="sv")
    playbook_sweden = Offered("playbook-se", "playbook", types=glam, regions=frozenset({"SE"}), language="sv")
    assert _keys(wanted, playbook_sweden, tool_world, tool_europe, tool_sweden_en, tool_sweden_sv) == [
        "tool-se-sv", "tool-se-en", "tool-europe", "tool-world", "playbook-se",
    ]  # fmt: skip


def test_a_resource_for_another_area_ranks_after_one_for_anywhere() -> None:
    assert region_distance(SWEDEN, frozenset()) == 4
    assert region_distance(SWEDEN, frozenset({"002"})) == 5
    assert region_distance(SWEDEN, frozenset({"154", "002"})) == 1


def test_resources_that_fit_neither_type_nor_need_are_left_out_and_helpful_ones_break_ties() -> None:
    wanted = Wanted("glam", "training", SWEDEN)
    unrelated = Offered("unrelated", "tool", types=frozenset({"education"}))
    generic_tool = Offered("generic-tool", "tool")
    course_a = Offered("course-a", "training", helped=1)
    course_b = Offered("course-b", "training", helped=5)
    assert _keys(wanted, unrelated, generic_tool, course_a, course_b) == ["course-b", "course-a"]
    assert len(rank_resources(wanted, [course_a, course_b], limit=1)) == 1


def test_needs_map_to_kinds_of_resources() -> None:
    assert meets_need("letter", "template", "letter")
    assert not meets_need("letter", "template", "mou")
    assert meets_need("co_signing", "template", "mou")
    assert meets_need("tools", "tool", "")
    assert not meets_need("other", "playbook", "")


def test_language_matches_on_the_primary_tag() -> None:
    wanted = Wanted("glam", "tools", SWEDEN, "pt-BR")
    pt = Offered("pt", "tool", types=frozenset({"glam"}), language="pt")
    en = Offered("en", "tool", types=frozenset({"glam"}), language="en")
    assert _keys(wanted, en, pt) == ["pt", "en"]


def test_text_diff_marks_removed_and_added_lines() -> None:
    assert text_diff("a\nb\nc", "a\nb\nc") == []
    lines = text_diff("a\nb\nc", "a\nB\nc")
    assert DiffLine("-", "b") in lines
    assert DiffLine("+", "B") in lines
    assert DiffLine(" ", "a") in lines


def test_field_changes_lists_only_what_differs() -> None:
    assert field_changes({"a": 1, "b": [1]}, {"a": 1, "b": [1, 2], "c": "x"}) == [
        ("b", [1], [1, 2]),
        ("c", None, "x"),
    ]
