"""PROGRAM and CONTEXT documents for the checker's tests: a clean baseline each test changes in one place."""

import copy
from typing import Any

UNIT = "103230000"  # Қараауыл а.о., Abay district (103200000), Abay region (100000000)


def funding(source: str = "local_budget", year: int = 2026, amount: int = 10_000_000, **extra: Any) -> dict:
    return {"source": source, "year": year, "amount_kzt": amount, **extra}


def plan_line(item: str = "ABA-2026-014", year: int = 2027, amount: int = 100_000_000) -> dict:
    return funding("development_plan", year, amount, plan_item=item)


def promise(
    pid: str = "P1", *, cost: int = 10_000_000, lines: list[dict] | None = None, **extra: Any
) -> dict:
    data = {
        "id": pid,
        "title": f"Promise {pid}",
        "power": "roads.maintenance",
        "indicator": {"name": "streets repaired", "unit": "km", "baseline": 0, "target": 5},
        "deadline": "2027-06-30",
        "cost_kzt": cost,
        "funding": [funding(amount=cost)] if lines is None else lines,
    }
    data.update(extra)
    return data


def program(*promises: dict, start: str = "2025-08-01", end: str = "2029-07-31", unit: str = UNIT) -> dict:
    return {
        "rural_unit": unit,
        "term": {"start": start, "end": end},
        "promises": list(promises) if promises else [promise()],
    }


def context(**changes: Any) -> dict:
    data = {
        "rules": {"version": "2026-1", "max_local_budget_share": 0.3},
        "local_budget": {str(year): 120_000_000 for year in range(2025, 2030)},
        "development_plan": [
            {
                "code": "ABA-2026-014",
                "territories": ["103200000"],
                "allocations": {"2027": 500_000_000},
                "committed": {"2027": 300_000_000},
            },
            {"code": "ABA-2026-020", "territories": ["104400000"], "allocations": {"2028": 900_000_000}},
        ],
        "powers": [
            {"code": "roads.maintenance", "level": "rural"},
            {"code": "roads.district_network", "level": "district"},
            {"code": "police.patrol", "level": "police"},
        ],
    }
    data.update(copy.deepcopy(changes))
    return data
