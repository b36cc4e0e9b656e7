"""A party withdraws its akim: only an officer of the party that nominated this akim, only for its own
nominee, with the decision as a PDF; the commission registers it, the mandate ends ("withdrawn by the party"),
an early election is called and a recall initiative under way becomes void."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from esep.core.errors import ApplicationError
from esep.core.models import Role
from esep.elections.models import Election, ElectionKind, EndReason
from esep.recall import services
from esep.recall.models import PartyWithdrawal
from esep.recall.states import State
from esep.territory.models import Territory
from tests.elections.factories import make_party, make_person, make_sitting_akim
from tests.recall.factories import collecting_initiative

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def document(content: bytes = PDF, name: str = "decision.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def officer(make_user, unit):
    return make_user(Role.PARTY_OFFICER, Territory.objects.get(kato=unit.region_code), party_code="AMANAT")


def file(mandate, actor, today, **changes) -> PartyWithdrawal:
    values = {
        "mandate": mandate,
        "decision_number": "12-П",
        "decision_date": today - timedelta(days=2),
        "grounds": "Невыполнение предвыборной программы партии.",
        "document": document(),
        "actor": actor,
    }
    return services.party_withdrawal_file(**{**values, **changes})


def test_the_nominating_partys_officer_files_and_the_commission_registers(
    mandate, officer, commission, today, unit
) -> None:
    withdrawal = file(mandate, officer, today)
    assert (withdrawal.state, withdrawal.party.code, withdrawal.kato) == ("filed", "AMANAT", unit.kato)
    assert withdrawal.document.read() == PDF
    services.party_withdrawal_register(withdrawal=withdrawal, actor=commission)
    withdrawal.refresh_from_db()
    mandate.refresh_from_db()
    assert (withdrawal.state, withdrawal.decided_on) == ("registered", today)
    assert (mandate.ended_on, mandate.end_reason) == (today, EndReason.PARTY_WITHDRAWN)
    assert "12-П" in mandate.end_note
    early = Election.objects.open().get(rural_unit=unit)
    assert early.kind == ElectionKind.EARLY
    with pytest.raises(ApplicationError, match="cannot become"):
        services.party_withdrawal_register(withdrawal=withdrawal, actor=commission)


def test_an_officer_of_another_party_or_territory_cannot_withdraw(
    mandate, make_user, unit, unit_b, today
) -> None:
    make_party("AUYL")
    other_party = make_user(
        Role.PARTY_OFFICER, Territory.objects.get(kato=unit.region_code), party_code="AUYL"
    )
    other_region = make_user(
        Role.PARTY_OFFICER, Territory.objects.get(kato=unit_b.region_code), party_code="AMANAT"
    )
    for actor in (other_party, other_region, make_user(Role.COMMISSION, None)):
        with pytest.raises(ApplicationError, match="Only an officer of") as refused:
            file(mandate, actor, today)
        assert refused.value.code == "not_the_party"
    assert not PartyWithdrawal.objects.exists()


def test_a_self_nominated_akim_cannot_be_withdrawn_by_any_party(unit_b, make_user, today) -> None:
    from esep.territory.services import unit_set_figures

    unit_set_figures(unit=unit_b, voters=100, population=200)
    independent = make_sitting_akim(unit_b, person=make_person(party=None))
    officer = make_user(Role.PARTY_OFFICER, None, party_code="AMANAT")
    with pytest.raises(ApplicationError, match="not nominated by a party") as refused:
        file(independent, officer, today)
    assert refused.value.code == "no_party"


def test_the_nominating_party_decides_not_the_party_the_akim_joined_later(mandate, make_user, today) -> None:
    from esep.elections.services import person_update

    person = mandate.person
    person_update(
        person=person,
        full_name=person.full_name,
        education=person.education,
        civil_service_years=person.civil_service_years,
        biography="",
        party=make_party("AUYL"),
    )
    auyl_officer = make_user(Role.PARTY_OFFICER, None, party_code="AUYL")
    amanat_officer = make_user(Role.PARTY_OFFICER, None, party_code="AMANAT")
    with pytest.raises(ApplicationError, match="Only an officer of"):
        file(mandate, auyl_officer, today)
    assert file(mandate, amanat_officer, today).party.code == "AMANAT"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"document": None}, "Attach the party's decision"),
        ({"document": document(b"GIF89a...", "decision.pdf")}, "must be a PDF"),
        ({"decision_number": " "}, "Give the number"),
        ({"grounds": ""}, "Give the grounds"),
    ],
)
def test_the_decision_must_be_complete(mandate, officer, today, changes, message) -> None:
    with pytest.raises(ApplicationError, match=message):
        file(mandate, officer, today, **changes)


def test_a_decision_dated_in_the_future_is_refused_and_one_is_pending_at_a_time(
    mandate, officer, today
) -> None:
    with pytest.raises(ApplicationError, match="in the future"):
        file(mandate, officer, today, decision_date=today + timedelta(days=1))
    file(mandate, officer, today)
    with pytest.raises(ApplicationError, match="already filed"):
        file(mandate, officer, today)


def test_registration_voids_a_recall_initiative_under_way(
    mandate, officer, commission, unit, residents, today
) -> None:
    initiative = collecting_initiative(unit, residents, commission)
    services.party_withdrawal_register(withdrawal=file(mandate, officer, today), actor=commission)
    initiative.refresh_from_db()
    assert (initiative.state, initiative.closed_on) == (State.VOID, today)
    assert initiative.events.last().by == "party"


def test_the_commission_of_the_territory_refuses_with_a_reason(
    mandate, officer, commission, other_commission, today
) -> None:
    withdrawal = file(mandate, officer, today)
    with pytest.raises(ApplicationError, match="Only the election commission"):
        services.party_withdrawal_register(withdrawal=withdrawal, actor=other_commission)
    with pytest.raises(ApplicationError, match="Give the reason"):
        services.party_withdrawal_refuse(withdrawal=withdrawal, reason="", actor=commission)
    services.party_withdrawal_refuse(withdrawal=withdrawal, reason="Решение не подписано.", actor=commission)
    withdrawal.refresh_from_db()
    mandate.refresh_from_db()
    assert (withdrawal.state, withdrawal.refusal_reason) == ("refused", "Решение не подписано.")
    assert mandate.ended_on is None
