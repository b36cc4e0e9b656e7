from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from esep.api.access import api_public, api_requires
from esep.api.pagination import Pages
from esep.core.access import scope_q
from esep.powers import analysis, selectors, services
from esep.powers.models import (
    PairVerdict,
    PowerLevel,
    PowerStatus,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Sector,
)

router = Router(tags=["powers"])


class PowerOut(Schema):
    code: str
    level: str
    body: str
    sector: str
    status: str
    text_kk: str
    text_ru: str
    text_en: str
    act: str
    article: str
    item: str
    wording: str


@router.get("/powers", response=list[PowerOut], summary="The catalogue of powers by level")
@api_public
@paginate(Pages)
def power_list(
    request,
    level: PowerLevel | None = None,
    sector: Sector | None = None,
    status: PowerStatus | None = None,
    q: str = Query("", max_length=100),
):
    return selectors.power_list(level=level, sector=sector, status=status, query=q)


# --- analysis and proposals -----------------------------------------------------------------------------


def _ensure_national(request: HttpRequest) -> None:
    if scope_q(request.user, "powers.analyse") is not None:
        raise HttpError(403, _("The catalogue is national: this needs a country-wide analyst's role."))


class AnalysisOut(Schema):
    params: dict[str, float]
    period: dict[str, str]
    powers: int
    requests: dict[str, int]
    duplicates: list[dict[str, Any]]
    non_core_powers: list[dict[str, Any]]
    non_core_categories: list[dict[str, Any]]
    missing: list[dict[str, Any]]


@router.get(
    "/powers/analysis",
    response=AnalysisOut,
    summary="Duplicated, non-core and missing powers, with their evidence",
)
@api_public
def power_analysis(
    request,
    threshold: float = Query(analysis.DEFAULT_THRESHOLD, ge=0.05, le=1),
    forward_share: float = Query(analysis.DEFAULT_FORWARD_SHARE, ge=0, le=1),
    min_volume_share: float = Query(analysis.DEFAULT_MIN_VOLUME_SHARE, ge=0, le=1),
    months: int = Query(analysis.DEFAULT_MONTHS, ge=1, le=120),
):
    params = analysis.Params(
        threshold=threshold, forward_share=forward_share, min_volume_share=min_volume_share, months=months
    )
    return analysis.analyse(params).to_json()


class ReviewIn(Schema):
    first: str = Field(..., max_length=64)
    second: str = Field(..., max_length=64)
    verdict: PairVerdict
    comment: str = Field("", max_length=4000)


class ReviewOut(Schema):
    first_code: str
    second_code: str
    verdict: str
    comment: str
    score: float
    reviewed_at: datetime


@router.post("/powers/duplicates/review", response=ReviewOut, summary="Confirm or dismiss a duplicate pair")
@api_requires("powers.analyse")
def duplicate_review(request, payload: ReviewIn):
    _ensure_national(request)
    return services.duplicate_review(
        actor=request.user,
        first_code=payload.first,
        second_code=payload.second,
        verdict=payload.verdict,
        comment=payload.comment,
    )


class ProposalOut(Schema):
    id: int
    finding: str
    finding_key: str
    kind: str
    power: str | None
    category_code: str
    target_level: str
    level: str
    sector: str
    rationale: str
    evidence: dict[str, Any]
    status: str
    created_at: datetime
    decided_at: datetime | None
    decision_comment: str

    @staticmethod
    def resolve_power(proposal: Proposal) -> str | None:
        return proposal.power.code if proposal.power else None


@router.get("/powers/proposals", response=list[ProposalOut], summary="Proposals made from the analysis")
@api_requires("powers.analyse")
@paginate(Pages)
def proposal_list(
    request,
    status: ProposalStatus | None = None,
    kind: ProposalKind | None = None,
    level: PowerLevel | None = None,
):
    return selectors.proposal_list(status=status, kind=kind, level=level)


@router.get("/powers/proposals/{proposal_id}", response=ProposalOut, summary="One proposal with its evidence")
@api_requires("powers.analyse")
def proposal_get(request, proposal_id: int = Path(..., ge=1, le=2**62)):
    return get_object_or_404(selectors.proposals_with_people(), pk=proposal_id)


class ProposalIn(Schema):
    finding: str = Field(..., max_length=200, description="a finding key from /powers/analysis")
    kind: ProposalKind
    power: str = Field("", max_length=64, description="the power the proposal is about (not for 'add')")
    target_level: PowerLevel | Literal[""] = ""
    rationale: str = Field(..., max_length=4000)


@router.post("/powers/proposals", response=ProposalOut, summary="Make a proposal from a finding")
@api_requires("powers.analyse")
def proposal_create(request, payload: ProposalIn):
    _ensure_national(request)
    return services.proposal_create(
        actor=request.user,
        finding_key=payload.finding,
        kind=payload.kind,
        power_code=payload.power,
        target_level=payload.target_level,
        rationale=payload.rationale,
    )


class DecisionIn(Schema):
    accept: bool
    comment: str = Field(..., max_length=4000)


@router.post(
    "/powers/proposals/{proposal_id}/decide", response=ProposalOut, summary="Accept or reject a proposal"
)
@api_requires("powers.analyse")
def proposal_decide(request, payload: DecisionIn, proposal_id: int = Path(..., ge=1, le=2**62)):
    _ensure_national(request)
    proposal = get_object_or_404(Proposal, pk=proposal_id)
    return services.proposal_decide(
        actor=request.user, proposal=proposal, accept=payload.accept, comment=payload.comment
    )
