"""SQLite planner statistics follow the data: missing or stale tables are analysed, others left alone."""

import pytest
from django.db import connection

from esep.core.statistics import stale_tables, statistics_refresh
from esep.territory.models import Territory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its own statistics")


def _forget(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sqlite_schema")  # makes sure sqlite_stat1 exists
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])


def test_a_table_with_rows_and_no_statistics_is_analysed_once() -> None:
    _forget("territory_territory")
    assert "territory_territory" in stale_tables()
    assert "statistics refreshed" in statistics_refresh()
    assert "territory_territory" not in stale_tables()
    assert statistics_refresh() == "statistics refreshed for 0 tables"


def test_a_table_that_grew_past_twice_its_analysed_size_is_analysed_again() -> None:
    statistics_refresh()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sqlite_stat1 SET stat = '10' || substr(stat, instr(stat, ' ')) WHERE tbl = %s",
            ["territory_territory"],
        )
    assert Territory.objects.count() > 20
    assert "territory_territory" in stale_tables()


def test_empty_tables_are_left_alone() -> None:
    from esep.recall.models import Signature

    assert not Signature.private_objects.exists()
    assert "recall_signature" not in stale_tables()


def test_a_table_with_partial_indexes_is_not_analysed_again_and_again(make_user, unit_a) -> None:
    from esep.core.models import Role

    for _n in range(3):
        make_user(Role.RESIDENT, unit_a)
    make_user(Role.ANALYST, None)  # the partial index of nationwide grants holds this one row
    statistics_refresh()
    assert "core_roleassignment" not in stale_tables()


def test_the_tick_looks_for_stale_tables_at_most_once_an_hour() -> None:
    from esep.core.statistics import tick_step

    assert tick_step().startswith("statistics refreshed for")
    assert tick_step() == "statistics: refreshed within the last hour"
