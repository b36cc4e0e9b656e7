"""Nomination: a party's member (one per party), a self-nominee with 1% of voters' signatures, or the superior
akim's candidate when fewer than two are nominated; at least 25 on voting day; no third consecutive term."""

from datetime import date, timedelta

import pytest

from esep.core.errors import ApplicationError
from esep.elections import rules, services
from esep.elections.models import Candidacy, CandidacyStatus, ElectionStatus, Nomination
from esep.territory.models import Territory
from tests.elections.factories import (
    ensure_voters,
    make_person,
    make_sitting_akim,
    open_election,
    run_election,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(unit: Territory, voting_day: date):
    return open_election(unit, voting_date=voting_day)


def nominate(election, person, nomination=Nomination.PARTY, party=None, signatures=None, on=None):
    return services.candidacy_nominate(
        election=election,
        person=person,
        nomination=nomination,
        party=party,
        signatures=signatures,
        on=on or election.called_on,
    )


def test_a_party_nominates_its_member(election, amanat) -> None:
    candidacy = nominate(election, make_person(party=amanat), party=amanat)
    assert (candidacy.status, candidacy.party, candidacy.signatures) == (
        CandidacyStatus.NOMINATED,
        amanat,
        None,
    )


def test_it_refuses_two_candidates_from_one_party(election, amanat) -> None:
    nominate(election, make_person(party=amanat), party=amanat)
    with pytest.raises(
        ApplicationError, match="already has a candidate in this election: one candidate per party"
    ):
        nominate(election, make_person(party=amanat, full_name="Ахметов Нұрлан"), party=amanat)
    assert Candidacy.objects.filter(election=election).count() == 1


def test_a_party_may_nominate_again_after_its_candidate_withdrew(election, amanat) -> None:
    first = nominate(election, make_person(party=amanat), party=amanat)
    services.candidacy_withdraw(candidacy=first, on=election.called_on)
    nominate(election, make_person(party=amanat, full_name="Ахметов Нұрлан"), party=amanat)


def test_a_party_cannot_nominate_a_non_member(election, amanat, auyl) -> None:
    with pytest.raises(ApplicationError, match="is not a member of"):
        nominate(election, make_person(party=auyl), party=amanat)
    with pytest.raises(ApplicationError, match="is not a member of"):
        nominate(election, make_person(party=None), party=amanat)


def test_a_deregistered_party_cannot_nominate(election, amanat) -> None:
    member = make_person(party=amanat)
    services.party_save(code="AMANAT", name_kk="A", name_ru="A", name_en="A", is_registered=False)
    amanat.refresh_from_db()
    with pytest.raises(ApplicationError, match="not a registered party"):
        nominate(election, member, party=amanat)


def test_it_refuses_an_underage_candidate(election) -> None:
    voting = election.voting_date
    almost = make_person(birth_date=voting.replace(year=voting.year - 25) + timedelta(days=1))
    with pytest.raises(ApplicationError, match="will be 24 on voting day.*at least 25"):
        nominate(election, almost, Nomination.SELF, signatures=20)
    exactly = make_person(birth_date=voting.replace(year=voting.year - 25), full_name="Жас Кандидат")
    assert nominate(election, exactly, Nomination.SELF, signatures=20).pk


def test_a_self_nominee_needs_signatures_of_one_percent_of_voters(election, unit: Territory) -> None:
    assert unit.voters == 2000
    with pytest.raises(ApplicationError, match="at least 1% of the voters: 20 of 2000.*19 were submitted"):
        nominate(election, make_person(), Nomination.SELF, signatures=19)
    with pytest.raises(ApplicationError, match="0 were submitted"):
        nominate(election, make_person(full_name="Без Подписей"), Nomination.SELF, signatures=None)
    assert (
        nominate(election, make_person(full_name="С Подписями"), Nomination.SELF, signatures=20).signatures
        == 20
    )


def test_signatures_cannot_be_checked_without_the_voter_count(unit_b: Territory, today: date) -> None:
    assert unit_b.voters is None
    election = services.election_advance(
        election=services.election_call(
            unit=unit_b, kind="regular", voting_date=today + timedelta(days=40), on=today
        ),
        on=today,
    )
    with pytest.raises(ApplicationError, match="number of voters .* is not recorded"):
        nominate(election, make_person(), Nomination.SELF, signatures=500)


def test_the_superior_akim_nominates_only_when_fewer_than_two_are_nominated(election, amanat, auyl) -> None:
    nominate(election, make_person(party=amanat), party=amanat)
    services.election_advance(election=election, on=election.nomination_closes)
    superior = nominate(
        election,
        make_person(full_name="Назначенный Кандидат"),
        Nomination.SUPERIOR_AKIM,
        on=election.registration_closes,
    )
    assert superior.nomination == Nomination.SUPERIOR_AKIM
    with pytest.raises(ApplicationError, match="only when fewer than two are nominated; this election has 2"):
        nominate(
            election,
            make_person(full_name="Ещё Один"),
            Nomination.SUPERIOR_AKIM,
            on=election.registration_closes,
        )


def test_nomination_closes_25_days_before_the_vote(election, amanat) -> None:
    with pytest.raises(ApplicationError, match="Nomination is not open"):
        nominate(
            election,
            make_person(party=amanat),
            party=amanat,
            on=election.nomination_closes + timedelta(days=1),
        )
    services.election_advance(election=election, on=election.nomination_closes)
    with pytest.raises(ApplicationError, match="Nomination is not open"):
        nominate(
            election,
            make_person(party=amanat, full_name="Поздний"),
            party=amanat,
            on=election.nomination_closes,
        )


def test_a_person_stands_once_per_election(election, amanat) -> None:
    person = make_person(party=amanat)
    nominate(election, person, party=amanat)
    with pytest.raises(ApplicationError, match="already a candidate in this election"):
        nominate(election, person, Nomination.SELF, signatures=30)


def test_it_refuses_a_third_consecutive_term(unit: Territory, amanat, today: date) -> None:
    akim = make_person(party=amanat)
    make_sitting_akim(unit, person=akim, starts_on=today - timedelta(days=8 * 365 + 30))
    second_term_vote = today - timedelta(days=4 * 365 + 10)
    run_election(
        unit,
        [(akim, Nomination.PARTY, amanat), (make_person(full_name="Соперник"), Nomination.SELF, None)],
        [600, 400],
        voting_date=second_term_vote,
    )
    third = open_election(unit, voting_date=today + timedelta(days=40))
    with pytest.raises(ApplicationError, match="two consecutive terms .* nobody may start a third"):
        nominate(third, akim, party=amanat)


def test_a_sitting_akim_of_another_unit_cannot_stand(
    unit: Territory, unit_a2: Territory, amanat, voting_day
) -> None:
    akim = make_person(party=amanat)
    make_sitting_akim(unit_a2, person=akim)
    election = open_election(unit, voting_date=voting_day)
    with pytest.raises(
        ApplicationError, match="is the sitting akim of .* must end before they stand elsewhere"
    ):
        nominate(election, akim, party=amanat)


def test_a_person_stands_in_one_election_at_a_time(unit: Territory, unit_a2: Territory, voting_day) -> None:
    ensure_voters(unit_a2)
    person = make_person()
    nominate(open_election(unit, voting_date=voting_day), person, Nomination.SELF, signatures=40)
    with pytest.raises(ApplicationError, match="already standing in another election"):
        nominate(open_election(unit_a2, voting_date=voting_day), person, Nomination.SELF, signatures=40)


def test_a_recall_vote_has_no_candidates(unit: Territory, amanat, today: date) -> None:
    mandate = make_sitting_akim(unit, party=amanat)
    recall = services.election_call(
        unit=unit, kind="recall", voting_date=today + timedelta(days=40), on=today, recall_of=mandate
    )
    with pytest.raises(ApplicationError, match="recall vote has no candidates"):
        nominate(recall, make_person(full_name="Кто-то"), Nomination.SELF, signatures=50, on=today)


def test_register_refuse_and_withdraw(election, amanat) -> None:
    registered = nominate(election, make_person(party=amanat), party=amanat)
    refused = nominate(
        election, make_person(full_name="Отказ"), Nomination.SELF, signatures=rules.signatures_required(2000)
    )
    with pytest.raises(ApplicationError, match="reason"):
        services.candidacy_refuse(candidacy=refused, reason=" ", on=election.called_on)
    services.candidacy_register(candidacy=registered, on=election.called_on)
    services.candidacy_refuse(candidacy=refused, reason="Подписи недействительны.", on=election.called_on)
    with pytest.raises(ApplicationError, match="registered already"):
        services.candidacy_register(candidacy=registered, on=election.called_on)
    with pytest.raises(ApplicationError, match="until"):
        services.candidacy_withdraw(candidacy=registered, on=election.registration_closes + timedelta(days=1))
    refused.refresh_from_db()
    assert (refused.status, refused.refusal_reason) == (CandidacyStatus.REFUSED, "Подписи недействительны.")
    assert election.status == ElectionStatus.NOMINATION
