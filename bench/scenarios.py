"""The load scenarios: which pages each one requests, and running wrk against gunicorn in its own process."""

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = ROOT / "bench" / "wrk" / "paths.lua"
SECTORS = ["roads", "water", "landscaping", "transport", "social"]
STATUSES = ["in_progress", "kept", "stalled", "not_rated"]


@dataclass
class Scenario:
    name: str
    title: str
    paths: list[str]
    # Whose throughput must reach half of the ceiling's (the akim page and the list APIs).
    half_ceiling: bool = False
    notes: str = ""


@dataclass
class Figures:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    raw: dict = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def api_promise_paths(sample: dict) -> list[str]:
    """50 a page with filters: by district and region, by sector, status, overdue; first and later pages."""
    paths = []
    districts, regions = sample["districts"], sample["regions"]
    for index, district in enumerate(districts[:: max(len(districts) // 40, 1)]):
        paths.append(f"/api/v1/promises?territory={district}&page={index % 2 + 1}")
        paths.append(f"/api/v1/promises?territory={district}&sector={SECTORS[index % len(SECTORS)]}")
    for index, region in enumerate(regions):
        paths.append(f"/api/v1/promises?territory={region}&status={STATUSES[index % len(STATUSES)]}")
        paths.append(f"/api/v1/promises?territory={region}&overdue=true&page={index % 3 + 1}")
    paths.append("/api/v1/promises")
    return paths


def open311_paths(sample: dict) -> list[str]:
    """What Open311 clients ask: a unit's or a district's requests (last 90 days), by service, open or not."""
    paths = []
    for index, unit in enumerate(sample["units"][:60]):
        paths.append(f"/open311/v2/requests.json?jurisdiction_id={unit}")
        status = ("open", "closed")[index % 2]
        paths.append(f"/open311/v2/requests.json?jurisdiction_id={unit}&status={status}")
    for index, district in enumerate(sample["districts"][::10]):
        code = SECTORS[index % len(SECTORS)]
        paths.append(f"/open311/v2/requests.json?jurisdiction_id={district}&service_code={code}")
    return paths


def scenarios(manifest: dict) -> list[Scenario]:
    sample = manifest["sample"]
    found = [
        Scenario("ceiling", "ceiling: minimal template, full middleware", ["/bench/ceiling"]),
        Scenario(
            "akim_page",
            "akim's public page (program, promises, latest report)",
            [f"/programs/unit/{kato}/" for kato in sample["units"]],
            half_ceiling=True,
            notes=f"{len(sample['units'])} units in turn",
        ),
        Scenario(
            "promise_api",
            "promise list API, 50 a page, filters",
            api_promise_paths(sample),
            half_ceiling=True,
        ),
        Scenario("open311", "Open311 request list", open311_paths(sample), half_ceiling=True),
    ]
    titles = {
        "dashboard_country": "country dashboard",
        "dashboard_region": "region dashboard",
        "figures_country": "requests' figures, country",
        "figures_region": "requests' figures, region",
    }
    for name, path in manifest.get("dashboards", {}).items():
        found.append(Scenario(name, titles.get(name, name), [path]))
    return found


def wrk_path() -> str | None:
    return shutil.which("wrk")


def run_wrk(
    *, base_url: str, paths: list[str], seconds: int, connections: int, paths_file: Path, threads: int = 1
) -> Figures:
    paths_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
    command = [
        wrk_path() or "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(WRK_SCRIPT),
        base_url,
        "--",
        str(paths_file),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120, check=True)
    line = next(line for line in result.stdout.splitlines() if line.startswith("{"))
    raw = json.loads(line)
    kinds = ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    errors = sum(raw[name] for name in kinds)
    return Figures(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        errors=errors,
        p50_ms=raw["p50_us"] / 1000,
        p95_ms=raw["p95_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        raw=raw,
    )
