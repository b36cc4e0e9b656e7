"""Web copies of the boundary files: coordinates rounded to 0.01° (about 1 km), only the KATO code kept.

Shared borders round to the same points, so neighbouring shapes still meet; the files shrink from
1 MB and 2 MB to about 0.2 MB and 0.5 MB, which a phone on a rural connection can load.
"""

import json
from pathlib import Path

DIGITS = 2


def _ring(points: list[list[float]]) -> list[list[float]]:
    ring: list[list[float]] = []
    for x, y in points:
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not ring or ring[-1] != point:
            ring.append(point)
    return ring


def simplify_collection(collection: dict) -> dict:
    features = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        kept = []
        for polygon in polygons:
            rings = [ring for ring in (_ring(r) for r in polygon) if len(ring) >= 4]
            if rings:
                kept.append(rings)
        features.append(
            {
                "type": "Feature",
                "properties": {"KATO": feature["properties"]["KATO"]},
                "geometry": {"type": "MultiPolygon", "coordinates": kept},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def write_web_boundaries(source_dir: Path, target_dir: Path) -> list[Path]:
    target_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for level, name in (("adm1", "regions"), ("adm2", "districts")):
        source = source_dir / f"kaz_admbnda_{level}_2024.geojson"
        collection = json.loads(source.read_text(encoding="utf-8"))
        target = target_dir / f"{name}.geojson"
        target.write_text(
            json.dumps(simplify_collection(collection), separators=(",", ":")), encoding="utf-8"
        )
        written.append(target)
    return written
