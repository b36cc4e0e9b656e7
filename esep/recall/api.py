"""JSON API of recall under /api/v1/recall: initiatives and their live counts (anyone), signing and
withdrawing a signature (a signed-in voter). Public fields only: never an IIN, a signer or a group member."""

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from esep.api.access import api_authenticated, api_public
from esep.api.pagination import Pages
from esep.api.territory import prefix_filter
from esep.core.ratelimit import rate_limited
from esep.recall import selectors, services
from esep.recall.models import Initiative
from esep.recall.states import State
from esep.territory.models import Level

router = Router(tags=["recall"])
STATES = "|".join(["active", *State.values])


class CountOut(Schema):
    id: int
    state: str
    signatures: int = Field(..., description="live count of signatures not withdrawn, or the certified count")
    signatures_required: int | None
    certified: bool
    signing_opens_on: date | None
    signing_closes_on: date | None
    days_left: int | None


class InitiativeOut(Schema):
    id: int
    unit: str = Field(..., alias="kato")
    unit_name_kk: str = Field(..., alias="rural_unit.name_kk")
    unit_name_ru: str = Field(..., alias="rural_unit.name_ru")
    mandate: int = Field(..., alias="mandate_id")
    akim: str = Field(..., alias="mandate.person.full_name")
    state: str
    filed_at: datetime
    decided_on: date | None
    signatures: int = Field(..., alias="shown_count")
    signatures_required: int | None
    signing_opens_on: date | None
    signing_closes_on: date | None
    certified_on: date | None
    closed_on: date | None


class EvidenceOut(Schema):
    kind: str
    object_id: int
    summary: str
    detail: dict


class EventOut(Schema):
    at: datetime
    from_state: str
    to_state: str
    by: str
    note: str


class InitiativeDetailOut(InitiativeOut):
    grounds: str
    akim_answer: str
    akim_answered_at: datetime | None
    refusal_reason: str
    rule_set_version: str
    voters: int | None
    threshold_basis: dict
    valid_count: int | None
    rejected_count: int | None
    recall_vote: int | None = Field(None, alias="recall_vote_id")
    group_size: int
    evidence: list[EvidenceOut] = Field(..., alias="evidence_list")
    timeline: list[EventOut]


class SignIn(Schema):
    iin: str = Field(
        ..., min_length=1, max_length=20, description="the signer's own IIN; never stored in clear"
    )


class WithdrawIn(Schema):
    iin: str = Field("", max_length=20, description="needed only when the account has no IIN yet")


class SignatureOut(Schema):
    initiative: int
    iin_masked: str
    signed_at: datetime
    withdrawn_at: datetime | None
    count: CountOut


def _count(initiative: Initiative) -> dict:
    return {
        "id": initiative.pk,
        "state": initiative.state,
        "signatures": initiative.shown_count,
        "signatures_required": initiative.signatures_required,
        "certified": initiative.valid_count is not None,
        "signing_opens_on": initiative.signing_opens_on,
        "signing_closes_on": initiative.signing_closes_on,
        "days_left": initiative.days_left(timezone.localdate()),
    }


def _initiative(pk: int) -> Initiative:
    initiative = selectors.initiative_get(pk)
    if initiative is None:
        raise HttpError(404, _("No recall initiative has this number."))
    return initiative


@router.get("/recall/initiatives", response=list[InitiativeOut], summary="Recall initiatives, newest first")
@api_public
@paginate(Pages)
def initiative_list(
    request: HttpRequest,
    kato: str | None = Query(None, pattern=r"^[0-9]{9}$", description="a region, district or unit"),
    state: str | None = Query(None, pattern=f"^({STATES})$", description="a state, or active"),
):
    prefix = prefix_filter(kato, levels=tuple(Level))
    return selectors.initiatives(prefix=prefix, state=state)


@router.get("/recall/initiatives/{pk}", response=InitiativeDetailOut, summary="One recall initiative")
@api_public
def initiative_detail(request: HttpRequest, pk: int):
    initiative = _initiative(pk)
    initiative.group_size = selectors.group_size(initiative)
    initiative.evidence_list = selectors.evidence(initiative)
    initiative.timeline = selectors.timeline(initiative)
    return initiative


@router.get(
    "/recall/initiatives/{pk}/count", response=CountOut, summary="The live count against the threshold"
)
@api_public
def initiative_count(request: HttpRequest, pk: int):
    return _count(get_object_or_404(Initiative, pk=pk))


@router.get("/recall/counts", response=dict[str, int], summary="Initiatives per state in an area")
@api_public
def counts(request: HttpRequest, kato: str | None = Query(None, pattern=r"^[0-9]{9}$")):
    prefix = prefix_filter(kato, levels=tuple(Level))
    found = selectors.counts_by_state(prefix)
    return {state: found.get(state, 0) for state in State.values}


def _signature_out(initiative: Initiative, signature: object) -> dict:
    initiative = Initiative.objects.get(pk=initiative.pk)
    return {
        "initiative": initiative.pk,
        "iin_masked": signature.iin_masked,
        "signed_at": signature.signed_at,
        "withdrawn_at": signature.withdrawn_at,
        "count": _count(initiative),
    }


@router.post(
    "/recall/initiatives/{pk}/signatures",
    response={201: SignatureOut},
    summary="Sign (a signed-in voter of the unit, with their own IIN)",
)
@api_authenticated
@rate_limited("recall.sign", per_user=10, per_ip=60)
def sign(request: HttpRequest, pk: int, payload: SignIn):
    initiative = get_object_or_404(Initiative, pk=pk)
    signature = services.signature_sign(initiative=initiative, iin=payload.iin, signer=request.user)
    return Status(201, _signature_out(initiative, signature))


@router.post(
    "/recall/initiatives/{pk}/signatures/withdraw",
    response=SignatureOut,
    summary="Withdraw my signature (until signing closes)",
)
@api_authenticated
@rate_limited("recall.sign", per_user=10, per_ip=60)
def withdraw(request: HttpRequest, pk: int, payload: WithdrawIn):
    initiative = get_object_or_404(Initiative, pk=pk)
    signature = services.signature_withdraw(initiative=initiative, signer=request.user, iin=payload.iin)
    return _signature_out(initiative, signature)
