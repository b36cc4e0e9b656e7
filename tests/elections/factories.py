"""Test data for elections, made through the real services (other apps' tests import these too).

    party = make_party("AMANAT")
    person = make_person(party=party, birth_date=date(1980, 5, 1))
    mandate = make_sitting_akim(unit_a, party=party)

`make_sitting_akim` runs a whole regular election: call, nomination, registration, vote and result.
"""

import itertools
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from esep.core.iin import generate_valid_iin
from esep.elections import rules, services
from esep.elections.models import (
    Candidacy,
    Election,
    ElectionKind,
    ElectionResult,
    ElectionStatus,
    Mandate,
    Nomination,
    Party,
    Person,
)
from esep.territory.models import Territory
from esep.territory.services import unit_set_figures

PARTY_NAMES = {
    "AMANAT": ("«AMANAT» партиясы", "Партия «AMANAT»", "AMANAT Party"),
    "AK_ZHOL": ("«Ақ жол» партиясы", "Партия «Ак жол»", "Ak Zhol Party"),
    "AUYL": ("«Ауыл» партиясы", "Партия «Ауыл»", "Auyl Party"),
    "PPK": ("Қазақстан Халық партиясы", "Народная партия Казахстана", "People's Party of Kazakhstan"),
    "OSDP": ("ЖСДП", "ОСДП", "Nationwide Social Democratic Party"),
    "RESPUBLICA": ("«Respublica» партиясы", "Партия «Respublica»", "Respublica Party"),
    "BAITAK": ("«Байтақ» партиясы", "Партия «Байтак»", "Baitak Party"),
}
_serials = itertools.count(1)


def make_party(code: str = "AMANAT", *, is_registered: bool = True) -> Party:
    existing = Party.objects.filter(code=code).first()
    if existing is not None:
        return existing
    name_kk, name_ru, name_en = PARTY_NAMES.get(code, (code, code, code))
    return services.party_save(
        code=code, name_kk=name_kk, name_ru=name_ru, name_en=name_en, is_registered=is_registered
    )


def new_iin(birth_date: date, sex: str = "M") -> str:
    """A valid IIN no other test person has (serials count up across the session)."""
    while True:
        try:
            return generate_valid_iin(birth_date, sex, next(_serials) % 10000)
        except ValueError:
            continue


def make_person(
    *,
    party: Party | None = None,
    birth_date: date = date(1982, 3, 14),
    sex: str = "M",
    full_name: str = "Сапаров Ержан Болатұлы",
    civil_service_years: int = 5,
    education: str = "higher",
    iin: str | None = None,
    biography: str = "",
) -> Person:
    return services.person_register(
        iin=iin or new_iin(birth_date, sex),
        full_name=full_name,
        education=education,
        civil_service_years=civil_service_years,
        biography=biography,
        party=party,
    )


def person_photo_set(person: Person, photo) -> None:
    """Give `person` a photo through the service, every other field unchanged."""
    services.person_update(
        person=person,
        full_name=person.full_name,
        education=person.education,
        civil_service_years=person.civil_service_years,
        biography=person.biography,
        party=person.party,
        photo=photo,
    )


def ensure_voters(unit: Territory, voters: int = 2000) -> Territory:
    if unit.voters is None:
        unit_set_figures(unit=unit, voters=voters, population=round(voters * 1.5))
    return unit


def open_election(
    unit: Territory,
    *,
    kind: str = ElectionKind.REGULAR,
    voting_date: date | None = None,
    on: date | None = None,
    actor: AbstractBaseUser | None = None,
) -> Election:
    """An election called and open for nomination; `on` (the calling day) is 40 days before the vote."""
    voting_date = voting_date or timezone.localdate() + timedelta(days=40)
    on = on or voting_date - timedelta(days=40)
    election = services.election_call(unit=unit, kind=kind, voting_date=voting_date, on=on, actor=actor)
    return services.election_advance(election=election, on=on, actor=actor)


def election_at_vote(
    unit: Territory,
    candidates: list[tuple[Person, str, Party | None]],
    *,
    kind: str = ElectionKind.REGULAR,
    voting_date: date | None = None,
    election: Election | None = None,
) -> tuple[Election, list[Candidacy]]:
    """An election (called unless given) taken to the vote: every candidate nominated and registered."""
    ensure_voters(unit)
    election = election or open_election(unit, kind=kind, voting_date=voting_date)
    if election.status == ElectionStatus.CALLED:
        election = services.election_advance(election=election, on=election.called_on)
    day = election.nomination_closes
    candidacies = []
    for person, nomination, party in candidates:
        signatures = rules.signatures_required(unit.voters) if nomination == Nomination.SELF else None
        on = election.registration_closes if nomination == Nomination.SUPERIOR_AKIM else day
        if nomination == Nomination.SUPERIOR_AKIM and election.status == ElectionStatus.NOMINATION:
            election = services.election_advance(election=election, on=day)
        candidacies.append(
            services.candidacy_nominate(
                election=election,
                person=person,
                nomination=nomination,
                party=party,
                signatures=signatures,
                on=on,
            )
        )
    if election.status == ElectionStatus.NOMINATION:
        election = services.election_advance(election=election, on=day)
    for candidacy in candidacies:
        services.candidacy_register(candidacy=candidacy, on=election.registration_closes)
    election = services.election_advance(election=election, on=election.registration_closes)
    return election, candidacies


def run_election(
    unit: Territory,
    candidates: list[tuple[Person, str, Party | None]],
    votes: list[int],
    *,
    kind: str = ElectionKind.REGULAR,
    voting_date: date | None = None,
    invalid: int = 0,
    election: Election | None = None,
) -> ElectionResult:
    """Call (unless given), nominate, register, vote, count; a lone candidate's other ballots are against."""
    election, candidacies = election_at_vote(
        unit, candidates, kind=kind, voting_date=voting_date, election=election
    )
    valid = sum(votes) if len(votes) > 1 else max(votes[0] * 2 - 1, votes[0])
    return services.election_result_register(
        election=election,
        voters_registered=max(unit.voters, valid + invalid),
        ballots_cast=valid + invalid,
        invalid_ballots=invalid,
        votes={c.pk: v for c, v in zip(candidacies, votes, strict=True)},
        on=election.voting_date,
    )


def make_sitting_akim(
    unit: Territory,
    *,
    party: Party | None = None,
    person: Person | None = None,
    starts_on: date | None = None,
) -> Mandate:
    """A sitting akim of `unit`, elected in a two-candidate regular election whose result is registered on
    `starts_on` (default: about a year ago)."""
    starts_on = starts_on or timezone.localdate() - timedelta(days=365)
    person = person or make_person(party=party)
    nomination = Nomination.PARTY if person.party_id else Nomination.SELF
    opponent = make_person(full_name="Омаров Дәурен Серікұлы")
    result = run_election(
        unit,
        [(person, nomination, person.party), (opponent, Nomination.SELF, None)],
        [700, 300],
        voting_date=starts_on,
    )
    return Mandate.objects.get(election=result.election)
