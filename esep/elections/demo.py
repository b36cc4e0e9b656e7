"""National demo: every one of the 2,321 elected-akim units gets voters, population, its elections and a
sitting akim, so that the corps comes out as the head of state described it on 28 November 2025: average age
43, about 60% elected for the first time, a third never in the civil service.

Seeded (`random.Random(SEED)`), so the same every time; idempotent (a second run only checks). Elections go
through `elections_load_batch`, which applies the services' checks to the whole history in time order.

Timeline of the demo (fixed dates, so the history is the same whatever day it is loaded):
- 1,300 units elected an akim on 25 July 2021. In 150 of them the mandate ended early in the first half of
  2023 (resignation, death, no confidence, party withdrawal, other) and an early election followed;
  70 of those who resigned were elected in another unit on 5 November 2023. In the other 1,150 the term
  expired and a regular election was held on 20 July 2025: 858 akims were re-elected for a second term.
- The other 1,021 units elected their first akim on 5 November 2023; a few ties and one-candidate defeats
  led to repeat elections in January 2024.
Birth dates are drawn relative to the day the demo is loaded, so that the average age is 43 on that day.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from esep.core.iin import generate_valid_iin
from esep.elections import rules, selectors
from esep.elections.demo_names import FATHERS_NAMES, FEMALE_NAMES, MALE_NAMES, OCCUPATIONS, SURNAMES
from esep.elections.models import (
    CandidacyStatus,
    Education,
    Election,
    ElectionKind,
    EndReason,
    Nomination,
    Party,
)
from esep.elections.services import (
    CandidacyRecord,
    ElectionRecord,
    MandateEndRecord,
    PersonRecord,
    elections_load_batch,
    party_save,
    person_link_user,
)
from esep.territory.models import Territory
from esep.territory.services import unit_set_figures

SEED = 20251128
RURAL_POPULATION = 7_502_386  # 1 March 2025, Bureau of National Statistics
DEMO_AKIM_UNIT = "103230000"  # the unit of the demo accounts; its akim is the user demo.akim
DEMO_AKIM = ("Қасымов Ерлан Серікұлы", "AMANAT")

TARGET_AGE = 43
FIRST_TIME_SHARE = 0.60
NO_CIVIL_SERVICE_SHARE = 0.33
UNITS_ELECTED_2021 = 1300
ENDED_EARLY = 150
MOVERS = 70
TIES = 12
LONE_DEFEATS = 4

FIRST_VOTE = date(2021, 7, 25)
SINGLE_DAY_2023 = date(2023, 11, 5)
REGULAR_2025 = date(2025, 7, 20)

PARTIES = [
    ("AMANAT", "«AMANAT» партиясы", "Партия «AMANAT»", "AMANAT Party"),
    (
        "AK_ZHOL",
        "«Ақ жол» Қазақстанның демократиялық партиясы",
        "Демократическая партия Казахстана «Ак жол»",
        "Ak Zhol Democratic Party of Kazakhstan",
    ),
    (
        "AUYL",
        "«Ауыл» халықтық-демократиялық патриоттық партиясы",
        "Народно-демократическая патриотическая партия «Ауыл»",
        "Auyl People's Democratic Patriotic Party",
    ),
    ("PPK", "Қазақстан Халық партиясы", "Народная партия Казахстана", "People's Party of Kazakhstan"),
    (
        "OSDP",
        "Жалпыұлттық социал-демократиялық партия",
        "Общенациональная социал-демократическая партия",
        "Nationwide Social Democratic Party",
    ),
    ("RESPUBLICA", "«Respublica» партиясы", "Партия «Respublica»", "Respublica Party"),
    ("BAITAK", "«Байтақ» жасылдар партиясы", "Партия зелёных «Байтак»", "Baitak Green Party"),
]
# Who nominated the winners (None: self-nominated), and who else stands.
WINNER_NOMINATORS = {
    "AMANAT": 0.62,
    None: 0.17,
    "AUYL": 0.07,
    "PPK": 0.05,
    "AK_ZHOL": 0.04,
    "RESPUBLICA": 0.025,
    "OSDP": 0.015,
    "BAITAK": 0.01,
}
OPPONENT_PARTIES = {
    "AMANAT": 0.25,
    "AUYL": 0.2,
    "PPK": 0.16,
    "AK_ZHOL": 0.15,
    "RESPUBLICA": 0.1,
    "OSDP": 0.08,
    "BAITAK": 0.06,
}
CANDIDATES = {1: 0.08, 2: 0.42, 3: 0.33, 4: 0.17}
EDUCATION = {
    Education.HIGHER: 0.84,
    Education.VOCATIONAL: 0.11,
    Education.POSTGRADUATE: 0.04,
    Education.SECONDARY: 0.01,
}
# Recalls are left to the recall app's demo: a recalled mandate needs its recall vote.
EARLY_END_REASONS = {
    EndReason.RESIGNATION: 0.58,
    EndReason.DEATH_OR_INCAPACITY: 0.1,
    EndReason.NO_CONFIDENCE: 0.1,
    EndReason.PARTY_WITHDRAWN: 0.1,
    EndReason.OTHER: 0.12,
}
END_NOTES = {
    EndReason.RESIGNATION: "Освобождён от должности по собственному желанию.",
    EndReason.DEATH_OR_INCAPACITY: "Полномочия прекращены в связи с длительной нетрудоспособностью.",
    EndReason.NO_CONFIDENCE: "Выражено недоверие собранием местного сообщества.",
    EndReason.PARTY_WITHDRAWN: "Решение партии об отзыве.",
    EndReason.OTHER: "Переведён на работу в аппарат акима района.",
}
DAYS_PER_YEAR = 365.2425


def _pick(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class _Person:
    key: str
    sex: str
    full_name: str
    party: str | None
    education: str
    civil_service_years: int
    biography: str
    birth_date: date | None = None
    # Sitting akims: the earliest voting day they stood on, which bounds how young they may be.
    first_stood: date | None = None
    sitting: bool = False


@dataclass
class _Field:
    """The candidates of one election in nomination order, and which of them wins."""

    candidates: list[tuple[str, str, str | None]]  # (person key, nomination, party code)
    winner: int | None  # position in `candidates`
    refused: str | None = None  # person key of a self-nominee refused registration


@dataclass
class DemoPlan:
    units: list[Territory]
    today: date
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))  # noqa: S311 (demo data)
    persons: dict[str, _Person] = field(default_factory=dict)
    elections: list[ElectionRecord] = field(default_factory=list)
    sitting_in: dict[str, str] = field(default_factory=dict)  # KATO -> person key of the sitting akim
    _serials: set[str] = field(default_factory=set)

    # --- persons ---

    def person(
        self, *, party: str | None, stood_on: date, sitting: bool, name: tuple[str, str] | None = None
    ) -> str:
        rng = self.rng
        key = f"p{len(self.persons) + 1}"
        if name is not None:
            full_name, sex = name[0], "M"
        else:
            sex = "F" if rng.random() < 0.08 else "M"
            surname = rng.choice(SURNAMES) + ("а" if sex == "F" else "")
            given = rng.choice(FEMALE_NAMES if sex == "F" else MALE_NAMES)
            father = rng.choice(FATHERS_NAMES) + ("қызы" if sex == "F" else "ұлы")
            full_name = f"{surname} {given} {father}"
        occupation = rng.choice(OCCUPATIONS)
        person = _Person(
            key=key,
            sex=sex,
            full_name=full_name,
            party=party,
            education=_pick(rng, EDUCATION),
            civil_service_years=0 if rng.random() < 0.35 else rng.randint(1, 25),
            biography=f"До избрания — {occupation}.",
            first_stood=stood_on,
            sitting=sitting,
        )
        if not sitting:
            age = min(max(rng.gauss(45, 9.5), 25.3), 68.0)
            person.birth_date = stood_on - timedelta(days=round(age * DAYS_PER_YEAR))
        self.persons[key] = person
        return key

    def _assign_sitting_ages(self) -> None:
        """Birth dates of the sitting akims: average age TARGET_AGE today, each 25+ when first standing."""
        rng = self.rng
        sitting = [p for p in self.persons.values() if p.sitting]
        floors = {p.key: (self.today - p.first_stood).days / DAYS_PER_YEAR + 25.2 for p in sitting}
        ages = {p.key: min(max(rng.gauss(TARGET_AGE + 0.5, 8.0), floors[p.key]), 64.0) for p in sitting}
        for _round in range(20):
            mean = sum(ages.values()) / len(ages)
            shift = TARGET_AGE + 0.5 - mean
            if abs(shift) < 0.01:
                break
            ages = {key: min(max(age + shift, floors[key]), 64.0) for key, age in ages.items()}
        for person in sitting:
            person.birth_date = self.today - timedelta(days=round(ages[person.key] * DAYS_PER_YEAR))
        # Exactly a third of the sitting akims never served in the civil service.
        no_service = set(rng.sample([p.key for p in sitting], round(NO_CIVIL_SERVICE_SHARE * len(sitting))))
        for person in sitting:
            if person.key in no_service:
                person.civil_service_years = 0
            elif person.civil_service_years == 0:
                person.civil_service_years = rng.randint(1, 20)

    def _iin(self, person: _Person) -> str:
        serial = self.rng.randint(0, 9000)
        while True:
            try:
                iin = generate_valid_iin(person.birth_date, person.sex, serial % 10000)
            except ValueError:
                serial += 1
                continue
            if iin not in self._serials:
                self._serials.add(iin)
                return iin
            serial += 1

    def person_records(self) -> list[PersonRecord]:
        self._assign_sitting_ages()
        return [
            PersonRecord(
                key=p.key,
                iin=self._iin(p),
                full_name=p.full_name,
                education=p.education,
                civil_service_years=p.civil_service_years,
                party_code=p.party,
                biography=p.biography,
            )
            for p in self.persons.values()
        ]

    # --- elections ---

    def field_of(
        self, *, winner: str, winner_party: str | None, stood_on: date, size: int | None = None
    ) -> _Field:
        """Opponents around a known winner: distinct parties, self-nominees or the superior akim's nominee."""
        rng = self.rng
        size = size or _pick(rng, CANDIDATES)
        winner_entry = (winner, Nomination.PARTY if winner_party else Nomination.SELF, winner_party)
        if size == 1:
            return _Field([winner_entry], 0)
        if size == 2 and rng.random() < 0.15:
            superior = self.person(party=None, stood_on=stood_on, sitting=False)
            return _Field([winner_entry, (superior, Nomination.SUPERIOR_AKIM, None)], 0)
        taken = {winner_party}
        entries = [winner_entry]
        for _n in range(size - 1):
            options = {code: weight for code, weight in OPPONENT_PARTIES.items() if code not in taken}
            if rng.random() < 0.35 or not options:
                entries.append(
                    (self.person(party=None, stood_on=stood_on, sitting=False), Nomination.SELF, None)
                )
            else:
                code = _pick(rng, options)
                taken.add(code)
                entries.append(
                    (self.person(party=code, stood_on=stood_on, sitting=False), Nomination.PARTY, code)
                )
        rng.shuffle(entries)
        refused = None
        if rng.random() < 0.05:
            refused = self.person(party=None, stood_on=stood_on, sitting=False)
        return _Field(entries, entries.index(winner_entry), refused)

    def record(
        self,
        unit: Territory,
        *,
        kind: str,
        voting_date: date,
        called_on: date,
        candidates: _Field,
        mode: str = "win",
        mandate_end: MandateEndRecord | None = None,
    ) -> ElectionRecord:
        rng = self.rng
        drift = {2021: 0.96, 2023: 0.98, 2024: 0.99}.get(voting_date.year, 1.0)
        voters = max(60, round(unit.voters * drift))
        ballots = round(voters * min(max(rng.gauss(0.68, 0.08), 0.42), 0.93))
        invalid = round(ballots * rng.uniform(0.004, 0.02))
        votes = self._votes(len(candidates.candidates), candidates.winner, ballots, invalid, mode)
        if mode == "tie" and sum(votes) != ballots - invalid:
            invalid = ballots - sum(votes)  # the tie needs an even split: one ballot more or less is invalid
        needed = rules.signatures_required(unit.voters)
        entries = [
            CandidacyRecord(
                person_key=key,
                nomination=nomination,
                party_code=party,
                signatures=needed + rng.randint(0, needed) if nomination == Nomination.SELF else None,
                votes=votes[position],
            )
            for position, (key, nomination, party) in enumerate(candidates.candidates)
        ]
        if candidates.refused:
            entries.append(
                CandidacyRecord(
                    person_key=candidates.refused,
                    nomination=Nomination.SELF,
                    signatures=needed + rng.randint(0, 3),
                    status=CandidacyStatus.REFUSED,
                    refusal_reason="Подписные листы не прошли проверку: действительных подписей меньше 1%.",
                )
            )
        return ElectionRecord(
            unit_kato=unit.kato,
            kind=kind,
            voting_date=voting_date,
            called_on=called_on,
            certified_on=voting_date + timedelta(days=3),
            voters_registered=voters,
            ballots_cast=ballots,
            invalid_ballots=invalid,
            candidacies=tuple(entries),
            mandate_end=mandate_end,
        )

    def _votes(self, count: int, winner: int | None, ballots: int, invalid: int, mode: str) -> list[int]:
        rng = self.rng
        valid = ballots - invalid
        if count == 1:
            share = rng.uniform(0.62, 0.9) if mode == "win" else rng.uniform(0.3, 0.45)
            return [min(valid, int(ballots * share))]
        weights = [rng.gammavariate(2.0, 1.0) for _n in range(count)]
        if mode == "tie":
            others = [i for i in range(count) if i != winner]
            partner = others[0]
            small = [round(valid * 0.08 * weights[i] / sum(weights)) for i in others[1:]]
            half = (valid - sum(small)) // 2
            votes = [0] * count
            votes[winner] = votes[partner] = half
            for i, value in zip(others[1:], small, strict=True):
                votes[i] = value
            return votes
        weights[winner] = max(weights) * rng.uniform(1.2, 2.6)
        total = sum(weights)
        votes = [int(valid * weight / total) for weight in weights]
        votes[winner] += valid - sum(votes)
        return votes

    def sitting(self, unit: Territory, *, kind: str, voting_date: date, called_on: date, winner: str) -> None:
        party = self.persons[winner].party
        self.sitting_in[unit.kato] = winner
        self.elections.append(
            self.record(
                unit,
                kind=kind,
                voting_date=voting_date,
                called_on=called_on,
                candidates=self.field_of(winner=winner, winner_party=party, stood_on=voting_date),
            )
        )

    def build(self) -> None:
        rng = self.rng
        order = list(self.units)
        rng.shuffle(order)
        demo = next((i for i, unit in enumerate(order) if unit.kato == DEMO_AKIM_UNIT), None)
        if demo is not None:  # the demo akim serves a second term: put the unit among the re-elected
            order[demo], order[ENDED_EARLY] = order[ENDED_EARLY], order[demo]
        re_elected = len(self.units) - round(FIRST_TIME_SHARE * len(self.units)) - MOVERS
        elected_2021 = order[:UNITS_ELECTED_2021]
        fresh = order[UNITS_ELECTED_2021:]
        movers: list[str] = []
        for index, unit in enumerate(elected_2021):
            self._elected_2021(unit, index, re_elected, movers)
        for index, unit in enumerate(fresh):
            mover = movers[index] if index < len(movers) else None
            self._elected_2023(unit, index - len(movers), mover)

    def _elected_2021(self, unit: Territory, index: int, re_elected: int, movers: list[str]) -> None:
        rng = self.rng
        ends_early = index < ENDED_EARLY
        stays = ENDED_EARLY <= index < ENDED_EARLY + re_elected
        name = (DEMO_AKIM[0], "M") if unit.kato == DEMO_AKIM_UNIT else None
        party = DEMO_AKIM[1] if name else _pick(rng, WINNER_NOMINATORS)
        akim = self.person(party=party, stood_on=FIRST_VOTE, sitting=stays, name=name)
        end = None
        if ends_early:
            reason = EndReason.RESIGNATION if index < MOVERS else _pick(rng, EARLY_END_REASONS)
            if reason == EndReason.PARTY_WITHDRAWN and party is None:
                reason = EndReason.RESIGNATION
            end = MandateEndRecord(
                on=date(2023, 1, 9) + timedelta(days=rng.randint(0, 170)),
                reason=reason,
                note=END_NOTES[reason],
            )
            if index < MOVERS:
                self.persons[akim].sitting = True
                movers.append(akim)
        self.elections.append(
            self.record(
                unit,
                kind=ElectionKind.REGULAR,
                voting_date=FIRST_VOTE,
                called_on=FIRST_VOTE - timedelta(days=60),
                candidates=self.field_of(winner=akim, winner_party=party, stood_on=FIRST_VOTE),
                mandate_end=end,
            )
        )
        if end is not None:
            voting = rules.follow_up_voting_date(end.on)
            successor = self.person(party=_pick(rng, WINNER_NOMINATORS), stood_on=voting, sitting=True)
            self.sitting(
                unit, kind=ElectionKind.EARLY, voting_date=voting, called_on=end.on, winner=successor
            )
            return
        if not stays:
            akim = self.person(party=_pick(rng, WINNER_NOMINATORS), stood_on=REGULAR_2025, sitting=True)
        called = REGULAR_2025 - timedelta(days=61)
        self.sitting(unit, kind=ElectionKind.REGULAR, voting_date=REGULAR_2025, called_on=called, winner=akim)

    def _elected_2023(self, unit: Territory, index: int, mover: str | None) -> None:
        rng = self.rng
        called = SINGLE_DAY_2023 - timedelta(days=61)
        if mover is not None:
            self.sitting(
                unit, kind=ElectionKind.REGULAR, voting_date=SINGLE_DAY_2023, called_on=called, winner=mover
            )
            return
        tie = 0 <= index < TIES
        lone = TIES <= index < TIES + LONE_DEFEATS
        if not (tie or lone):
            akim = self.person(party=_pick(rng, WINNER_NOMINATORS), stood_on=SINGLE_DAY_2023, sitting=True)
            self.sitting(
                unit, kind=ElectionKind.REGULAR, voting_date=SINGLE_DAY_2023, called_on=called, winner=akim
            )
            return
        # Nobody elected on the single voting day: a tie for first place, or a lone candidate below half.
        first = self.person(party=_pick(rng, WINNER_NOMINATORS), stood_on=SINGLE_DAY_2023, sitting=True)
        party = self.persons[first].party
        first_round = self.field_of(
            winner=first, winner_party=party, stood_on=SINGLE_DAY_2023, size=3 if tie else 1
        )
        self.elections.append(
            self.record(
                unit,
                kind=ElectionKind.REGULAR,
                voting_date=SINGLE_DAY_2023,
                called_on=called,
                candidates=first_round,
                mode="tie" if tie else "lone_defeat",
            )
        )
        certified = SINGLE_DAY_2023 + timedelta(days=3)
        repeat = rules.follow_up_voting_date(certified)
        if tie:
            candidates = _Field(list(first_round.candidates), first_round.winner)
        else:
            superior = self.person(party=None, stood_on=repeat, sitting=False)
            candidates = _Field([first_round.candidates[0], (superior, Nomination.SUPERIOR_AKIM, None)], 0)
        self.sitting_in[unit.kato] = first
        self.elections.append(
            self.record(
                unit, kind=ElectionKind.REPEAT, voting_date=repeat, called_on=certified, candidates=candidates
            )
        )


def ensure_parties() -> int:
    existing = set(Party.objects.values_list("code", flat=True))
    created = 0
    for code, name_kk, name_ru, name_en in PARTIES:
        if code not in existing:
            party_save(code=code, name_kk=name_kk, name_ru=name_ru, name_en=name_en)
            created += 1
    return created


def set_unit_figures(units: list[Territory], rng: random.Random) -> int:
    """Population of every unit (adding up to the rural population) and voters (62-70% of it), through the
    territory's service; units whose figures are recorded already keep them."""
    raw = [rng.lognormvariate(0, 0.65) for _unit in units]
    scale = RURAL_POPULATION / sum(raw)
    populations = [max(150, round(value * scale)) for value in raw]
    populations[populations.index(max(populations))] += RURAL_POPULATION - sum(populations)
    changed = 0
    for unit, population in zip(units, populations, strict=True):
        voters = round(population * rng.uniform(0.62, 0.70))
        if unit.voters is None:
            unit_set_figures(unit=unit, voters=voters, population=population)
            changed += 1
    return changed


def link_demo_users() -> None:
    """The demo akim's login belongs to the sitting akim of the demo unit."""
    user = get_user_model().objects.filter(username="demo.akim").first()
    unit = Territory.objects.filter(kato=DEMO_AKIM_UNIT).first()
    mandate = selectors.current_mandate(unit) if unit else None
    if user is not None and mandate is not None and mandate.person.user_id != user.pk:
        person_link_user(person=mandate.person, user=user)


def run(*, out: TextIO) -> None:
    started = time.monotonic()
    with transaction.atomic():
        parties = ensure_parties()
        if Election.objects.exists():
            if parties:
                out.write(f"elections demo: {parties} parties added\n")
            out.write("elections demo: already loaded\n")
            return
        rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
        units = list(Territory.objects.elected_units().order_by("kato"))
        figures = set_unit_figures(units, rng)
        plan = DemoPlan(units=units, today=timezone.localdate(), rng=rng)
        plan.build()
        report = elections_load_batch(persons=plan.person_records(), elections=plan.elections)
        link_demo_users()
    corps = selectors.composition(None)
    seconds = time.monotonic() - started
    out.write(
        f"elections demo: {len(units)} units ({figures} given voters and population), {report.elections} "
        f"elections, {report.persons} persons, {report.mandates} mandates in {seconds:.1f} s\n"
        f"  akims in office {corps.akims_in_office}, average age {corps.average_age}, first-time share "
        f"{corps.first_time_share:.3f}, no civil service {corps.no_civil_service_share:.3f}\n"
    )
