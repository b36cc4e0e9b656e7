"""Demo step (after the requests): the demo analyst reviews the top duplicate pairs and turns findings of the
analysis into proposals, some accepted, one rejected, one waiting, so the proposals export has content. The
analyst types in Russian, as the other demo steps' people do: English words would stand out on kk/ru pages.
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
            "Одну и ту же функцию несут сельский аким и другой орган."
            if involves_rural
            else "Разные сети или планы двух уровней: не дублирование."
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
            rationale=f"{rural.code} повторяет функцию, которую закон отдаёт другому органу (сходство "
            f"{pair.score:.2f}); у сельского акима нет для неё ни штата, ни бюджета.",
        )
        made.append((proposal, True, "Согласовано: исключить и оставить функцию её органу."))
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
                rationale="Общественный порядок за полицией; аким должен содействовать, а не нести функцию.",
            )
            made.append((proposal, True, "Согласовано: передать полиции."))
            break
    for stats in result.missing[:1]:
        proposal = services.proposal_create(
            actor=analyst,
            finding_key=f"missing:{stats.code}",
            kind=ProposalKind.ADD,
            target_level=RURAL,
            rationale=f"Жители несут сельскому акиму «{stats.name_ru}» ({stats.registered} обращений "
            f"в год, {100 * stats.share:.0f}% перенаправлено): дать акиму полномочие решать простые случаи.",
        )
        made.append((proposal, True, "Согласовано: подготовить формулировку нового полномочия."))
    for stats in result.missing[1:2]:
        proposal = services.proposal_create(
            actor=analyst,
            finding_key=f"missing:{stats.code}",
            kind=ProposalKind.ADD,
            target_level=RURAL,
            rationale=f"Дать сельскому акиму полномочие по теме «{stats.name_ru}».",
        )
        made.append((proposal, False, "Отклонено: нужны бюджет и штат района; улучшить перенаправление."))
    for stats in result.forwarded_categories[:1]:
        proposal = services.proposal_create(
            actor=analyst,
            finding_key=f"non_core_category:{stats.code}",
            kind=ProposalKind.ADD,
            target_level=PowerLevel.DISTRICT,
            rationale=f"Обращения «{stats.name_ru}» направлять сразу в район: там нужен приём.",
        )
        made.append((proposal, None, ""))
    for proposal, accept, comment in made:
        if accept is not None:
            services.proposal_decide(actor=analyst, proposal=proposal, accept=accept, comment=comment)
    out.write(f"powers demo: {reviewed} duplicate pairs reviewed, {len(made)} proposals\n")
