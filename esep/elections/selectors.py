"""Reads of elections and mandates. Each function runs a fixed number of queries whatever the row count."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from esep.core.kato import kato_prefix, kato_within
from esep.elections import rules
from esep.elections.models import (
    ACTIVE_CANDIDACY,
    Candidacy,
    CandidacyStatus,
    CandidateResult,
    Election,
    Mandate,
    Nomination,
    Party,
    Person,
)
from esep.territory.models import Territory

SELF_NOMINATED = "SELF"
SUPERIOR_AKIM = "SUPERIOR_AKIM"
AGE_GROUPS = [(25, 29), (30, 34), (35, 39), (40, 44), (45, 49), (50, 54), (55, 59), (60, 200)]


def prefix_of(territory: Territory | None) -> str:
    """The KATO prefix that selects everything in `territory`; "" is the whole country."""
    return kato_prefix(territory.kato) if territory is not None else ""


def _earlier_mandate() -> Exists:
    return Exists(
        Mandate.objects.filter(person_id=OuterRef("person_id"), starts_on__lt=OuterRef("starts_on"))
    )


def current_mandate(unit: Territory) -> Mandate | None:
    """The sitting akim of `unit`, with the person, party and election the card needs (one query)."""
    return (
        Mandate.objects.current()
        .filter(rural_unit=unit)
        .select_related("person", "party", "election")
        .first()
    )


def open_election(unit: Territory) -> Election | None:
    return Election.objects.open().filter(rural_unit=unit).first()


def akims(
    *,
    prefix: str = "",
    party: str | None = None,
    first_time: bool | None = None,
    no_civil_service: bool | None = None,
) -> QuerySet[Mandate]:
    """The sitting akims under a KATO prefix, each annotated with `first_time`; one query per page.

    `party` is a party code, or SELF / SUPERIOR_AKIM for the candidates no party nominated.
    """
    mandates = (
        Mandate.objects.current()
        .within(prefix)
        .select_related("person", "party", "rural_unit__parent__parent")
        .annotate(first_time=~_earlier_mandate())
        .order_by("rural_unit__kato")
    )
    if party == SELF_NOMINATED:
        mandates = mandates.filter(nomination=Nomination.SELF)
    elif party == SUPERIOR_AKIM:
        mandates = mandates.filter(nomination=Nomination.SUPERIOR_AKIM)
    elif party:
        mandates = mandates.filter(party__code=party)
    if first_time is not None:
        mandates = mandates.filter(first_time=first_time)
    if no_civil_service is not None:
        mandates = (
            mandates.filter(person__civil_service_years=0)
            if no_civil_service
            else mandates.exclude(person__civil_service_years=0)
        )
    return mandates


def person_get(person_id: int) -> Person:
    """A person with their mandates (latest first) and candidacies: three queries."""
    person = (
        Person.objects.select_related("party")
        .prefetch_related(
            Prefetch(
                "mandates",
                queryset=Mandate.objects.select_related("rural_unit__parent__parent", "party", "election")
                .annotate(first_time=~_earlier_mandate())
                .order_by("-starts_on"),
            ),
            Prefetch(
                "candidacies",
                queryset=Candidacy.objects.select_related("election__rural_unit", "party", "result").order_by(
                    "-election__voting_date"
                ),
            ),
        )
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        raise Http404(person_id)
    return person


def election_get(election_id: int) -> Election:
    """An election with its unit, result, candidacies and their votes: three queries."""
    election = (
        Election.objects.select_related(
            "rural_unit__parent__parent",
            "result__winner__person",
            "repeat_of",
            "recall_of__person",
            "mandate__person",
        )
        .prefetch_related(
            Prefetch(
                "candidacies",
                queryset=Candidacy.objects.select_related("person", "party")
                .annotate(votes=Subquery(_votes_of_candidacy(), output_field=IntegerField()))
                .order_by(F("votes").desc(nulls_last=True), "pk"),
            )
        )
        .filter(pk=election_id)
        .first()
    )
    if election is None:
        raise Http404(election_id)
    return election


def _votes_of_candidacy() -> QuerySet:
    return CandidateResult.objects.filter(candidacy_id=OuterRef("pk")).values("votes")[:1]


def elections(
    *, prefix: str = "", status: str | None = None, kind: str | None = None, party: str | None = None
) -> QuerySet[Election]:
    """Elections, latest first. `party` keeps those where that party (or SELF / SUPERIOR_AKIM) has a candidate
    standing: nominated or registered, not refused or withdrawn."""
    rows = Election.objects.select_related("rural_unit__parent__parent", "result").annotate(
        registered_candidates=Count("candidacies", filter=Q(candidacies__status=CandidacyStatus.REGISTERED))
    )
    if prefix:
        rows = rows.filter(kato_within("rural_unit__kato", prefix))
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if party:
        standing = Candidacy.objects.filter(election=OuterRef("pk"), status__in=ACTIVE_CANDIDACY)
        if party == SELF_NOMINATED:
            standing = standing.filter(nomination=Nomination.SELF)
        elif party == SUPERIOR_AKIM:
            standing = standing.filter(nomination=Nomination.SUPERIOR_AKIM)
        else:
            standing = standing.filter(party__code=party)
        rows = rows.filter(Exists(standing))
    return rows.order_by("-voting_date", "-pk")


@dataclass(frozen=True)
class PartyShare:
    code: str
    name: str
    akims: int
    share: float


@dataclass(frozen=True)
class AgeGroup:
    label: str
    akims: int
    share: float


@dataclass
class Composition:
    """What the corps of sitting akims looks like in a territory (None: the whole country)."""

    territory: Territory | None
    akims_in_office: int = 0
    units: int = 0
    average_age: float | None = None
    first_time_share: float | None = None
    no_civil_service_share: float | None = None
    women_share: float | None = None
    candidates_per_election: float | None = None
    turnout: float | None = None
    by_party: list[PartyShare] = field(default_factory=list)
    age_groups: list[AgeGroup] = field(default_factory=list)

    @property
    def vacant_units(self) -> int:
        return max(self.units - self.akims_in_office, 0)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def composition(territory: Territory | None, *, on: date | None = None) -> Composition:
    """Figures of the sitting akims under `territory`: three queries whatever the number of units."""
    on = on or timezone.localdate()
    prefix = prefix_of(territory)
    registered = (
        Candidacy.objects.filter(election_id=OuterRef("election_id"), status=CandidacyStatus.REGISTERED)
        .values("election_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = list(
        Mandate.objects.current()
        .within(prefix)
        .annotate(earlier=_earlier_mandate(), candidates=Subquery(registered))
        .values_list(
            "person__birth_date",
            "person__civil_service_years",
            "person__sex",
            "party__code",
            "nomination",
            "earlier",
            "candidates",
            "election__result__ballots_cast",
            "election__result__voters_registered",
        )
    )
    units = Territory.objects.elected_units().filter(kato_within("kato", prefix)).count()
    result = Composition(territory=territory, akims_in_office=len(rows), units=units)
    if not rows:
        return result
    count = len(rows)
    ages = [rules.age_on(row[0], on) for row in rows]
    result.average_age = round(sum(ages) / count, 1)
    result.first_time_share = _share(sum(1 for row in rows if not row[5]), count)
    result.no_civil_service_share = _share(sum(1 for row in rows if row[1] == 0), count)
    result.women_share = _share(sum(1 for row in rows if row[2] == "F"), count)
    candidates = [row[6] for row in rows if row[6]]
    result.candidates_per_election = round(sum(candidates) / len(candidates), 2) if candidates else None
    ballots = sum(row[7] or 0 for row in rows)
    voters = sum(row[8] or 0 for row in rows if row[7] is not None)
    result.turnout = _share(ballots, voters)
    tally = Counter(
        row[3] or (SELF_NOMINATED if row[4] == Nomination.SELF else SUPERIOR_AKIM) for row in rows
    )
    result.by_party = _party_shares(tally, count)
    groups = Counter(
        next(i for i, (low, high) in enumerate(AGE_GROUPS) if low <= age <= high) for age in ages if age >= 25
    )
    result.age_groups = [
        AgeGroup(
            label=_age_label(low, high), akims=groups.get(i, 0), share=_share(groups.get(i, 0), count) or 0.0
        )
        for i, (low, high) in enumerate(AGE_GROUPS)
    ]
    return result


def _age_label(low: int, high: int) -> str:
    return f"{low}+" if high >= 200 else f"{low}–{high}"


def _party_shares(tally: Counter, count: int) -> list[PartyShare]:
    names = {party.code: party.name for party in Party.objects.filter(code__in=list(tally))}
    names[SELF_NOMINATED] = _("self-nominated")
    names[SUPERIOR_AKIM] = _("nominated by the superior akim")
    return [
        PartyShare(code=code, name=names.get(code, code), akims=akims, share=_share(akims, count) or 0.0)
        for code, akims in sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    ]
