"""Demo data of the programs app, seeded (the same on every machine) and idempotent (a second run changes
nothing), written through the services, one audit event per batch.

`run_reference_data`: rule set 2026-1, a development plan per region, budget forecasts for every unit.
`run_programs`: a published program of 5-15 promises for every sitting akim, with what happened to each
promise since, and for about a tenth of the units a draft amendment that fails the check.
"""

import random
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from django.db.models import Sum
from django.utils import timezone

from esep.elections.models import Candidacy, Mandate
from esep.powers.models import Power, PowerLevel
from esep.programs.drafting import FundingDraft, PromiseDraft
from esep.programs.models import BudgetSource, LocalBudget, PlanItem, Program, RuleSet
from esep.programs.selectors import rule_set_in_force
from esep.programs.services import (
    BudgetRow,
    PlanRow,
    ProgramRecord,
    PromiseRecord,
    UpdateRecord,
    budget_rows_load,
    plan_rows_load,
    programs_load_batch,
    promise_stats_refresh,
    rule_set_publish,
)
from esep.programs.stats import stale_unit_ids
from esep.territory.models import Level, Territory
from esep.territory.summaries import stale_rows_rebuild

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


# --- Programs of the sitting akims -------------------------------------------------------------------------

PROGRAM_SEED = "esep-programs-2026"
ALMATY = ZoneInfo("Asia/Almaty")
LAUNCH = date(2026, 1, 12)  # programs went into Esep once rule set 2026-1 was in force
GRACE_DAYS = RULE_SET_PARAMETERS["overdue_to_broken_days"]
FAILING_DRAFT_SHARE = 0.10
BATCH_UNITS = 600

# (sector, power, title, indicator, unit, target range, cost per unit of the target in tenge)
PROMISE_KINDS = [
    (
        "roads",
        "roads.maintenance",
        "Средний ремонт улиц: {n} км",
        "отремонтировано улиц",
        "км",
        (1, 8),
        24_000_000,
    ),
    (
        "landscaping",
        "landscaping.lighting",
        "Уличное освещение: {n} светоточек",
        "светоточек",
        "шт.",
        (20, 160),
        240_000,
    ),
    ("water", "water.supply", "Водопровод: {n} км новых сетей", "построено сетей", "км", (1, 6), 38_000_000),
    (
        "landscaping",
        "landscaping.improvement",
        "Детские игровые площадки: {n}",
        "площадок",
        "шт.",
        (1, 4),
        7_500_000,
    ),
    (
        "sport",
        "sport.mass_sport",
        "Спортивные площадки с тренажёрами: {n}",
        "площадок",
        "шт.",
        (1, 2),
        14_000_000,
    ),
    (
        "culture",
        "culture.events",
        "Ремонт сельского дома культуры",
        "отремонтировано зданий",
        "шт.",
        (1, 1),
        32_000_000,
    ),
    (
        "landscaping",
        "landscaping.sanitation",
        "Контейнерные площадки для отходов: {n}",
        "площадок",
        "шт.",
        (5, 30),
        550_000,
    ),
    ("transport", "transport.public", "Остановочные павильоны: {n}", "павильонов", "шт.", (2, 8), 1_600_000),
    (
        "cemeteries",
        "cemeteries.maintenance",
        "Ограждение кладбища: {n} м",
        "построено ограждения",
        "м",
        (300, 1500),
        14_000,
    ),
    (
        "landscaping",
        "landscaping.improvement",
        "Благоустройство центрального сквера",
        "благоустроено скверов",
        "шт.",
        (1, 1),
        21_000_000,
    ),
    (
        "transport",
        "transport.school_bus",
        "Подвоз школьников: новых маршрутов {n}",
        "маршрутов",
        "шт.",
        (1, 2),
        9_000_000,
    ),
    (
        "agriculture",
        "agriculture.pastures",
        "Обводнение пастбищ: {n} скважин",
        "скважин",
        "шт.",
        (1, 4),
        8_500_000,
    ),
    (
        "emergencies",
        "emergencies.fire_safety",
        "Пожарные гидранты и мотопомпа: {n}",
        "гидрантов",
        "шт.",
        (2, 10),
        900_000,
    ),
    (
        "social",
        "social.home_care",
        "Надомный уход за одинокими пожилыми: {n} человек",
        "человек под уходом",
        "чел.",
        (5, 40),
        300_000,
    ),
    (
        "governance",
        "governance.report_to_residents",
        "Отчёт перед жителями каждые полгода",
        "отчётов",
        "шт.",
        (8, 8),
        0,
    ),
]
PLAN_SECTORS = {
    "roads",
    "water",
    "landscaping",
    "sport",
    "culture",
    "transport",
    "agriculture",
    "emergencies",
}
SPONSOR_SECTORS = {"sport", "landscaping", "culture", "social"}
REPUBLICAN_SECTORS = {"water", "roads"}

PROGRESS_NOTES = [
    "Заключён договор с подрядчиком по итогам конкурса на портале госзакупок.",
    "Работы начаты, подрядчик вышел на объект.",
    "Выполнена половина объёма работ, приёмка первого этапа.",
    "Работы идут по графику, проведён выездной сход жителей.",
    "Закуплены материалы, работы возобновлены после зимы.",
]
STALLED_NOTES = [
    "Подрядчик не вышел на объект: договор расторгается, объявлен повторный конкурс.",
    "Финансирование из районного бюджета перенесено на следующий год.",
    "Проектно-сметная документация возвращена на доработку после экспертизы.",
]
KEPT_NOTES = [
    "Работы завершены и приняты комиссией с участием жителей.",
    "Объект сдан в эксплуатацию, акт приёмки подписан.",
]
PARTIAL_NOTES = [
    "Выполнена часть объёма: остаток перенесён из-за роста цен на материалы.",
    "Сделано меньше обещанного: средств хватило на часть объекта.",
]
BROKEN_REASONS = [
    "Районный бюджет не выделил софинансирование, работы не начаты.",
    "Конкурс дважды не состоялся, средства возвращены в бюджет.",
    "Срок истёк, обещание не выполнено.",
]
DROPPED_REASONS = [
    "Сход жителей решил направить средства на ремонт водопровода.",
    "Объект передан в районную программу: работы ведёт акимат района.",
]
EVIDENCE = [
    "Акт выполненных работ № {n} от {day}",
    "Фотоотчёт на странице акимата, {day}",
    "Протокол схода жителей № {n} от {day}",
    "Договор госзакупок № {n} от {day}",
]
# A draft amendment that fails the check: (reason, sector, power, title, mistake).
AMENDMENTS = [
    (
        "Жители на сходе попросили построить новый спортивный комплекс.",
        "sport",
        "sport.mass_sport",
        "Строительство спортивного комплекса",
        "budget",  # half of a year's forecast from the local budget: LOCAL_BUDGET_EXCEEDED
    ),
    (
        "Нужен капитальный ремонт школы: добавлено новое обещание.",
        "education",
        "education.schools",  # the district's power: OUTSIDE_POWERS
        "Капитальный ремонт школы",
        "district",
    ),
    (
        "Добавлен ремонт дороги районного значения по просьбе жителей.",
        "roads",
        "roads.district_network",  # the district's power: OUTSIDE_POWERS
        "Ремонт дороги районного значения",
        "district",
    ),
    (
        "Расширение программы благоустройства по итогам обращений жителей.",
        "landscaping",
        "landscaping.improvement",
        "Новый парк отдыха",
        "plan",  # an item the regional plan does not have: PLAN_ITEM_UNKNOWN
    ),
]


def _at(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(9, 17), rng.randint(0, 59), tzinfo=ALMATY)


def _days_between(start: date, end: date, count: int, rng: random.Random) -> list[date]:
    if count <= 0 or end <= start:
        return []
    span = (end - start).days
    return sorted(start + timedelta(days=rng.randint(0, span)) for _n in range(count))


class _UnitPlanner:
    """Makes one unit's program: promises whose money fits the budget rule and the plan items' free amounts
    (so that it passes the check), and a believable history of each promise up to today."""

    def __init__(
        self,
        *,
        unit: Territory,
        mandate: Mandate,
        forecast: dict[int, int],
        items: list[PlanItem],
        powers: set[str],
        today: date,
        share: float,
    ) -> None:
        self.unit, self.mandate, self.forecast, self.items, self.powers = (
            unit,
            mandate,
            forecast,
            items,
            powers,
        )
        self.today = today
        self.rng = random.Random(f"{PROGRAM_SEED}-{unit.kato}")  # noqa: S311 (demo data, not security)
        self.start, self.end = mandate.starts_on, mandate.ends_on
        self.step = 0
        # Keep the local budget under 80% of what the rule allows, so small rounding never tips it over.
        self.local_room = {year: int(total * share * 0.8) for year, total in forecast.items()}
        self.plan_room = {
            item.code: {int(year): item.available(int(year)) for year in item.allocations} for item in items
        }
        self.published_on = min(
            max(
                self.start + timedelta(days=self.rng.randint(20, 60)),
                LAUNCH + timedelta(days=self.rng.randint(0, 60)),
            ),
            today - timedelta(days=1),
        )
        scale = sum(forecast.values()) / max(len(forecast), 1) / 80_000_000
        self.scale = min(max(scale, 0.4), 2.0)

    def years(self, until: date) -> list[int]:
        first = max(self.start.year, self.published_on.year)
        return [
            year for year in range(first, until.year + 1) if year in self.forecast and year <= self.end.year
        ]

    def promise(self, kind: tuple) -> PromiseDraft | None:
        rng = self.rng
        sector, power, title, indicator, unit_name, (low, high), per_unit = kind
        if power not in self.powers:
            return None
        target = rng.randint(low, high)
        cost = int(target * per_unit * self.scale * rng.uniform(0.8, 1.2)) // 100_000 * 100_000
        earliest = self.published_on + timedelta(days=120)
        latest = self.end - timedelta(days=30)
        if earliest >= latest:
            earliest = self.published_on + timedelta(days=10)
        deadline = earliest + timedelta(days=rng.randint(0, max((latest - earliest).days, 0)))
        years = self.years(deadline) or self.years(self.end)
        if not years and cost:
            return None
        funding = self.funding(sector, cost, years) if cost else []
        if funding is None:
            return None
        return PromiseDraft(
            title=title.format(n=target),
            sector=sector,
            power_code=power,
            indicator_name=indicator,
            indicator_unit=unit_name,
            indicator_baseline=0,
            indicator_target=target,
            deadline=deadline,
            cost_kzt=cost,
            funding=tuple(funding),
        )

    def funding(self, sector: str, cost: int, years: list[int]) -> list[FundingDraft] | None:
        rng = self.rng
        lines: list[FundingDraft] = []
        left = cost
        if sector in PLAN_SECTORS and cost >= 15_000_000 and rng.random() < 0.55:
            for item in self.items:
                if item.sector != sector:
                    continue
                free_years = [y for y in years if self.plan_room[item.code].get(y, 0) > 0]
                if not free_years:
                    continue
                year = rng.choice(free_years)
                amount = min(
                    int(left * rng.uniform(0.5, 0.8)) // 100_000 * 100_000, self.plan_room[item.code][year]
                )
                if amount >= 1_000_000:
                    self.plan_room[item.code][year] -= amount
                    lines.append(FundingDraft("development_plan", year, amount, item.code))
                    left -= amount
                break
        if sector in REPUBLICAN_SECTORS and left >= 20_000_000 and rng.random() < 0.3:
            amount = int(left * rng.uniform(0.3, 0.6)) // 100_000 * 100_000
            lines.append(FundingDraft("republican_program", rng.choice(years), amount))
            left -= amount
        if sector in SPONSOR_SECTORS and left > 0 and rng.random() < 0.25:
            amount = max(int(left * rng.uniform(0.1, 0.4)) // 100_000 * 100_000, 0)
            if amount:
                lines.append(FundingDraft("sponsor", rng.choice(years), amount))
                left -= amount
        if left > 0:
            # What is left: the local budget where there is room, the district's transfer otherwise.
            year = max(years, key=lambda y: self.local_room.get(y, 0))
            local = min(left, self.local_room.get(year, 0)) if rng.random() < 0.7 else 0
            local = local // 100_000 * 100_000 if local < left else local
            if local > 0:
                self.local_room[year] -= local
                lines.append(FundingDraft("local_budget", year, local))
                left -= local
            if left > 0:
                lines.append(FundingDraft("district_budget", rng.choice(years), left))
        return lines

    def promises(self) -> list[PromiseDraft]:
        kinds = list(PROMISE_KINDS)
        self.rng.shuffle(kinds)
        wanted = self.rng.randint(5, 15)
        drafts = []
        for kind in kinds:
            draft = self.promise(kind)
            if draft is not None:
                drafts.append(draft)
            if len(drafts) == wanted:
                break
        return drafts

    def history(self, draft: PromiseDraft) -> tuple[UpdateRecord, ...]:
        """Updates from publication to today, ending in a status that fits the deadline: a promise open more
        than the grace period after its deadline would have been marked broken, so none is left open."""
        rng, today = self.rng, self.today
        first = self.published_on + timedelta(days=10)
        last = today - timedelta(days=1)
        if first >= last:
            return ()
        deadline = draft.deadline
        if deadline < today - timedelta(days=GRACE_DAYS):
            final = rng.choices(["kept", "partially_kept", "broken", "dropped"], [50, 20, 22, 8])[0]
        elif deadline < today:
            final = rng.choices(
                ["kept", "partially_kept", "in_progress", "stalled", "broken"], [35, 10, 30, 15, 10]
            )[0]
        else:
            elapsed = (today - self.published_on).days / max((deadline - self.published_on).days, 1)
            weights = [max(30 - elapsed * 40, 5), 50, 12, 8 + elapsed * 10, 4]
            final = rng.choices(["not_rated", "in_progress", "stalled", "kept", "dropped"], weights)[0]
        if final == "not_rated":
            return ()
        closing = (
            min(last, deadline + timedelta(days=rng.randint(-40, 30)))
            if final in ("kept", "partially_kept", "broken")
            else last
        )
        closing = max(closing, first)
        steps = {"in_progress": rng.randint(1, 3), "stalled": 1, "dropped": 0}.get(final, rng.randint(1, 2))
        days = _days_between(first, closing, steps + 1, rng)
        updates: list[UpdateRecord] = []
        progress = 0
        cost = draft.cost_kzt
        self.step = 0  # updates of one day keep their order: the hour grows with the step
        for day in days[:-1]:
            progress = min(progress + rng.randint(10, 35), 90)
            updates.append(self._update(day, "in_progress", progress, rng.choice(PROGRESS_NOTES), cost))
        day = days[-1] if days else closing
        if final == "in_progress":
            if not updates:
                updates.append(
                    self._update(day, "in_progress", rng.randint(10, 60), rng.choice(PROGRESS_NOTES), cost)
                )
        elif final == "stalled":
            updates.append(self._update(day, "stalled", progress, rng.choice(STALLED_NOTES), cost))
        elif final == "kept":
            updates.append(self._update(day, "kept", 100, rng.choice(KEPT_NOTES), cost))
        elif final == "partially_kept":
            updates.append(
                self._update(
                    day, "partially_kept", max(progress, rng.randint(45, 85)), rng.choice(PARTIAL_NOTES), cost
                )
            )
        elif final == "broken":
            reason = rng.choice(BROKEN_REASONS)
            updates.append(self._update(day, "broken", progress, reason, cost, reason=reason))
        elif final == "dropped":
            reason = rng.choice(DROPPED_REASONS)
            updates.append(self._update(day, "dropped", progress, reason, cost, reason=reason))
        return tuple(updates)

    def _update(
        self, day: date, status: str, progress: int, narrative: str, cost: int, reason: str = ""
    ) -> UpdateRecord:
        rng = self.rng
        evidence = rng.choice(EVIDENCE).format(n=rng.randint(1, 240), day=day.strftime("%d.%m.%Y"))
        self.step += 1
        return UpdateRecord(
            at=datetime(day.year, day.month, day.day, 8 + self.step, rng.randint(0, 59), tzinfo=ALMATY),
            status=status,
            progress=progress,
            narrative=narrative,
            spent_kzt=cost * progress // 100 // 1000 * 1000 if cost else None,
            evidence_note=evidence if status != "dropped" else "",
            reason=reason,
            source="отчёт акима" if rng.random() < 0.6 else "страница акимата",
        )

    def failing_amendment(self) -> tuple[str, tuple[PromiseDraft, ...]]:
        """A draft amendment adding one promise that breaks a rule: too much of the local budget, a power
        of the district rather than of the rural akim, or a plan item that does not exist."""
        rng = self.rng
        reason, sector, power, title, mistake = rng.choice(AMENDMENTS)
        years = self.years(self.end) or [self.end.year]
        year = rng.choice(years)
        if mistake == "budget":
            cost = max(int(self.forecast.get(year, 0) * 0.5) // 1_000_000 * 1_000_000, 1_000_000)
            funding = (FundingDraft("local_budget", year, cost),)
        elif mistake == "plan":
            cost = 60_000_000
            funding = (FundingDraft("development_plan", year, cost, f"{self.unit.kato[:2]}-PLAN-9999"),)
        else:
            cost = 45_000_000
            funding = (FundingDraft("district_budget", year, cost),)
        deadline = min(self.end - timedelta(days=10), date(year, 12, 1))
        draft = PromiseDraft(
            title=title,
            sector=sector,
            power_code=power,
            indicator_name="объектов",
            indicator_unit="шт.",
            indicator_baseline=0,
            indicator_target=1,
            deadline=max(deadline, self.published_on + timedelta(days=30)),
            cost_kzt=cost,
            funding=funding,
        )
        return reason, (draft,)


def program_records(mandates: list[Mandate], *, today: date) -> list[ProgramRecord]:
    """The records for these mandates' programs: reads the budgets, plan items and powers once."""
    rural = set(Power.objects.filter(level=PowerLevel.RURAL).values_list("code", flat=True))
    units = [m.rural_unit for m in mandates]
    forecasts: dict[int, dict[int, int]] = defaultdict(dict)
    for unit_id, year, total in (
        LocalBudget.objects.filter(unit__in=units)
        .values("unit_id", "year")
        .annotate(total=Sum("amount_kzt"))
        .values_list("unit_id", "year", "total")
    ):
        forecasts[unit_id][year] = total
    items_by_region: dict[str, list[PlanItem]] = defaultdict(list)
    for item in PlanItem.objects.select_related("plan__region").order_by("code"):
        items_by_region[item.plan.region.kato].append(item)
    share = rule_set_in_force(today).max_local_budget_share
    candidacies = {
        (c.election_id, c.person_id): c.pk
        for c in Candidacy.objects.filter(election_id__in=[m.election_id for m in mandates])
    }
    records = []
    for mandate in mandates:
        unit = mandate.rural_unit
        own = {unit.kato, unit.district_code, unit.region_code}
        items = [item for item in items_by_region.get(unit.region_code, []) if own & set(item.territories)]
        planner = _UnitPlanner(
            unit=unit,
            mandate=mandate,
            forecast=forecasts.get(unit.pk, {}),
            items=items,
            powers=rural,
            today=today,
            share=float(share),
        )
        drafts = planner.promises()
        promises = tuple(PromiseRecord(draft=draft, updates=planner.history(draft)) for draft in drafts)
        reason, adds = "", ()
        if unit.kato == DEMO_UNIT_KATO or planner.rng.random() < FAILING_DRAFT_SHARE:
            reason, adds = planner.failing_amendment()
        records.append(
            ProgramRecord(
                candidacy_id=candidacies[(mandate.election_id, mandate.person_id)],
                published_at=_at(planner.published_on, planner.rng),
                promises=promises,
                summary="Программа развития округа на срок полномочий: дороги, вода, свет, благоустройство.",
                amendment_reason=reason,
                amendment_at=_at(today - timedelta(days=planner.rng.randint(1, 20)), planner.rng)
                if adds
                else None,
                amendment_adds=adds,
            )
        )
    return records


def run_programs(*, out: TextIO) -> None:
    """Every sitting akim without a program gets one (a second run finds none without and does nothing)."""
    started = time.monotonic()
    today = timezone.localdate()
    if rule_set_in_force(today) is None:
        out.write(f"programs demo: no rule set is in force on {today}; skipped\n")
        return
    with_program = Program.objects.values("candidacy__election_id", "candidacy__person_id")
    taken = {(row["candidacy__election_id"], row["candidacy__person_id"]) for row in with_program}
    mandates = [
        m
        for m in Mandate.objects.current().select_related("rural_unit").order_by("rural_unit__kato")
        if (m.election_id, m.person_id) not in taken
    ]
    if not mandates:
        out.write("programs demo: already loaded\n")
        return
    totals = defaultdict(int)
    for start in range(0, len(mandates), BATCH_UNITS):
        chunk = mandates[start : start + BATCH_UNITS]
        report = programs_load_batch(
            records=program_records(chunk, today=today), source=f"demo-programs-{chunk[0].rural_unit.kato}"
        )
        for name, value in vars(report).items():
            totals[name] += value
    seconds = time.monotonic() - started
    out.write(
        f"programs demo: {totals['published']} published programs with {totals['published_promises']} "
        f"promises ({totals['events']} timeline events; {totals['promises']} promises and "
        f"{totals['funding_lines']} funding lines in all versions), "
        f"{totals['drafts']} draft amendments ({totals['drafts_failing']} failing the check) "
        f"in {seconds:.1f} s\n"
    )


def run_summaries(*, out: TextIO) -> None:
    """A last step, after the recall demo: it ends two mandates, which leaves those units' summary rows
    counting the former akim's promises until the first `esep tick`. Rebuild every stale row now."""
    refreshed = stale_rows_rebuild(stale_unit_ids, promise_stats_refresh, today=timezone.localdate())
    out.write(f"programs demo: {refreshed} stale summary rows rebuilt\n")
