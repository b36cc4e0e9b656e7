"""Demo step (after the requests): the demo analyst reviews the top duplicate pairs and turns findings of the
analysis into proposals, some accepted, one rejected, one waiting, so the proposals export has content.
Everything goes through the services; a second run finds proposals and writes nothing."""

from typing import TextIO

from django.contrib.auth import get_user_model

from esep.powers import analysis, services
from esep.powers.models import PairVerdict, PowerLevel, Proposal, ProposalKind

DEMO_ANALYST = "demo.analyst"
RURAL = PowerLevel.RURAL


def run(*, out: TextIO) -> None:
    if Proposal.objects.exists():
        out.write("powers demo: proposals exist already\n")
        return
    analyst = get_user_model().objects.filter(username=DEMO_ANALYST).first()
    result = analysis.analyse()
    reviewed = 0
    confirmed: list[analysis.DuplicatePair] = []
    for pair in result.duplicates:
        involves_rural = RURAL in (pair.first.level, pair.second.level)
        verdict = PairVerdict.CONFIRMED if involves_rural else PairVerdict.DISMISSED
        comment = (
            "The rural akim and another body carry the same function."
            if involves_rural
            else "Separate networks or plans of two levels: not a duplication."
        )
        services.duplicate_review(
            actor=analyst,
            first_code=pair.first.code,
            second_code=pair.second.code,
            verdict=verdict,
            comment=comment,
        )
        reviewed += 1
        if involves_rural and {pair.first.level, pair.second.level} & {PowerLevel.POLICE, PowerLevel.OTHER}:
            confirmed.append(pair)
    made: list[tuple[Proposal, bool | None, str]] = []
    for pair in confirmed[:3]:
        rural = pair.first if pair.first.level == RURAL else pair.second
        proposal = services.proposal_create(
            actor=analyst,
            finding_key=pair.key,
            kind=ProposalKind.EXCLUDE,
            power_code=rural.code,
            rationale=f"{rural.code} repeats a function the law gives to another body (similarity "
            f"{pair.score:.2f}); the rural akim has neither the staff nor the budget for it.",
        )
        made.append((proposal, True, "Agreed: exclude and leave the function to its body."))
    for finding in result.non_core_powers:
        if finding.owner_level == PowerLevel.POLICE and finding.power.code not in {
            p.power.code for p, _accept, _comment in made if p.power
        }:
            proposal = services.proposal_create(
                actor=analyst,
                finding_key=finding.key,
                kind=ProposalKind.TRANSFER,
                power_code=finding.power.code,
                target_level=PowerLevel.POLICE,
                rationale="Public order is the police's; the akim should assist, not carry the function.",
            )
            made.append((proposal, True, "Agreed: transfer to the police."))
            break
    for stats in result.missing[:1]:
        proposal = services.proposal_create(
            actor=analyst,
            finding_key=f"missing:{stats.code}",
            kind=ProposalKind.ADD,
            target_level=RURAL,
            rationale=f"Residents bring '{stats.name_en}' to the rural akim ({stats.registered} requests "
            f"a year, {100 * stats.share:.0f}% forwarded): give the akim a power to solve simple cases.",
        )
        made.append((proposal, True, "Agreed: draft the wording of the new power."))
    for stats in result.missing[1:2]:
        proposal = services.proposal_create(
            actor=analyst,
            finding_key=f"missing:{stats.code}",
            kind=ProposalKind.ADD,
            target_level=RURAL,
            rationale=f"Give the rural akim a power over '{stats.name_en}'.",
        )
        made.append(
            (proposal, False, "Rejected: this needs the district's budget and staff; improve the forwarding.")
        )
    for stats in result.forwarded_categories[:1]:
        proposal = services.proposal_create(
            actor=analyst,
            finding_key=f"non_core_category:{stats.code}",
            kind=ProposalKind.ADD,
            target_level=PowerLevel.DISTRICT,
            rationale=f"'{stats.name_en}' requests should go to the district directly: a desk there.",
        )
        made.append((proposal, None, ""))
    for proposal, accept, comment in made:
        if accept is not None:
            services.proposal_decide(actor=analyst, proposal=proposal, accept=accept, comment=comment)
    out.write(f"powers demo: {reviewed} duplicate pairs reviewed, {len(made)} proposals\n")
