"""The matrix's markup made in Python (``web/templatetags/coverage.py``): state told in words as well as by
glyph and class, names escaped, links to the cell and to the suggestions where they belong."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from partnernet.core.coverage import MatrixCell, StewardshipCell
from partnernet.web.maps import CoverageMap, MapArea
from partnernet.web.templatetags.coverage import board_cell, map_shapes, matrix_page_cell, matrix_state


def covering(*entities: str, at_capacity: bool = False) -> MatrixCell:
    full = tuple(StewardshipCell(e, "glam", None, "154", at_capacity=at_capacity) for e in entities)
    return MatrixCell("glam", "154", full=full)


def test_a_covered_cell_counts_its_stewards_and_says_so_in_words() -> None:
    html = matrix_state(covering("a", "b"))
    assert '<span aria-hidden="true">●</span> 2' in html
    assert "stewards cover it" in html
    assert "over capacity" not in html
    assert ", over capacity" in matrix_state(covering("a", at_capacity=True))
    assert "steward covers it" in matrix_state(covering("a"))


def test_partial_and_gap_cells_are_told_apart() -> None:
    themed = MatrixCell("glam", "154", themed=(StewardshipCell("a", "glam", "wikidata", "154"),))
    inside = MatrixCell("glam", "154", inside=(StewardshipCell("a", "glam", None, "SE"),))
    assert "only some themes" in matrix_state(themed)
    assert "only part of the area" in matrix_state(inside)
    gap = matrix_state(MatrixCell("glam", "154"))
    assert '<span aria-hidden="true">○</span> 0' in gap
    assert "a gap" in gap


def test_the_state_follows_the_readers_language() -> None:
    with translation.override("fr"):
        assert "pilote la couvre" in matrix_state(covering("a"))


def test_a_matrix_page_cell_links_to_its_page_and_escapes_the_names() -> None:
    names = {"a": "<b>A&B</b>", "b": "Bee", "c": "Sea"}
    html = matrix_page_cell(covering("a", "b", "c"), names, "wikidata")
    assert f'href="{reverse("matrix_cell", args=["glam", "154"])}?theme=wikidata"' in html
    assert "<b>" not in html
    assert 'title="&lt;b&gt;A&amp;B&lt;/b&gt;, Bee, Sea"' in html
    assert ">&lt;b&gt;A&amp;B&lt;/b&gt;, Bee +1</span>" in html
    assert 'data-cell="glam-154" data-state="covered"' in html
    assert 'class="pn-matrix-several"' in html
    alone = matrix_page_cell(MatrixCell("glam", "154"), {}, "")
    assert "?theme" not in alone
    assert "title=" not in alone
    assert "pn-matrix-names" not in alone


def test_a_board_cell_names_eight_and_counts_the_rest() -> None:
    entities = [f"e{i}" for i in range(10)]
    html = board_cell(covering(*entities), {e: e.upper() for e in entities}, "glam", True)
    assert 'title="E0, E1, E2, E3, E4, E5, E6, E7 and 2 more"' in html
    assert "<a " not in html, "a cell covered twice or more needs no suggestions"


def test_a_board_cell_links_to_suggestions_only_for_those_who_may_suggest() -> None:
    url = reverse("analytics:suggestions", args=["glam", "154"])
    assert f'<a href="{url}">' in board_cell(covering("a"), {"a": "A"}, "glam", True)
    assert "suggest stewards" in board_cell(covering("a"), {"a": "A"}, "glam", True)
    assert "<a " not in board_cell(covering("a"), {"a": "A"}, "glam", False)


def test_map_shapes_group_paths_under_an_escaped_title() -> None:
    area = MapArea("154", "North & <West>", "one", 1, ("M0 0Z", "M1 1Z"))
    shapes = map_shapes(CoverageMap("glam", "GLAM", 10, 10, "M0 0Z", (area,), ("M9 9Z",)))
    assert '<path class="pn-map-land" d="M9 9Z"/>' in shapes
    assert '<g class="pn-map-one"><title>North &amp; &lt;West&gt;: 1 steward</title>' in shapes
    assert '<path d="M0 0Z"/><path d="M1 1Z"/></g>' in shapes
