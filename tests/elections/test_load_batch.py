"""The bulk loader replays finished elections with the same checks as the step-by-step services."""

from datetime import date, timedelta

import pytest

from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.elections.models import (
    Candidacy,
    Election,
    ElectionKind,
    ElectionStatus,
    EndReason,
    Mandate,
    Person,
)
from esep.elections.services import (
    CandidacyRecord,
    ElectionRecord,
    MandateEndRecord,
    PersonRecord,
    elections_load_batch,
)
from esep.territory.models import Territory
from tests.elections.factories import make_sitting_akim, new_iin

pytestmark = pytest.mark.django_db

VOTE_2021 = date(2021, 7, 25)
VOTE_2025 = date(2025, 7, 20)


def person(key: str, born: date = date(1975, 4, 1), party: str | None = "AMANAT") -> PersonRecord:
    return PersonRecord(
        key=key, iin=new_iin(born), full_name=f"Кандидат {key}", education="higher", party_code=party
    )


def regular(
    unit: Territory,
    voting: date,
    candidates: list[CandidacyRecord],
    end: MandateEndRecord | None = None,
    **kw,
) -> ElectionRecord:
    votes = [c.votes for c in candidates if c.status == "registered"]
    return ElectionRecord(
        unit_kato=unit.kato,
        kind=kw.get("kind", ElectionKind.REGULAR),
        voting_date=voting,
        called_on=kw.get("called_on", voting - timedelta(days=60)),
        certified_on=voting + timedelta(days=3),
        voters_registered=2000,
        ballots_cast=sum(votes) + 10 if len(votes) > 1 else 1000,
        invalid_ballots=10 if len(votes) > 1 else 0,
        candidacies=tuple(candidates),
        mandate_end=end,
    )


def test_a_history_loads_with_one_audit_event_per_election(unit: Territory, amanat, auyl) -> None:
    before = AuditEvent.objects.count()
    report = elections_load_batch(
        persons=[person("a"), person("b", party="AUYL"), person("c")],
        elections=[
            regular(
                unit,
                VOTE_2021,
                [
                    CandidacyRecord("a", "party", "AMANAT", votes=800),
                    CandidacyRecord("b", "party", "AUYL", votes=500),
                ],
                end=MandateEndRecord(
                    on=date(2023, 3, 1), reason=EndReason.RESIGNATION, note="По собственному желанию."
                ),
            ),
        ],
    )
    assert (report.persons, report.elections, report.mandates, report.follow_ups) == (3, 2, 1, 1)
    mandate = Mandate.objects.get(rural_unit=unit)
    assert (mandate.person.full_name, mandate.ended_on, mandate.end_reason) == (
        "Кандидат a",
        date(2023, 3, 1),
        EndReason.RESIGNATION,
    )
    # The resignation called an early election, which the batch did not hold: it waits, called.
    early = Election.objects.get(rural_unit=unit, kind=ElectionKind.EARLY)
    assert early.status == ElectionStatus.CALLED and early.voting_date.weekday() == 6
    events = AuditEvent.objects.filter(sequence__gt=before)
    assert events.filter(action="elections.election_load").count() == 2
    assert events.filter(action="elections.persons_load").count() == 1


def test_the_batch_refuses_an_underage_candidate_and_writes_nothing(unit: Territory, amanat) -> None:
    with pytest.raises(
        ApplicationError, match=r"election 1 \(103230000, 2021-07-25\): .* a candidate must be at least 25"
    ):
        elections_load_batch(
            persons=[person("a"), person("kid", born=date(1997, 1, 1))],
            elections=[
                regular(
                    unit,
                    VOTE_2021,
                    [
                        CandidacyRecord("a", "party", "AMANAT", votes=800),
                        CandidacyRecord("kid", "party", "AMANAT", votes=1),
                    ],
                )
            ],
        )
    assert not Person.objects.filter(full_name__startswith="Кандидат").exists()
    assert not Election.objects.exists()


def test_the_batch_refuses_two_candidates_of_one_party(unit: Territory, amanat) -> None:
    with pytest.raises(ApplicationError, match="one candidate per party"):
        elections_load_batch(
            persons=[person("a"), person("b")],
            elections=[
                regular(
                    unit,
                    VOTE_2021,
                    [
                        CandidacyRecord("a", "party", "AMANAT", votes=800),
                        CandidacyRecord("b", "party", "AMANAT", votes=100),
                    ],
                )
            ],
        )


def test_the_batch_refuses_a_self_nominee_without_enough_signatures(unit: Territory, amanat) -> None:
    with pytest.raises(ApplicationError, match="needs the signatures of at least 1%"):
        elections_load_batch(
            persons=[person("a", party=None)],
            elections=[regular(unit, VOTE_2021, [CandidacyRecord("a", "self", signatures=19, votes=900)])],
        )


def test_the_batch_refuses_a_third_consecutive_term(unit: Territory, amanat) -> None:
    win = [CandidacyRecord("a", "party", "AMANAT", votes=900)]
    with pytest.raises(ApplicationError, match="election 3 .* nobody may start a third consecutive term"):
        elections_load_batch(
            persons=[person("a", born=date(1960, 1, 1))],
            elections=[
                regular(unit, date(2017, 7, 23), win),
                regular(unit, date(2021, 7, 18), win),
                regular(unit, VOTE_2025, win),
            ],
        )


def test_the_batch_follows_a_tie_with_the_repeat_election(unit: Territory, amanat, auyl) -> None:
    tie = [
        CandidacyRecord("a", "party", "AMANAT", votes=500),
        CandidacyRecord("b", "party", "AUYL", votes=500),
    ]
    repeat = [
        CandidacyRecord("a", "party", "AMANAT", votes=400),
        CandidacyRecord("b", "party", "AUYL", votes=600),
    ]
    tied = regular(unit, VOTE_2021, tie)
    elections_load_batch(
        persons=[person("a"), person("b", party="AUYL")],
        elections=[
            tied,
            regular(unit, date(2021, 9, 26), repeat, kind=ElectionKind.REPEAT, called_on=tied.certified_on),
        ],
    )
    first, second = Election.objects.filter(rural_unit=unit).order_by("voting_date")
    assert first.result.tie and second.repeat_of == first
    assert Mandate.objects.get(rural_unit=unit).person.full_name == "Кандидат b"


def test_a_regular_election_cannot_follow_a_tie(unit: Territory, amanat, auyl) -> None:
    tie = [
        CandidacyRecord("a", "party", "AMANAT", votes=500),
        CandidacyRecord("b", "party", "AUYL", votes=500),
    ]
    with pytest.raises(ApplicationError, match="next election is the repeat election"):
        elections_load_batch(
            persons=[person("a"), person("b", party="AUYL")],
            elections=[regular(unit, VOTE_2021, tie), regular(unit, date(2021, 10, 3), tie[:1])],
        )


def test_the_batch_loads_only_units_without_elections(unit: Territory, amanat) -> None:
    make_sitting_akim(unit, party=amanat)
    with pytest.raises(ApplicationError, match="has elections recorded already"):
        elections_load_batch(
            persons=[person("a")],
            elections=[regular(unit, VOTE_2021, [CandidacyRecord("a", "party", "AMANAT", votes=9)])],
        )
    assert Candidacy.objects.filter(election__rural_unit=unit).count() == 2
