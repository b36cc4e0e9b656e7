"""Analysts' edits of the catalogue: through the services, validated, each change audited with old and new."""

import pytest

from esep.core.audit.chain import audit_verify
from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.powers import services
from esep.powers.models import Power


def new_power(analyst, **overrides: str) -> Power:
    values = {
        "code": "sport.village_games",
        "level": "rural",
        "sector": "sport",
        "text_ru": "Проводит сельские игры.",
        "text_kk": "Ауылдық ойындар өткізеді.",
        "act": "Test act",
        "status": "proposed",
    }
    return services.power_create(actor=analyst, **{**values, **overrides})


@pytest.mark.django_db
def test_creating_a_power_is_audited_with_its_values(analyst) -> None:
    power = new_power(analyst)
    event = AuditEvent.objects.get(action="powers.create", subject_id=str(power.pk))
    assert event.actor_id == analyst.pk and event.data["code"] == "sport.village_games"
    assert event.data["status"] == "proposed" and "сельские" in power.search_text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": "roads.maintenance"}, "exists already"),
        ({"code": "No Dots"}, "lower-case words joined by dots"),
        ({"level": "other"}, "Name the body"),
        ({"text_ru": "  "}, "Text in Russian: "),  # the field's label, never the attribute name
    ],
)
def test_a_power_that_breaks_a_rule_is_refused(analyst, overrides, message) -> None:
    count = Power.objects.count()
    with pytest.raises(ApplicationError, match=message):
        new_power(analyst, **overrides)
    assert Power.objects.count() == count


@pytest.mark.django_db
def test_an_update_records_each_changed_field_and_a_no_change_records_nothing(analyst) -> None:
    power = new_power(analyst)
    services.power_update(actor=analyst, power=power, text_ru="Проводит сельские игры летом.", item="1.9")
    event = AuditEvent.objects.filter(action="powers.update").latest("sequence")
    assert event.data["changes"] == {
        "text_ru": ["Проводит сельские игры.", "Проводит сельские игры летом."],
        "item": ["", "1.9"],
    }
    count = AuditEvent.objects.count()
    services.power_update(actor=analyst, power=power, text_ru="Проводит сельские игры летом.")
    assert AuditEvent.objects.count() == count
    power.refresh_from_db()
    assert "летом" in power.search_text
    assert audit_verify().intact


@pytest.mark.django_db
def test_the_code_cannot_change_and_a_bad_status_is_refused(analyst) -> None:
    power = new_power(analyst)
    with pytest.raises(ApplicationError, match="cannot be changed: code"):
        services.power_update(actor=analyst, power=power, code="sport.other")
    with pytest.raises(ApplicationError, match="status of the list"):
        services.power_set_status(actor=analyst, power=power, status="abolished")
    services.power_set_status(actor=analyst, power=power, status="in_force")
    power.refresh_from_db()
    assert power.status == "in_force"


@pytest.mark.django_db
def test_an_update_that_breaks_a_rule_leaves_the_power_as_it_was(analyst) -> None:
    power = new_power(analyst)
    with pytest.raises(ApplicationError, match="Name the body"):
        services.power_update(actor=analyst, power=power, level="other")
    power.refresh_from_db()
    assert power.level == "rural"


@pytest.mark.django_db
def test_a_sector_owner_must_not_be_the_rural_akim_and_needs_a_body_for_other(analyst) -> None:
    with pytest.raises(ApplicationError, match="not listed here"):
        services.sector_owner_set(actor=analyst, sector="roads", level="rural")
    with pytest.raises(ApplicationError, match="Name the body"):
        services.sector_owner_set(actor=analyst, sector="roads", level="other")
    owner = services.sector_owner_set(
        actor=analyst, sector="roads", level="other", body="Ministry of Transport"
    )
    assert AuditEvent.objects.filter(action="powers.sector_owner", subject_id=str(owner.pk)).exists()
