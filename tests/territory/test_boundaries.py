import json
from pathlib import Path

from esep.territory.boundaries import write_web_boundaries

ROOT = Path(__file__).resolve().parents[2]


def test_the_web_boundaries_are_fresh_and_small(tmp_path: Path) -> None:
    written = write_web_boundaries(ROOT / "data" / "boundaries", tmp_path)
    for path in written:
        shipped = ROOT / "esep" / "territory" / "static" / "territory" / path.name
        assert shipped.read_bytes() == path.read_bytes(), "run `esep territory boundaries`"
        assert path.stat().st_size < 600_000
    regions = json.loads((tmp_path / "regions.geojson").read_text())
    assert len(regions["features"]) == 20
    assert {feature["properties"]["KATO"][2:] for feature in regions["features"]} == {"0000000"}
    for feature in regions["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1]
