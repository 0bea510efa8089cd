"""A world outline as SVG paths, from TopoJSON (Natural Earth's countries, vendored as world-atlas).

Plain data in, plain data out: :func:`country_paths` decodes a TopoJSON topology (quantised, delta-encoded
arcs shared between neighbours) and projects every country with the Equal Earth projection (Šavrič, Patterson
and Jenny, 2018), an equal-area projection, so a large region looks as large as it is, and returns one SVG
path per country keyed by its ISO 3166-1 numeric code (the M49 code of a country). Drawing on the server
keeps the map working without JavaScript, and nothing is fetched from the network.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
_X_MAX = 2.7064
_Y_MAX = 1.3173
WIDTH = 1000.0
"""Width of the map in SVG user units; the height follows from the projection (about 487)."""


def equal_earth(longitude: float, latitude: float) -> tuple[float, float]:
    """Equal Earth coordinates of a point given in degrees (x east, y north, about ±2.706 and ±1.317)."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


def height() -> float:
    return round(WIDTH * _Y_MAX / _X_MAX, 1)


def _to_svg(longitude: float, latitude: float) -> tuple[float, float]:
    x, y = equal_earth(longitude, latitude)
    scale = WIDTH / (2 * _X_MAX)
    return (x + _X_MAX) * scale, (_Y_MAX - y) * scale


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    arcs: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def _unwrapped(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring with longitudes made continuous: a ring that crosses the antimeridian (Russia, Fiji) runs on
    past ±180° instead of jumping across the whole map."""
    out: list[tuple[float, float]] = []
    shift = 0.0
    previous: float | None = None
    for lon, lat in ring:
        if previous is not None:
            if lon + shift - previous > 180:
                shift -= 360
            elif lon + shift - previous < -180:
                shift += 360
        out.append((lon + shift, lat))
        previous = lon + shift
    return out


def _path(rings: list[list[tuple[float, float]]]) -> str:
    """SVG path data of the rings; a ring reaching past ±180° is drawn again from the other side, and the
    map clips both copies to the outline of the globe (:func:`outline`)."""
    parts = []
    for ring in rings:
        if len(ring) < 3:
            continue
        whole = _unwrapped(ring)
        copies = [whole]
        if max(lon for lon, _ in whole) > 180:
            copies.append([(lon - 360, lat) for lon, lat in whole])
        if min(lon for lon, _ in whole) < -180:
            copies.append([(lon + 360, lat) for lon, lat in whole])
        for copy in copies:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_to_svg(lon, lat) for lon, lat in copy))
            parts.append(f"M{coords}Z")
    return "".join(parts)


def outline() -> str:
    """SVG path data of the whole globe's outline (the sea, and the clip of every country)."""
    east = [_to_svg(180, lat) for lat in range(-90, 91, 5)]
    west = [_to_svg(-180, lat) for lat in range(90, -91, -5)]
    return "M" + " ".join(f"{x:.1f},{y:.1f}" for x, y in east + west) + "Z"


@dataclass(frozen=True)
class CountryShape:
    code: str
    """ISO 3166-1 numeric code, three digits (the country's M49 code)."""
    name: str
    path: str
    """SVG path data in a ``0 0 WIDTH height()`` view box."""


def country_paths(topology: dict[str, Any], object_name: str = "countries") -> list[CountryShape]:
    """Every country of ``topology``'s ``object_name`` with an id, projected; ``KeyError`` when absent."""
    arcs = _decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"][object_name]["geometries"]:
        code = geometry.get("id")
        if code is None or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        rings = [_ring(ring, arcs) for polygon in polygons for ring in polygon]
        name = str((geometry.get("properties") or {}).get("name", ""))
        shapes.append(CountryShape(str(code).zfill(3), name, _path(rings)))
    return shapes
