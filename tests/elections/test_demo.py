"""The national demo: every elected-akim unit gets its akim, and the corps matches the quoted figures."""

import io

import pytest

from esep.core.audit.chain import audit_verify
from esep.core.audit.models import AuditEvent
from esep.demo import accounts
from esep.elections import demo, selectors
from esep.elections.models import Election, Mandate, Person
from esep.territory.models import Territory

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_unit_with_the_national_figures_and_runs_once() -> None:
    accounts.run(out=io.StringIO())
    out = io.StringIO()
    demo.run(out=out)
    units = Territory.objects.elected_units()
    assert units.count() == 2321
    assert units.filter(voters__isnull=True).count() == 0
    assert sum(units.values_list("population", flat=True)) == demo.RURAL_POPULATION
    assert all(0.62 <= u.voters / u.population <= 0.70 for u in units.only("voters", "population"))
    assert Mandate.objects.current().count() == 2321

    corps = selectors.composition(None)
    assert corps.akims_in_office == 2321
    assert abs(corps.average_age - 43) <= 1
    assert abs(corps.first_time_share - 0.60) <= 0.02
    assert abs(corps.no_civil_service_share - 0.33) <= 0.02
    assert 1 <= corps.candidates_per_election <= 4
    assert {share.code for share in corps.by_party} >= {"AMANAT", "SELF", "AUYL"}
    assert Election.objects.filter(kind="early").exists() and Election.objects.filter(kind="repeat").exists()
    assert Mandate.objects.exclude(ended_on=None).exists()  # some units with a past mandate
    assert "average age 43" in out.getvalue()

    akim = selectors.current_mandate(Territory.objects.get(kato=demo.DEMO_AKIM_UNIT)).person
    assert akim.user.username == "demo.akim" and akim.full_name == demo.DEMO_AKIM[0]
    assert akim.mandates.count() == 2  # re-elected: a third consecutive term would be refused
    assert audit_verify().intact

    events, persons = AuditEvent.objects.count(), Person.objects.count()
    again = io.StringIO()
    demo.run(out=again)
    assert "already loaded" in again.getvalue()
    assert (AuditEvent.objects.count(), Person.objects.count()) == (events, persons)


def test_the_demo_is_the_same_every_time() -> None:
    units = list(Territory.objects.elected_units().order_by("kato"))
    for unit in units:
        unit.voters = 2000  # figures only feed the signatures; the plan itself is not written here
    first = demo.DemoPlan(units=units, today=demo.REGULAR_2025.replace(year=2026))
    first.build()
    second = demo.DemoPlan(units=units, today=demo.REGULAR_2025.replace(year=2026))
    second.build()
    assert first.elections == second.elections
    assert [p.full_name for p in first.persons.values()] == [p.full_name for p in second.persons.values()]
