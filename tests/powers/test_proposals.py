"""Proposals: made from a finding with its evidence frozen, accepted or rejected with a comment, exported."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.powers import exports, services
from esep.powers.models import PowerStatus, Proposal, ProposalStatus

PATROL_KEY = "duplicate:police.patrol|public_order.patrols"


def propose(analyst, key: str = PATROL_KEY, **kwargs: str) -> Proposal:
    kwargs.setdefault("kind", "exclude")
    kwargs.setdefault("rationale", "The police hold this function.")
    return services.proposal_create(actor=analyst, finding_key=key, **kwargs)


@pytest.mark.django_db
def test_a_proposal_from_a_duplicate_pair_freezes_the_texts_and_the_score(catalogue, analyst) -> None:
    proposal = propose(analyst, power_code="public_order.patrols")
    assert proposal.status == ProposalStatus.PROPOSED
    assert (proposal.level, proposal.sector, proposal.finding) == ("rural", "public_order", "duplicate")
    evidence = proposal.evidence
    assert (
        evidence["first"]["code"] == "police.patrol" and evidence["second"]["code"] == "public_order.patrols"
    )
    assert evidence["second"]["text_kk"].startswith("Ерікті жасақтар")
    assert (
        0.5 < evidence["score"] == pytest.approx((evidence["score_ru"] + evidence["score_kk"]) / 2, abs=1e-3)
    )
    services.power_update(actor=analyst, power=catalogue["police.patrol"], text_ru="Совсем другой текст.")
    proposal.refresh_from_db()
    assert proposal.evidence["first"]["text_ru"].startswith("Охрана общественного порядка")
    assert AuditEvent.objects.filter(action="powers.proposal_create", subject_id=str(proposal.pk)).exists()


@pytest.mark.django_db
def test_a_missing_power_proposal_carries_the_request_statistics_by_region(
    requests_made, analyst, unit_a
) -> None:
    proposal = propose(analyst, "missing:land", kind="add", rationale="Let the akim allocate small plots.")
    assert (proposal.power, proposal.target_level, proposal.level, proposal.sector) == (
        None,
        "rural",
        "rural",
        "land",
    )
    assert proposal.category_code == "land"
    assert (proposal.evidence["registered"], proposal.evidence["forwarded"]) == (8, 6)
    assert proposal.evidence["by_region"][0] == {
        "kato": unit_a.region_code,
        "name": proposal.evidence["by_region"][0]["name"],
        "registered": 5,
        "forwarded": 4,
        "forwarded_share": 0.8,
    }
    assert proposal.evidence["powers"][0]["code"] == "land.allocation"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "kwargs", "message"),
    [
        ("duplicate:a.b|c.d", {}, "no such finding"),
        ("nonsense", {}, "no such finding"),
        ("non_core_power:roads.maintenance", {}, "not a rural power in a sector owned"),
        (PATROL_KEY, {"kind": "add"}, "cannot lead to the proposal"),
        (PATROL_KEY, {"power_code": "roads.maintenance"}, "one of the powers of the finding"),
        (PATROL_KEY, {"power_code": "public_order.patrols", "rationale": "  "}, "Explain the proposal"),
        (PATROL_KEY, {"power_code": "public_order.patrols", "kind": "transfer"}, "to which level"),
        (
            PATROL_KEY,
            {"power_code": "public_order.patrols", "kind": "transfer", "target_level": "rural"},
            "already at that level",
        ),
        (
            PATROL_KEY,
            {"power_code": "police.patrol", "target_level": "district"},
            "Only a transfer or an addition",
        ),
    ],
)
def test_a_proposal_that_breaks_a_rule_is_refused(catalogue, analyst, key, kwargs, message) -> None:
    with pytest.raises(ApplicationError, match=message):
        propose(analyst, key, **kwargs)
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_the_same_open_proposal_is_not_made_twice(catalogue, analyst) -> None:
    first = propose(analyst, power_code="public_order.patrols")
    with pytest.raises(ApplicationError, match="already waiting"):
        propose(analyst, power_code="public_order.patrols")
    services.proposal_decide(actor=analyst, proposal=first, accept=False, comment="Not now.")
    assert propose(analyst, power_code="public_order.patrols").pk != first.pk


@pytest.mark.django_db
def test_accepting_an_exclusion_marks_the_power_and_the_decision_is_final(catalogue, analyst) -> None:
    proposal = propose(analyst, power_code="public_order.patrols")
    with pytest.raises(ApplicationError, match="reason for the decision"):
        services.proposal_decide(actor=analyst, proposal=proposal, accept=True, comment=" ")
    services.proposal_decide(actor=analyst, proposal=proposal, accept=True, comment="Agreed.")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_comment, proposal.decided_by) == (
        "accepted",
        "Agreed.",
        analyst,
    )
    catalogue["public_order.patrols"].refresh_from_db()
    assert catalogue["public_order.patrols"].status == PowerStatus.PROPOSED_EXCLUSION
    assert AuditEvent.objects.filter(action="powers.update", data__code="public_order.patrols").exists()
    with pytest.raises(ApplicationError, match="decided already"):
        services.proposal_decide(actor=analyst, proposal=proposal, accept=False, comment="Changed my mind.")


@pytest.mark.django_db
def test_a_transfer_marks_the_power_for_transfer_and_a_rejection_changes_nothing(catalogue, analyst) -> None:
    rejected = propose(analyst, "non_core_power:public_order.patrols", kind="exclude")
    services.proposal_decide(actor=analyst, proposal=rejected, accept=False, comment="Keep it.")
    catalogue["public_order.patrols"].refresh_from_db()
    assert catalogue["public_order.patrols"].status == PowerStatus.IN_FORCE
    accepted = propose(analyst, "non_core_power:public_order.patrols", kind="transfer", target_level="police")
    services.proposal_decide(actor=analyst, proposal=accepted, accept=True, comment="To the police.")
    catalogue["public_order.patrols"].refresh_from_db()
    assert catalogue["public_order.patrols"].status == PowerStatus.PROPOSED_TRANSFER


def _accepted_set(analyst) -> list[Proposal]:
    made = [
        propose(analyst, "missing:land", kind="add", rationale="=cmd|' /C calc'!A0"),
        propose(
            analyst,
            "duplicate:landscaping.district_lighting|landscaping.lighting",
            kind="correct",
            power_code="landscaping.district_lighting",
            rationale="Say: the district centre only.",
        ),
        propose(analyst, PATROL_KEY, power_code="public_order.patrols"),
        propose(analyst, "non_core_category:tariffs", kind="add", target_level="district", rationale="Desk."),
    ]
    for proposal in made[:3]:
        services.proposal_decide(actor=analyst, proposal=proposal, accept=True, comment="Yes.")
    return made


@pytest.mark.django_db
def test_the_accepted_set_is_ordered_by_level_then_sector(requests_made, analyst) -> None:
    land, lighting, patrol, _waiting = _accepted_set(analyst)
    # rural: land (land) before public order; then district: landscaping
    assert [p.pk for p in exports.accepted_proposals()] == [land.pk, patrol.pk, lighting.pk]


@pytest.mark.django_db
def test_the_xlsx_opens_with_the_accepted_rows_and_no_formula(requests_made, analyst) -> None:
    land, lighting, patrol, waiting = _accepted_set(analyst)
    workbook = load_workbook(io.BytesIO(exports.proposals_xlsx(exports.accepted_proposals())))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [land.pk, patrol.pk, lighting.pk]
    assert waiting.pk not in [row[0] for row in rows[1:]]
    land_row = rows[1]
    assert land_row[13:16] == (8, 6, 0.75)
    assert land_row[16] == "'=cmd|' /C calc'!A0"
    assert rows[2][5] == "public_order.patrols" and rows[2][12] == patrol.evidence["score"]
    regions = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert [(r[0], r[4], r[5]) for r in regions[1:]] == [(land.pk, 5, 4), (land.pk, 3, 2)]
    assert all(not (isinstance(cell, str) and cell.startswith("=")) for row in rows + regions for cell in row)


@pytest.mark.django_db
def test_the_decision_date_is_kept(catalogue, analyst) -> None:
    proposal = propose(analyst, power_code="public_order.patrols")
    before = timezone.now()
    services.proposal_decide(actor=analyst, proposal=proposal, accept=True, comment="Yes.")
    proposal.refresh_from_db()
    assert proposal.decided_at >= before
