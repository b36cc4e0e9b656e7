"""The dashboard's figures equal what the services recorded, read from the summary tables."""

from datetime import timedelta

from django.utils import timezone

from esep.core.workdays import working_days_between
from esep.dashboard import selectors
from esep.reports.models import ReportStat
from esep.territory.models import Territory


def _row(rows, kato):
    return next(row for row in rows if row.kato == kato)


def test_region_rows_add_up_the_units_of_each_region(world) -> None:
    rows = selectors.area_rows(None, today=timezone.localdate())
    assert len(rows) == 20
    abay = _row(rows, world.unit_a.region_code)
    assert abay.akims == 2 and abay.promises == 4
    assert abay.values["promises_kept"] == 0.25
    assert abay.values["promises_broken"] == 0.25
    assert abay.values["requests_registered"] == 3
    assert abay.values["requests_forwarded"] == 1 / 3
    assert abay.values["requests_on_time"] == 1.0
    assert abay.values["akims_first_time"] == 1.0
    assert abay.values["akims_trained"] == 0.5  # akim A holds every required module, akim A2 none
    akmola = _row(rows, world.unit_b.region_code)
    assert akmola.values["promises_kept"] == 0.0 and akmola.values["requests_registered"] == 1
    today = timezone.localdate()
    assert akmola.values["requests_median_days"] == working_days_between(today - timedelta(days=3), today)


def test_an_area_without_activity_has_no_shares_but_zero_requests(world) -> None:
    rows = selectors.area_rows(None, today=timezone.localdate())
    empty = _row(rows, "750000000")  # Almaty city: no elected akims
    assert empty.akims == 0
    assert empty.values["promises_kept"] is None
    assert empty.values["requests_on_time"] is None
    assert empty.values["requests_registered"] == 0


def test_a_district_lists_its_elected_units_with_their_own_figures(world) -> None:
    district = Territory.objects.get(kato=world.unit_a.district_code)
    rows = selectors.area_rows(district, today=timezone.localdate())
    assert all(row.territory.level == "unit" and row.territory.has_elected_akim for row in rows)
    unit_a, unit_a2 = _row(rows, world.unit_a.kato), _row(rows, world.unit_a2.kato)
    assert unit_a.values["promises_overdue"] == 0.0 and unit_a.promises == 4
    assert unit_a2.promises == 0 and unit_a2.values["promises_kept"] is None
    assert unit_a.values["akims_trained"] == 1.0 and unit_a2.values["akims_trained"] == 0.0


def test_the_dashboard_totals_match_the_rows(world) -> None:
    region = Territory.objects.get(kato=world.unit_a.region_code)
    board = selectors.dashboard(region, today=timezone.localdate())
    assert board.corps.akims_in_office == 2
    assert board.promises["promises"] == 4 and board.promise_shares["kept"] == 0.25
    assert board.requests.totals["registered"] == 3
    assert sum(month.registered for month in board.months) == 3
    assert len(board.months) == selectors.MONTHS
    assert board.trained == 1 and board.trained_share == 0.5


def test_rows_sort_by_an_indicator_with_areas_without_data_last(world) -> None:
    rows = selectors.area_rows(None, today=timezone.localdate())
    by_requests = selectors.sort_rows(rows, "-requests_registered")
    assert [row.kato for row in by_requests[:2]] == [world.unit_a.region_code, world.unit_b.region_code]
    by_kept = selectors.sort_rows(rows, "promises_kept")
    assert by_kept[0].kato == world.unit_b.region_code  # 0% kept comes before 25%
    assert all(row.values["promises_kept"] is None for row in by_kept[2:])
    by_name = selectors.sort_rows(rows, "-name")
    assert [row.name for row in by_name] == sorted((row.name for row in rows), key=str.casefold, reverse=True)


def test_an_unknown_sort_falls_back_to_the_name(world) -> None:
    indicators = selectors.available_indicators()
    assert selectors.valid_sort("--promises_kept", indicators) == "name"
    assert selectors.valid_sort("drop table", indicators) == "name"
    assert selectors.valid_sort(None, indicators) == "name"
    assert selectors.valid_sort("-akims_trained", indicators) == "-akims_trained"


def test_report_figures_come_from_the_report_summary_of_each_unit(world) -> None:
    region = Territory.objects.get(kato=world.unit_a.region_code)
    board = selectors.dashboard(region, today=timezone.localdate())
    stats = ReportStat.objects.filter(region=region.kato)
    due = sum(stat.due for stat in stats)
    assert stats.count() == 2 and due > 0  # both akims have had a report fall due in their first year
    assert board.reports.due == due and board.reports.on_time == 0
    assert board.reports.units_overdue == sum(1 for stat in stats if stat.overdue)
    row = next(row for row in board.rows if row.kato == world.unit_a.district_code)
    assert row.values["reports_on_time"] == 0.0 and row.values["reports_rating"] is None


def test_recall_initiatives_under_way_count_in_their_region(world, initiative_b) -> None:
    rows = selectors.area_rows(None, today=timezone.localdate())
    assert _row(rows, world.unit_b.region_code).values["recall_active"] == 1
    assert _row(rows, world.unit_a.region_code).values["recall_active"] == 0
    akmola = Territory.objects.get(kato=world.unit_b.region_code)
    board = selectors.dashboard(akmola, today=timezone.localdate())
    assert board.recall.active == 1 and board.recall.awaiting == 1 and board.recall.signing == 0
