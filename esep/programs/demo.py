"""Demo reference data: rule set 2026-1, a development plan per region, budget forecasts for every unit.

Seeded (the same data on every machine), idempotent (a second run changes nothing) and written through the
same services as the CSV imports, one audit event per batch.
"""

import random
from datetime import date
from typing import TextIO

from esep.programs.models import BudgetSource, RuleSet
from esep.programs.services import BudgetRow, PlanRow, budget_rows_load, plan_rows_load, rule_set_publish
from esep.territory.models import Level, Territory

# The unit of the demo accounts (esep.demo.accounts.DEMO_UNIT_KATO; not imported: demo sits above the apps).
DEMO_UNIT_KATO = "103230000"
RULE_SET_VERSION = "2026-1"
RULE_SET_PARAMETERS = {"max_local_budget_share": 0.3, "report_period_months": 6, "overdue_to_broken_days": 90}
PLAN_YEARS = (2026, 2030)
BUDGET_YEARS = range(2024, 2031)

REGION_ABBREVIATIONS = {
    "10": "ABA",
    "11": "AKM",
    "15": "AKT",
    "19": "ALM",
    "23": "ATY",
    "27": "ZKO",
    "31": "ZHA",
    "33": "ZHE",
    "35": "KAR",
    "39": "KOS",
    "43": "KZY",
    "47": "MAN",
    "55": "PAV",
    "59": "SKO",
    "61": "TUR",
    "62": "ULY",
    "63": "VKO",
    "71": "AST",
    "75": "ALA",
    "79": "SHY",
}

# (sector, title, scope): the scope is what the item's territory is, and sets the size of its allocation.
ITEM_KINDS = [
    ("roads", "Средний ремонт внутрипоселковых дорог: {place}", "unit"),
    ("roads", "Капитальный ремонт автодороги районного значения: {place}", "district"),
    ("water", "Строительство сетей водоснабжения: {place}", "unit"),
    ("water", "Реконструкция группового водопровода: {place}", "district"),
    ("landscaping", "Уличное освещение населённых пунктов: {place}", "unit"),
    ("landscaping", "Благоустройство центральной площади и парка: {place}", "unit"),
    ("education", "Капитальный ремонт общеобразовательной школы: {place}", "unit"),
    ("education", "Строительство детского сада на 140 мест: {place}", "unit"),
    ("culture", "Ремонт сельского дома культуры: {place}", "unit"),
    ("sport", "Строительство спортивной площадки и мини-футбольного поля: {place}", "unit"),
    ("health", "Строительство врачебной амбулатории: {place}", "unit"),
    ("utilities", "Газификация сельских населённых пунктов: {place}", "district"),
    ("transport", "Обновление автобусов социально значимых маршрутов: {place}", "region"),
    ("agriculture", "Обводнение пастбищ: {place}", "district"),
    ("housing", "Строительство арендного жилья для молодых специалистов: {place}", "district"),
    ("emergencies", "Строительство пожарного депо: {place}", "district"),
]
SCALE = {"unit": (40, 400), "district": (200, 2000), "region": (1000, 5000)}  # millions of tenge per year

# (source, share range of the total, chance that a unit has it at all)
BUDGET_MIX = [
    (BudgetSource.DISTRICT_TRANSFERS, (0.35, 0.55), 1.0),
    (BudgetSource.INCOME_TAX, (0.15, 0.25), 1.0),
    (BudgetSource.VEHICLE_TAX, (0.08, 0.14), 1.0),
    (BudgetSource.LAND_TAX, (0.03, 0.08), 1.0),
    (BudgetSource.PROPERTY_TAX, (0.03, 0.06), 1.0),
    (BudgetSource.LAND_USE_FEES, (0.01, 0.03), 0.6),
    (BudgetSource.COMMUNAL_PROPERTY, (0.01, 0.03), 0.5),
    (BudgetSource.LAND_SALES, (0.02, 0.05), 0.4),
    (BudgetSource.FINES, (0.002, 0.008), 0.4),
    (BudgetSource.VOLUNTARY_CONTRIBUTIONS, (0.005, 0.015), 0.3),
    (BudgetSource.OUTDOOR_ADVERTISING, (0.002, 0.01), 0.3),
]


def ensure_rule_set() -> bool:
    if RuleSet.objects.filter(version=RULE_SET_VERSION).exists():
        return False
    rule_set_publish(
        version=RULE_SET_VERSION,
        effective_from=date(2026, 1, 1),
        parameters=RULE_SET_PARAMETERS,
        note="Первые требования к экономическому блоку программ сельских акимов (демонстрационные данные).",
    )
    return True


def plan_rows() -> list[PlanRow]:
    """A plan of 10-30 items for each of the 20 regions, on real districts and units of the region."""
    territories = list(
        Territory.objects.filter(level__in=[Level.REGION, Level.DISTRICT, Level.UNIT])
        .exclude(level=Level.UNIT, has_elected_akim=False)
        .values_list("kato", "level", "name_ru")
        .order_by("kato")
    )
    by_region: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for kato, level, name in territories:
        by_region.setdefault(kato[:2], {"region": [], "district": [], "unit": []})[level].append((kato, name))
    rows: list[PlanRow] = []
    line = 0
    for prefix, levels in sorted(by_region.items()):
        if not levels["region"]:
            continue
        region_kato, region_name = levels["region"][0]
        rng = random.Random(f"esep-plan-{region_kato}")  # noqa: S311  (demo data, not security)
        abbreviation = REGION_ABBREVIATIONS.get(prefix, f"R{prefix}")
        for number in range(1, rng.randint(10, 30) + 1):
            sector, title, scope = rng.choice(ITEM_KINDS)
            candidates = levels[scope] or levels["district"] or levels["region"]
            kato, place = rng.choice(candidates)
            if number == 1 and region_kato == DEMO_UNIT_KATO[:2] + "0000000":
                # The demo accounts' unit gets a district item its demo programs can draw on.
                sector, title, scope = ITEM_KINDS[0][0], ITEM_KINDS[1][1], "district"
                kato, place = next(d for d in levels["district"] if d[0] == DEMO_UNIT_KATO[:4] + "00000")
            low, high = SCALE[scope]
            first_year = rng.randint(PLAN_YEARS[0], PLAN_YEARS[1] - 1)
            for year in range(first_year, min(first_year + rng.randint(1, 3), PLAN_YEARS[1] + 1)):
                allocation = rng.randint(low, high) * 1_000_000
                committed = (
                    int(allocation * rng.uniform(0.2, 0.8)) // 1_000_000 * 1_000_000 if year <= 2027 else 0
                )
                line += 1
                rows.append(
                    PlanRow(
                        line=line,
                        region=region_kato,
                        plan_title=f"План развития: {region_name}, {PLAN_YEARS[0]}-{PLAN_YEARS[1]} годы",
                        year_from=PLAN_YEARS[0],
                        year_to=PLAN_YEARS[1],
                        code=f"{abbreviation}-{PLAN_YEARS[0]}-{number:03d}",
                        title=title.format(place=place),
                        sector=sector,
                        territories=(kato,),
                        year=year,
                        allocation_kzt=allocation,
                        committed_kzt=committed,
                    )
                )
    return rows


def budget_rows() -> list[BudgetRow]:
    """Revenue forecasts 2024-2030 of every elected unit: 20-150 million tenge a year, by source."""
    rows: list[BudgetRow] = []
    line = 0
    for kato, population in (
        Territory.objects.elected_units().order_by("kato").values_list("kato", "population")
    ):
        rng = random.Random(f"esep-budget-{kato}")  # noqa: S311  (demo data, not security)
        if population:
            total = min(max(population * rng.uniform(15_000, 25_000), 20e6), 150e6)
        else:
            total = 20e6 + rng.betavariate(2, 4) * 130e6
        mix = [
            (source, rng.uniform(*shares)) for source, shares, chance in BUDGET_MIX if rng.random() < chance
        ]
        weight = sum(share for _source, share in mix)
        for year in BUDGET_YEARS:
            year_total = total * 1.06 ** (year - BUDGET_YEARS[0]) * rng.uniform(0.97, 1.03)
            for source, share in mix:
                line += 1
                amount = int(year_total * share / weight) // 1000 * 1000
                rows.append(BudgetRow(line=line, unit=kato, year=year, source=source, amount_kzt=amount))
    return rows


def run_reference_data(*, out: TextIO) -> None:
    if ensure_rule_set():
        out.write(f"rule set {RULE_SET_VERSION} published\n")
    plans = plan_rows_load(rows=plan_rows(), source="demo-development-plans")
    if plans.changed:
        out.write(f"development plans: {plans.created} created, {plans.updated} updated\n")
    budgets = budget_rows_load(rows=budget_rows(), source="demo-local-budgets")
    if budgets.changed:
        out.write(f"local budget lines: {budgets.created} created, {budgets.updated} updated\n")
