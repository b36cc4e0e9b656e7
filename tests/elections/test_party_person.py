"""Parties and persons: the party list is editable; a person's IIN is kept only as fingerprint and mask."""

from datetime import date

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.core.iin import InvalidIIN, iin_fingerprint, parse_iin
from esep.elections import services
from esep.elections.models import Party, Person
from tests.elections.factories import make_party, make_person, new_iin

pytestmark = pytest.mark.django_db


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-sequence").first()


def test_a_party_is_created_then_renamed_and_deregistered_with_audit() -> None:
    party = services.party_save(code="baitak", name_kk="Байтақ", name_ru="Байтак", name_en="Baitak")
    assert party.code == "BAITAK" and party.is_registered
    assert last_event().action == "elections.party_save" and last_event().data["created"] is True
    services.party_save(
        code="BAITAK", name_kk="Байтақ", name_ru="Байтак", name_en="Baitak Greens", is_registered=False
    )
    party.refresh_from_db()
    assert (party.name_en, party.is_registered) == ("Baitak Greens", False)
    assert Party.objects.filter(code="BAITAK").count() == 1


@pytest.mark.parametrize(
    ("code", "names"),
    [("A", ("k", "r", "e")), ("1ABC", ("k", "r", "e")), ("AB-C", ("k", "r", "e")), ("ABC", ("k", "", "e"))],
)
def test_a_party_needs_a_clean_code_and_three_names(code: str, names: tuple[str, str, str]) -> None:
    with pytest.raises(ApplicationError):
        services.party_save(code=code, name_kk=names[0], name_ru=names[1], name_en=names[2])
    assert not Party.objects.exists()


def test_party_name_follows_the_language() -> None:
    party = make_party("AK_ZHOL")
    with translation.override("kk"):
        assert party.name == party.name_kk
    with translation.override("en"):
        assert party.name == "Ak Zhol Party"
    with translation.override("ru"):
        assert party.name == party.name_ru


def test_a_person_keeps_birth_date_and_sex_from_the_iin_but_never_the_iin() -> None:
    iin = new_iin(date(1979, 11, 2), "F")
    person = make_person(iin=iin, sex="F", birth_date=date(1979, 11, 2), full_name="  Сапарова   Айгүл ")
    person.refresh_from_db()
    assert person.birth_date == date(1979, 11, 2) and person.sex == "F"
    assert person.full_name == "Сапарова Айгүл"
    assert person.iin_fingerprint == iin_fingerprint(iin)
    assert person.iin_masked == f"{iin[:2]}********{iin[-2:]}"
    stored = [str(value) for value in Person.objects.values().get(pk=person.pk).values()]
    assert all(iin not in value for value in stored)
    event = last_event()
    assert event.action == "elections.person_register" and iin not in str(event.data)


def test_the_same_iin_cannot_be_registered_twice() -> None:
    iin = new_iin(date(1985, 1, 1))
    make_person(iin=iin)
    with pytest.raises(ApplicationError, match="already registered"):
        make_person(iin=iin, full_name="Другой Человек")


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=14))
def test_an_invalid_iin_is_refused_with_a_reason(value: str) -> None:
    try:
        parse_iin(value)
    except InvalidIIN:
        with pytest.raises(ApplicationError) as caught:
            services.person_identity(value)
        assert str(caught.value)
    else:
        assert services.person_identity(value)[0] == iin_fingerprint(value)


def test_person_update_changes_only_what_changed_and_audits_the_fields() -> None:
    amanat = make_party("AMANAT")
    person = make_person()
    services.person_update(
        person=person,
        full_name=person.full_name,
        education="postgraduate",
        civil_service_years=person.civil_service_years,
        biography="Агроном.",
        party=amanat,
    )
    person.refresh_from_db()
    assert (person.education, person.biography, person.party) == ("postgraduate", "Агроном.", amanat)
    assert sorted(last_event().data["changed"]) == ["biography", "education", "party"]
    before = AuditEvent.objects.count()
    services.person_update(
        person=person,
        full_name=person.full_name,
        education=person.education,
        civil_service_years=person.civil_service_years,
        biography=person.biography,
        party=person.party,
    )
    assert AuditEvent.objects.count() == before


def test_a_new_member_cannot_join_a_deregistered_party() -> None:
    gone = make_party("OSDP", is_registered=False)
    with pytest.raises(ApplicationError, match="not a registered party"):
        make_person(party=gone)
