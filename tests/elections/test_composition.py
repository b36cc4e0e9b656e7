"""Composition of the sitting akims: age, first-time share, civil-service share, parties, turnout."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from esep.elections import selectors, services
from esep.elections.models import EndReason, Nomination
from esep.territory.models import Territory
from tests.elections.factories import ensure_voters, make_person, make_sitting_akim, run_election

pytestmark = pytest.mark.django_db


def test_the_figures_of_a_district(
    unit: Territory, unit_a2: Territory, unit_b: Territory, amanat, today: date
) -> None:
    ensure_voters(unit_a2)
    ensure_voters(unit_b)
    on = date(2026, 1, 1)
    # Unit A: an akim born 1980 (45 on the day), first mandate, no civil service.
    make_sitting_akim(
        unit, person=make_person(party=amanat, birth_date=date(1980, 6, 1), civil_service_years=0)
    )
    # Unit A2: a self-nominee born 1970 (55), who had served in unit B before.
    veteran = make_person(
        birth_date=date(1970, 6, 1), civil_service_years=12, full_name="Ветеран Ветеранов", sex="F"
    )
    earlier = make_sitting_akim(unit_b, person=veteran, starts_on=today - timedelta(days=900))
    services.mandate_end(mandate=earlier, reason=EndReason.RESIGNATION, on=today - timedelta(days=400))
    make_sitting_akim(unit_a2, person=veteran, starts_on=today - timedelta(days=200))
    district = Territory.objects.get(kato=unit.district_code)
    corps = selectors.composition(district, on=on)
    assert corps.akims_in_office == 2
    assert corps.units == Territory.objects.elected_units().filter(kato__startswith=unit.kato[:4]).count()
    assert corps.average_age == 50.0
    assert corps.first_time_share == 0.5
    assert corps.no_civil_service_share == 0.5
    assert corps.women_share == 0.5
    assert corps.candidates_per_election == 2.0
    assert corps.turnout == pytest.approx(2000 / 4000)
    assert [(share.code, share.akims, share.share) for share in corps.by_party] == [
        ("AMANAT", 1, 0.5),
        (selectors.SELF_NOMINATED, 1, 0.5),
    ]
    groups = {group.label: group.akims for group in corps.age_groups}
    assert groups["45–49"] == 1 and groups["55–59"] == 1 and sum(groups.values()) == 2
    # Unit B's akim resigned: the country counts two sitting akims, and B's early election is under way.
    assert selectors.composition(None).akims_in_office == 2
    region_b = Territory.objects.get(kato=unit_b.region_code)
    assert selectors.composition(region_b).akims_in_office == 0


def test_no_akims_gives_empty_figures_not_errors(db: None) -> None:
    region = Territory.objects.get(kato="100000000")
    corps = selectors.composition(region)
    assert corps.akims_in_office == 0 and corps.average_age is None and corps.by_party == []
    assert corps.vacant_units == corps.units > 0


def test_superior_akim_nominees_are_counted_apart(unit: Territory, voting_day: date) -> None:
    run_election(
        unit,
        [(make_person(full_name="Назначен"), Nomination.SUPERIOR_AKIM, None)],
        [700],
        voting_date=voting_day,
    )
    assert [share.code for share in selectors.composition(None).by_party] == [selectors.SUPERIOR_AKIM]


def test_the_composition_takes_three_queries_whatever_the_number_of_akims(unit, unit_a2, amanat) -> None:
    ensure_voters(unit_a2)
    make_sitting_akim(unit, party=amanat)
    with CaptureQueriesContext(connection) as one:
        selectors.composition(None)
    make_sitting_akim(unit_a2, party=amanat, person=make_person(party=amanat, full_name="Второй Аким"))
    with CaptureQueriesContext(connection) as two:
        selectors.composition(None)
    assert len(one) == len(two) == 3
