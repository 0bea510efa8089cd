"""The coverage map: every country coloured by the coverage of the matrix column it lies in.

A table of types by regions answers "who stewards GLAM in Western Africa?"; a map shows at a glance where the
gaps are. The outline is Natural Earth's (vendored as world-atlas, drawn by ``core.worldmap``); nothing is
loaded from the network and the SVG is rendered on the server, so it works without JavaScript. The matrix
next to it is the table alternative.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from partnernet.core import worldmap
from partnernet.core.coverage import GAP, PARTIAL, MatrixCell
from partnernet.framework.coverage import Matrix
from partnernet.framework.models import Region
from partnernet.framework.selectors import region_tree
from partnernet.i18n.names import region_name

TOPOLOGY = Path(__file__).parent / "static" / "vendor" / "world-atlas" / "countries-110m.json"


@functools.lru_cache(maxsize=1)
def _shapes() -> tuple[worldmap.CountryShape, ...]:
    return tuple(worldmap.country_paths(json.loads(TOPOLOGY.read_text(encoding="utf-8"))))


@functools.lru_cache(maxsize=1)
def _alpha2_by_m49() -> dict[str, str]:
    return dict(Region.objects.filter(level=Region.Level.COUNTRY).values_list("m49", "code"))


@dataclass(frozen=True)
class MapArea:
    """The countries of one matrix column, drawn as one group with one state."""

    code: str
    name: str
    state: str
    """none (a gap), partial (part of it, or some themes), one or several stewards of all of it, or over
    (a steward of all of it at capacity)."""
    stewards: int
    paths: tuple[str, ...]


@dataclass(frozen=True)
class CoverageMap:
    type_key: str
    type_label: str
    width: float
    height: float
    outline: str
    areas: tuple[MapArea, ...]
    unplaced: tuple[str, ...]
    """Shapes outside every column (disputed areas without an ISO code), drawn without a state."""


def _state(cell: MatrixCell) -> str:
    if cell.over_capacity:
        return "over"
    if cell.state == GAP:
        return "none"
    if cell.state == PARTIAL:
        return "partial"
    return "one" if cell.count == 1 else "several"


def coverage_map(matrix: Matrix, type_key: str) -> CoverageMap | None:
    """The map of ``type_key``'s row of ``matrix``; ``None`` when the type is not a row."""
    row = next(((ptype, cells) for ptype, cells in matrix.rows if ptype.key == type_key), None)
    if row is None:
        return None
    ptype, cells = row
    tree = region_tree()
    by_column = {cell.region: cell for cell in cells}
    alpha2 = _alpha2_by_m49()
    grouped: dict[str, list[str]] = {code: [] for code in by_column}
    unplaced: list[str] = []
    for shape in _shapes():
        code = alpha2.get(shape.code, "")
        column = next((c for c in tree.chain(code) if c in by_column), None) if code in tree.parents else None
        (grouped[column] if column is not None else unplaced).append(shape.path)
    areas = []
    for region in matrix.regions:
        cell = by_column[region.code]
        areas.append(
            MapArea(
                region.code,
                region_name(region.code, region.name),
                _state(cell),
                cell.count,
                tuple(grouped[region.code]),
            )
        )
    return CoverageMap(
        type_key=ptype.key,
        type_label=ptype.label,
        width=worldmap.WIDTH,
        height=worldmap.height(),
        outline=worldmap.outline(),
        areas=tuple(areas),
        unplaced=tuple(unplaced),
    )
