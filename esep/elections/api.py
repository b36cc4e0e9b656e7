"""Open data on elections and akims under /api/v1/: akims, elections, parties, composition, Popolo."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from esep.api.access import api_public
from esep.api.pagination import Pages
from esep.api.territory import territory_filter
from esep.elections import selectors
from esep.elections.models import (
    CandidacyStatus,
    Election,
    ElectionKind,
    ElectionStatus,
    Mandate,
    Party,
    Person,
)
from esep.elections.popolo import popolo_export
from esep.territory.models import Level

router = Router(tags=["elections"])
KATO = r"^[0-9]{9}$"


class PartyOut(Schema):
    code: str
    name_kk: str
    name_ru: str
    name_en: str
    is_registered: bool


class UnitOut(Schema):
    kato: str
    name_kk: str
    name_ru: str
    name_en: str
    district: str | None = Field(None, alias="parent.kato")
    district_name_ru: str | None = Field(None, alias="parent.name_ru")


class MandateOut(Schema):
    id: int
    unit: UnitOut = Field(alias="rural_unit")
    party: str | None = Field(None, alias="party.code")
    nomination: str
    starts_on: date
    ends_on: date
    ended_on: date | None
    end_reason: str
    election: int = Field(alias="election_id")


class AkimOut(Schema):
    """A sitting akim: the person, with the mandate they hold now."""

    id: int = Field(alias="person.id")
    full_name: str = Field(alias="person.full_name")
    sex: str = Field(alias="person.sex")
    birth_year: int = Field(alias="person.birth_date.year")
    age: int = Field(alias="person.age")
    education: str = Field(alias="person.education")
    civil_service_years: int = Field(alias="person.civil_service_years")
    party_member_of: str | None = Field(None, alias="person.party.code")
    first_time: bool
    mandate: MandateOut

    @staticmethod
    def resolve_mandate(obj: Mandate) -> Mandate:
        return obj


class AkimDetailOut(Schema):
    id: int
    full_name: str
    sex: str
    birth_year: int = Field(alias="birth_date.year")
    age: int
    education: str
    civil_service_years: int
    biography: str
    party_member_of: str | None = Field(None, alias="party.code")
    mandates: list[MandateOut]
    current_mandate: MandateOut | None = None

    @staticmethod
    def resolve_mandates(obj: Person) -> list[Mandate]:
        return list(obj.mandates.all())

    @staticmethod
    def resolve_current_mandate(obj: Person) -> Mandate | None:
        return next((m for m in obj.mandates.all() if m.ended_on is None), None)


class ElectionOut(Schema):
    id: int
    unit: UnitOut = Field(alias="rural_unit")
    kind: str
    status: str
    voting_date: date
    called_on: date
    nomination_closes: date
    registration_closes: date
    registered_candidates: int
    voters_registered: int | None = Field(None, alias="result.voters_registered")
    ballots_cast: int | None = Field(None, alias="result.ballots_cast")
    turnout: float | None = Field(None, alias="result.turnout")
    winner: int | None = Field(None, alias="result.winner.person_id")
    repeat_of: int | None = Field(None, alias="repeat_of_id")
    recall_of: int | None = Field(None, alias="recall_of_id")
    cancel_reason: str


class CandidacyOut(Schema):
    id: int
    person: int = Field(alias="person_id")
    full_name: str = Field(alias="person.full_name")
    nomination: str
    party: str | None = Field(None, alias="party.code")
    signatures: int | None
    status: str
    refusal_reason: str
    votes: int | None


class ElectionDetailOut(ElectionOut):
    invalid_ballots: int | None = Field(None, alias="result.invalid_ballots")
    certified_on: date | None = Field(None, alias="result.certified_on")
    tie: bool | None = Field(None, alias="result.tie")
    recall_votes_for: int | None = Field(None, alias="result.recall_votes_for")
    candidacies: list[CandidacyOut]

    @staticmethod
    def resolve_candidacies(obj: Election) -> list:
        return list(obj.candidacies.all())

    @staticmethod
    def resolve_registered_candidates(obj: Election) -> int:
        return sum(1 for c in obj.candidacies.all() if c.status == CandidacyStatus.REGISTERED)


class PartyShareOut(Schema):
    code: str
    name: str
    akims: int
    share: float


class AgeGroupOut(Schema):
    label: str
    akims: int
    share: float


class AkimStatsOut(Schema):
    territory: str | None
    akims_in_office: int
    units: int
    vacant_units: int
    average_age: float | None
    first_time_share: float | None
    no_civil_service_share: float | None
    women_share: float | None
    candidates_per_election: float | None
    turnout: float | None
    by_party: list[PartyShareOut]
    age_groups: list[AgeGroupOut]

    @staticmethod
    def resolve_territory(obj: selectors.Composition) -> str | None:
        return obj.territory.kato if obj.territory else None


PARTY_FILTER = "party code, or SELF / SUPERIOR_AKIM for those no party nominated"


def _party_filter(code: str | None) -> None:
    """Refuse a party code no party has (a typo would otherwise silently match nothing)."""
    if code and code not in (selectors.SELF_NOMINATED, selectors.SUPERIOR_AKIM):
        if not Party.objects.filter(code=code).exists():
            raise HttpError(400, _("Unknown party %(code)s.") % {"code": code})


class AkimFilters(Schema):
    territory: str | None = Field(None, pattern=KATO, description="KATO code of a region, district or unit")
    party: str | None = Field(None, max_length=32, description=PARTY_FILTER)
    first_time: bool | None = Field(
        None, description="only akims in their first mandate (or only the others)"
    )
    no_civil_service: bool | None = Field(None, description="only akims never in the civil service before")


@router.get("/akims", response=list[AkimOut], summary="Sitting akims, with filters")
@api_public
@paginate(Pages)
def akim_list(request, filters: Query[AkimFilters]):
    territory = territory_filter(filters.territory)
    _party_filter(filters.party)
    return selectors.akims(
        prefix=selectors.prefix_of(territory),
        party=filters.party,
        first_time=filters.first_time,
        no_civil_service=filters.no_civil_service,
    ).select_related("person__party", "rural_unit__parent")


@router.get("/akims/{person_id}", response=AkimDetailOut, summary="One akim (a person with a mandate)")
@api_public
def akim_detail(request, person_id: int):
    person = selectors.person_get(person_id)
    if not person.mandates.all():
        raise HttpError(404, _("This person has never held a mandate."))
    return person


class ElectionFilters(Schema):
    territory: str | None = Field(None, pattern=KATO, description="KATO code of a region, district or unit")
    status: ElectionStatus | None = None
    kind: ElectionKind | None = None
    year: int | None = Field(None, ge=2021, le=2100, description="year of the voting day")
    party: str | None = Field(None, max_length=32, description=f"a candidate standing: {PARTY_FILTER}")


@router.get("/elections", response=list[ElectionOut], summary="Elections, latest first, with filters")
@api_public
@paginate(Pages)
def election_list(request, filters: Query[ElectionFilters]):
    territory = territory_filter(filters.territory)
    _party_filter(filters.party)
    elections = selectors.elections(
        prefix=selectors.prefix_of(territory), status=filters.status, kind=filters.kind, party=filters.party
    ).select_related("result__winner", "rural_unit__parent")
    if filters.year:
        elections = elections.filter(voting_date__year=filters.year)
    return elections


@router.get(
    "/elections/{election_id}", response=ElectionDetailOut, summary="One election with its candidates"
)
@api_public
def election_detail(request, election_id: int):
    return selectors.election_get(election_id)


@router.get("/parties", response=list[PartyOut], summary="Political parties")
@api_public
@paginate(Pages)
def party_list(request, registered: bool | None = None):
    parties = Party.objects.order_by("code")
    if registered is not None:
        parties = parties.filter(is_registered=registered)
    return parties


@router.get("/parties/{code}", response=PartyOut, summary="One party by code")
@api_public
def party_detail(request, code: str):
    return get_object_or_404(Party, code=code)


@router.get("/stats/akims", response=AkimStatsOut, summary="Composition of the sitting akims")
@api_public
def akim_stats(request, territory: str | None = Query(None, pattern=KATO)):
    area = territory_filter(territory, levels=(Level.REGION, Level.DISTRICT))
    return selectors.composition(area)


@router.get("/popolo.json", summary="Popolo export: persons, organizations, posts, memberships, areas")
@api_public
def popolo(request, territory: str | None = Query(None, pattern=KATO)):
    area = territory_filter(territory, levels=(Level.REGION, Level.DISTRICT))
    return popolo_export(prefix=selectors.prefix_of(area), url=request.build_absolute_uri)
