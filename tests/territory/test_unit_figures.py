import pytest

from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.territory.models import Territory
from esep.territory.services import unit_set_figures


@pytest.mark.django_db
def test_figures_are_saved_and_audited(unit_a: Territory) -> None:
    unit_set_figures(unit=unit_a, voters=1200, population=1650)
    unit_a.refresh_from_db()
    assert (unit_a.voters, unit_a.population) == (1200, 1650)
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.action == "territory.figures" and event.territory == unit_a.kato


@pytest.mark.django_db
@pytest.mark.parametrize(("voters", "population"), [(-1, 10), (10, -1), (2000, 1000)])
def test_impossible_figures_are_refused(unit_a: Territory, voters: int, population: int) -> None:
    with pytest.raises(ApplicationError):
        unit_set_figures(unit=unit_a, voters=voters, population=population)
    unit_a.refresh_from_db()
    assert unit_a.voters is None


@pytest.mark.django_db
def test_figures_are_for_units_only() -> None:
    region = Territory.objects.get(kato="100000000")
    with pytest.raises(ApplicationError):
        unit_set_figures(unit=region, voters=1, population=2)
