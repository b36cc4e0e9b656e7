"""A look-up: only akimat staff of the unit, only for an open request, only in the unit, only the purpose's
fields; every one audited, refusals too."""

import json

import pytest

from esep.appeals import services as appeal_services
from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.core.iin import iin_fingerprint, mask_iin
from esep.registries.models import Lookup, Outcome, Register
from esep.registries.services import LookupRefused, registry_lookup, resident_of_unit


def test_staff_get_only_the_fields_the_purpose_needs(staff, appeal, person_iin) -> None:
    result = registry_lookup(
        actor=staff, appeal=appeal, register=Register.POPULATION, purpose="residence", subject_iin=person_iin
    )
    assert result.records == [{"unit": appeal.kato, "household_size": 5}]
    lookup = result.lookup
    assert lookup.outcome == Outcome.OK and lookup.fields == ["household_size", "unit"]
    assert lookup.subject_fingerprint == iin_fingerprint(person_iin) and lookup.subject_masked == mask_iin(
        person_iin
    )
    assert lookup.appeal_number == appeal.number and lookup.purpose == "residence"
    social = registry_lookup(
        actor=staff, appeal=appeal, register=Register.SOCIAL, purpose="social_status", subject_iin=person_iin
    )
    assert social.records == [{"status": "targeted", "since": "2023-05-01"}]
    assert "household_size" not in social.records[0]


def test_a_plot_by_cadastral_number_is_traced_to_its_owner(staff, appeal, person_iin) -> None:
    result = registry_lookup(
        actor=staff,
        appeal=appeal,
        register=Register.LAND,
        purpose="land_plot",
        cadastral_number="10-32-30-001",
    )
    assert result.records[0]["area_ha"] == "0.1200" and "unit" not in result.records[0]
    assert result.lookup.subject_fingerprint == iin_fingerprint(person_iin)


def test_the_iin_is_never_stored_or_audited_in_clear(staff, appeal, person_iin) -> None:
    registry_lookup(
        actor=staff, appeal=appeal, register=Register.REAL_ESTATE, purpose="housing", subject_iin=person_iin
    )
    stored = json.dumps(list(Lookup.private_objects.values()), default=str)
    audited = json.dumps(list(AuditEvent.objects.values("data", "subject_id")), default=str)
    assert person_iin not in stored and person_iin not in audited


def _refused(**kwargs) -> Lookup:
    with pytest.raises(LookupRefused) as caught:
        registry_lookup(**kwargs)
    lookup = caught.value.lookup
    assert lookup.outcome == Outcome.REFUSED and lookup.fields == [] and lookup.reason
    event = AuditEvent.objects.get(action="registries.lookup_refused", subject_id=str(lookup.pk))
    assert event.data["outcome"] == "refused" and event.data["reason"] == lookup.reason
    return lookup


def test_a_look_up_outside_the_officials_unit_is_refused_and_audited(other_staff, appeal, person_iin) -> None:
    lookup = _refused(
        actor=other_staff,
        appeal=appeal,
        register=Register.POPULATION,
        purpose="residence",
        subject_iin=person_iin,
    )
    assert "akimat staff" in lookup.reason


def test_a_person_of_another_unit_is_refused_and_audited(staff, appeal, outsider_iin) -> None:
    lookup = _refused(
        actor=staff,
        appeal=appeal,
        register=Register.POPULATION,
        purpose="residence",
        subject_iin=outsider_iin,
    )
    assert "not in the unit" in lookup.reason
    assert lookup.subject_fingerprint == iin_fingerprint(outsider_iin)


def test_a_plot_of_another_unit_is_refused(staff, appeal, outsider_iin) -> None:
    _refused(
        actor=staff,
        appeal=appeal,
        register=Register.LAND,
        purpose="land_plot",
        cadastral_number="11-36-33-001",
    )


def test_a_look_up_without_an_open_request_is_refused_and_audited(staff, appeal, person_iin) -> None:
    appeal_services.appeal_answer(actor=staff, appeal=appeal, answer="Done")
    appeal.refresh_from_db()
    lookup = _refused(
        actor=staff, appeal=appeal, register=Register.POPULATION, purpose="residence", subject_iin=person_iin
    )
    assert "open request" in lookup.reason


def test_residents_and_the_akim_are_not_akimat_staff(resident, akim, appeal, person_iin) -> None:
    for actor in (resident, akim):
        _refused(
            actor=actor,
            appeal=appeal,
            register=Register.POPULATION,
            purpose="residence",
            subject_iin=person_iin,
        )
    assert Lookup.private_objects.filter(outcome=Outcome.REFUSED).count() == 2


def test_nobody_found_is_recorded_as_such(staff, appeal) -> None:
    from .conftest import make_iin

    result = registry_lookup(
        actor=staff,
        appeal=appeal,
        register=Register.POPULATION,
        purpose="residence",
        subject_iin=make_iin(900),
    )
    assert result.records == [] and result.lookup.outcome == Outcome.NOT_FOUND


@pytest.mark.parametrize(
    ("register", "purpose", "iin", "code"),
    [
        (Register.POPULATION, "residence", "123", "invalid_iin"),
        (Register.POPULATION, "housing", None, "invalid_purpose"),
        ("passports", "residence", None, "invalid_register"),
        (Register.LAND, "land_plot", None, "invalid_cadastral"),
    ],
)
def test_bad_input_is_refused_before_anything_is_asked(
    staff, appeal, person_iin, register, purpose, iin, code
) -> None:
    with pytest.raises(ApplicationError) as caught:
        registry_lookup(
            actor=staff, appeal=appeal, register=register, purpose=purpose, subject_iin=iin or person_iin
        )
    assert caught.value.code == code
    assert not Lookup.private_objects.exists()


def test_the_system_residence_check_is_audited(person_iin, outsider_iin, unit_a) -> None:
    assert resident_of_unit(person_iin, unit_a.kato, purpose="recall.signature") is True
    assert resident_of_unit(outsider_iin, unit_a.kato, purpose="recall.signature") is False
    rows = list(Lookup.private_objects.order_by("pk"))
    assert [row.purpose for row in rows] == ["recall.signature", "recall.signature"]
    assert rows[0].appeal is None and rows[0].actor_label == "system"
    assert AuditEvent.objects.filter(action="registries.lookup").count() == 2
    with pytest.raises(ApplicationError):
        resident_of_unit("000", unit_a.kato, purpose="recall.signature")
