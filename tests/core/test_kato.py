"""KATO prefixes as index ranges: the rows of "starts with", in a form SQLite answers from an index."""

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from esep.core.kato import kato_bounds, kato_prefix, kato_within
from esep.territory.models import Territory

codes = st.text(alphabet="0123456789", min_size=9, max_size=9)
prefixes = st.text(alphabet="0123456789", min_size=1, max_size=9)


@given(code=codes, prefix=prefixes)
def test_a_code_is_in_the_range_exactly_when_it_starts_with_the_prefix(code: str, prefix: str) -> None:
    low, high = kato_bounds(prefix)
    inside = low <= code and (high is None or code < high)
    assert inside == code.startswith(prefix)


def test_the_range_of_nines_has_no_upper_bound_and_a_leading_zero_is_kept() -> None:
    assert kato_bounds("99") == ("99", None)
    assert kato_bounds("09") == ("09", "10")
    assert kato_bounds("1049") == ("1049", "1050")


@pytest.mark.django_db
@pytest.mark.parametrize("kato", ["100000000", "103200000", "103230000", "790000000"])
def test_the_filter_finds_the_same_territories_as_starts_with(kato: str) -> None:
    prefix = kato_prefix(kato)
    expected = set(Territory.objects.filter(kato__startswith=prefix).values_list("kato", flat=True))
    assert expected
    found = Territory.objects.filter(kato_within("kato", prefix)).values_list("kato", flat=True)
    assert set(found) == expected


@pytest.mark.django_db
def test_no_prefix_is_everything_and_a_non_digit_prefix_falls_back_to_starts_with() -> None:
    assert Territory.objects.filter(kato_within("kato", "")).count() == Territory.objects.count()
    assert not Territory.objects.filter(kato_within("kato", "1%")).exists()


@pytest.mark.django_db
def test_sqlite_answers_a_district_of_requests_from_the_index() -> None:
    from esep.appeals.models import Appeal

    if connection.vendor != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    queryset = Appeal.private_objects.filter(kato_within("kato", "1032")).order_by("-registered_at")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)  # noqa: S608 (Django's own compiled query)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING INDEX appeal_kato" in plan, plan
