"""The models' own validators, the rules every write (form, import, demo) goes through."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from esep.programs.checker import FUNDING_SOURCES
from esep.programs.models import (
    DevelopmentPlan,
    FundingSource,
    LocalBudget,
    PlanItem,
    validate_amounts_by_year,
    validate_kato_list,
)
from esep.territory.models import Territory


def test_the_funding_sources_of_the_models_are_those_of_the_checker() -> None:
    assert tuple(FundingSource.values) == FUNDING_SOURCES


@given(value=st.lists(st.text(alphabet="0123456789a", min_size=8, max_size=10), max_size=4))
def test_a_territory_list_is_distinct_nine_digit_codes(value) -> None:
    valid = bool(value) and all(len(c) == 9 and c.isdigit() for c in value) and len(set(value)) == len(value)
    if valid:
        validate_kato_list(value)
    else:
        with pytest.raises(ValidationError):
            validate_kato_list(value)


@given(
    value=st.dictionaries(
        st.sampled_from(["1999", "2000", "2027", "2100", "2101", "27", "year"]),
        st.one_of(st.integers(-5, 10**12), st.floats(allow_nan=False), st.booleans(), st.text(max_size=3)),
        max_size=3,
    )
)
def test_amounts_by_year_are_whole_non_negative_tenge_keyed_by_year(value) -> None:
    valid = all(
        key.isdigit() and len(key) == 4 and 2000 <= int(key) <= 2100 and type(amount) is int and amount >= 0
        for key, amount in value.items()
    )
    if valid:
        validate_amounts_by_year(value)
    else:
        with pytest.raises(ValidationError):
            validate_amounts_by_year(value)


@pytest.mark.django_db
def test_a_plan_item_keeps_its_years_inside_the_plan_and_commits_no_more_than_allocated() -> None:
    plan = DevelopmentPlan(
        region=Territory.objects.get(kato="100000000"), title="Plan", year_from=2026, year_to=2030
    )
    plan.full_clean()
    plan.save()
    item = PlanItem(
        plan=plan,
        code="X-1",
        title="Item",
        sector="roads",
        territories=["103200000"],
        allocations={"2031": 5},
        committed={"2027": 1},
    )
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert set(caught.value.message_dict) == {"allocations", "committed"}
    item.allocations = {"2027": 5}
    item.full_clean()


@pytest.mark.django_db
def test_a_development_plan_belongs_to_a_region() -> None:
    plan = DevelopmentPlan(
        region=Territory.objects.get(kato="103200000"), title="Plan", year_from=2026, year_to=2030
    )
    with pytest.raises(ValidationError):
        plan.full_clean()


@pytest.mark.django_db
def test_a_local_budget_belongs_to_an_elected_unit(unit_a) -> None:
    LocalBudget(unit=unit_a, year=2026, source="fines", amount_kzt=1).full_clean()
    district = Territory.objects.get(kato="103200000")
    with pytest.raises(ValidationError):
        LocalBudget(unit=district, year=2026, source="fines", amount_kzt=1).full_clean()
