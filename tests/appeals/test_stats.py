"""The summary counters equal a direct count of the requests, at every level, and after a rebuild."""

from datetime import date

from django.db import connection
from django.db.models import Count, Q, Sum
from django.test.utils import CaptureQueriesContext

from esep.appeals import selectors, services, stats, tick
from esep.appeals.models import Appeal, AppealAnswerDays, AppealStat, Body, Status, Verdict

from .conftest import at


def _activity(make_appeal, staff, resident, unit_a2_appeal) -> None:
    a = make_appeal("roads", now=at(date(2026, 2, 2)))
    services.appeal_answer(actor=staff, appeal=a, answer="Done", now=at(date(2026, 2, 5)))
    services.appeal_close(actor=resident, appeal=a, verdict=Verdict.CONFIRMED)
    b = make_appeal("roads", now=at(date(2026, 2, 3)))
    services.appeal_answer(actor=staff, appeal=b, answer="Late", now=at(date(2026, 3, 10)))
    c = make_appeal("health", now=at(date(2026, 2, 4)))
    services.appeal_forward(actor=staff, appeal=c, body=Body.REGION, now=at(date(2026, 2, 5)))
    d = make_appeal("water", now=at(date(2026, 2, 10)))
    services.appeal_extend(
        actor=staff,
        appeal=d,
        new_deadline=date(2026, 4, 1),
        reason="Waiting for the district reply.",
        now=at(date(2026, 2, 12)),
    )
    make_appeal("water", now=at(date(2026, 1, 12)))  # never answered: escalated below
    tick.run(now=at(date(2026, 3, 1)))
    unit_a2_appeal()


def _direct(scope: str) -> dict:
    appeals = Appeal.private_objects.filter(kato__startswith=scope)
    return appeals.aggregate(
        registered=Count("pk"),
        forwarded=Count("pk", filter=Q(status=Status.FORWARDED)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        answered_on_time=Count("pk", filter=Q(answered_at__isnull=False, missed=False)),
        missed=Count("pk", filter=Q(missed=True)),
        extended=Count("pk", filter=Q(extended_deadline__isnull=False)),
        confirmed=Count("pk", filter=Q(verdict="confirmed")),
    )


def test_counters_equal_a_direct_count_at_every_level(
    make_appeal, staff, resident, unit_a, unit_a2, categories
) -> None:
    _activity(
        make_appeal, staff, resident, lambda: make_appeal("roads", unit=unit_a2, now=at(date(2026, 2, 2)))
    )
    for scope, prefix in [(unit_a.kato, unit_a.kato), (unit_a.district_code, unit_a.kato[:4]), ("", "")]:
        counted = AppealStat.objects.filter(scope=scope).aggregate(
            **{name: Sum(name) for name in _direct("").keys()}
        )
        assert counted == _direct(prefix), scope
    assert _direct(unit_a.kato) != _direct(unit_a.kato[:4])  # the second unit really differs


def test_a_rebuild_gives_exactly_the_incremental_counters(make_appeal, staff, resident, unit_a2) -> None:
    _activity(
        make_appeal, staff, resident, lambda: make_appeal("roads", unit=unit_a2, now=at(date(2026, 2, 2)))
    )
    columns = ["scope", "month", "category_id", *stats.COUNTERS]
    incremental = sorted(AppealStat.objects.values_list(*columns))
    histogram = sorted(AppealAnswerDays.objects.values_list("scope", "month", "days", "count"))
    stats.stats_rebuild()
    assert sorted(AppealStat.objects.values_list(*columns)) == incremental
    assert sorted(AppealAnswerDays.objects.values_list("scope", "month", "days", "count")) == histogram


def test_figures_read_the_summaries_with_a_fixed_number_of_queries(
    make_appeal, staff, resident, unit_a, unit_a2
) -> None:
    _activity(
        make_appeal, staff, resident, lambda: make_appeal("roads", unit=unit_a2, now=at(date(2026, 2, 2)))
    )
    with CaptureQueriesContext(connection) as queries:
        result = selectors.figures(unit_a.district_code, today=date(2026, 3, 15))
    assert len(queries) == 3
    assert result.totals["registered"] == 6
    # On time: one (answered in 3 days) of three decided (the late answer and the escalated one missed).
    assert result.on_time_share == 1 / 3
    # Answers after 3 and 25 working days: the lower median is 3.
    assert result.median_days == 3
    health = next(row for row in result.by_category if row.category.code == "health")
    assert health.forwarded_share == 1.0
    assert result.forwarded_by_category[0].category.code == "health"
    assert result.top_categories[0].category.code == "roads"


def test_the_median_comes_from_the_histogram() -> None:
    assert selectors.median_from_histogram({}) is None
    assert selectors.median_from_histogram({3: 1}) == 3
    assert selectors.median_from_histogram({1: 2, 5: 1, 60: 1}) == 1
    assert selectors.median_from_histogram({2: 1, 9: 2}) == 9
