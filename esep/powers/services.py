"""Every write to the powers catalogue, the analysts' verdicts, the owners of sectors and the proposals.

Each service is one transaction with its audit event. The catalogue is national: the views and the API let
only analysts and administrators with a country-wide grant call the writes.
"""

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from esep.core.audit.chain import audit_record
from esep.core.errors import ApplicationError, full_clean_or_refuse
from esep.core.imports import ImportFailed, ImportResult, RowError
from esep.powers import analysis
from esep.powers.catalogue_io import read_catalogue_rows
from esep.powers.models import (
    STATUSES_IN_FORCE,
    DuplicatePairReview,
    FindingKind,
    PairVerdict,
    Power,
    PowerLevel,
    PowerStatus,
    Proposal,
    ProposalKind,
    ProposalStatus,
    SectorOwner,
)
from esep.powers.seed import COLUMNS, parse_flag

EDITABLE_FIELDS = [column for column in COLUMNS if column != "code"]
COMMENT_MAX_LENGTH = 4000


def _clean(instance: Any, exclude: list[str] | None = None) -> None:
    full_clean_or_refuse(instance, exclude=exclude)


def _power_values(power: Power) -> dict[str, Any]:
    return {name: getattr(power, name) for name in COLUMNS}


# --- the catalogue --------------------------------------------------------------------------------------


@transaction.atomic
def power_create(
    *,
    actor: AbstractBaseUser | None,
    code: str,
    level: str,
    sector: str,
    text_kk: str,
    text_ru: str,
    act: str,
    text_en: str = "",
    body: str = "",
    article: str = "",
    item: str = "",
    status: str = PowerStatus.IN_FORCE,
    wording: str = "paraphrase",
    basis_checked: bool = False,
) -> Power:
    """Add a power to the catalogue (an analyst's edit); the code is its identity and cannot change later."""
    code = code.strip()
    if Power.objects.filter(code=code).exists():
        raise ApplicationError(
            _("A power with the code %(code)s exists already.") % {"code": code}, code="exists"
        )
    power = Power(
        code=code,
        level=level,
        body=body.strip(),
        sector=sector,
        text_kk=text_kk.strip(),
        text_ru=text_ru.strip(),
        text_en=text_en.strip(),
        act=act.strip(),
        article=article.strip(),
        item=item.strip(),
        status=status,
        wording=wording,
        basis_checked=basis_checked,
    )
    _clean(power)
    power.save()
    audit_record(actor=actor, action="powers.create", subject=power, data=_power_values(power))
    return power


@transaction.atomic
def power_update(*, actor: AbstractBaseUser | None, power: Power, **changes: Any) -> Power:
    """Change some fields of a power (not its code); audits each changed field with its old and new value."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(
            _("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="invalid_field",
        )
    power = Power.objects.select_for_update().get(pk=power.pk)
    before = _power_values(power)
    for name, value in changes.items():
        setattr(power, name, value.strip() if isinstance(value, str) else value)
    changed = [name for name in changes if getattr(power, name) != before[name]]
    if not changed:
        return power
    _clean(power)
    power.save(update_fields=[*changed, "search_text"])
    audit_record(
        actor=actor,
        action="powers.update",
        subject=power,
        data={
            "code": power.code,
            "changes": {name: [before[name], getattr(power, name)] for name in changed},
        },
    )
    return power


def power_set_status(*, actor: AbstractBaseUser | None, power: Power, status: str) -> Power:
    if status not in PowerStatus.values:
        raise ApplicationError(_("Choose a status of the list."), code="invalid_status")
    return power_update(actor=actor, power=power, status=status)


def _row_to_values(row: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {name: row[name] for name in COLUMNS if name != "basis_checked"}
    if "basis_checked" in row:
        values["basis_checked"] = parse_flag(row["basis_checked"])
    return values


@transaction.atomic
def catalogue_import(
    *, path: Path | str, actor: AbstractBaseUser | None = None, source: str | None = None
) -> ImportResult:
    """Bring the catalogue in line with a CSV or XLSX file: new codes are created, changed rows updated.

    All or nothing: every row is validated first and every error is reported with its line and field; a
    second run of the same file changes nothing. Powers absent from the file are kept (they may carry
    proposals and programs) and named in the result's notes.
    """
    source = source or Path(path).name
    rows = read_catalogue_rows(path, source=source)
    existing = {power.code: power for power in Power.objects.select_for_update()}
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    planned: list[tuple[Power, list[str] | None]] = []  # (power, changed fields) or None for a new one
    for line, row in rows:
        code = row["code"]
        if code in seen:
            errors.append(
                RowError(
                    line,
                    "code",
                    _("the code %(code)s is on line %(line)d too") % {"code": code, "line": seen[code]},
                )
            )
            continue
        seen[code] = line
        values = _row_to_values(row)
        current = existing.get(code)
        power = Power(code=code) if current is None else current
        before = _power_values(power) if current is not None else {}
        for name, value in values.items():
            setattr(power, name, value)
        try:
            # Codes are unique by the checks above; the table is locked for the rest.
            power.full_clean(validate_unique=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                field = "" if name == "__all__" else name
                errors.extend(RowError(line, field, message) for message in messages)
            continue
        if current is None:
            planned.append((power, None))
        else:
            changed = [name for name in values if getattr(power, name) != before[name]]
            if changed:
                planned.append((power, changed))
    if errors:
        raise ImportFailed(source, errors)
    result = ImportResult()
    created, updated = [], []
    for power, changed in planned:
        if changed is None:
            power.save()
            created.append(power.code)
        else:
            power.save(update_fields=[*changed, "search_text"])
            updated.append(power.code)
    result.created, result.updated = len(created), len(updated)
    result.unchanged = len(rows) - len(planned)
    absent = sorted(set(existing) - set(seen))
    if absent:
        result.notes.append(
            _("%(count)d powers of the catalogue are not in the file and were kept: %(codes)s")
            % {"count": len(absent), "codes": ", ".join(absent[:20])}
        )
    if result.changed:
        content = Path(path).read_bytes()
        audit_record(
            actor=actor,
            action="powers.import",
            subject_type="powers.catalogue",
            subject_id=source[:100],
            data={
                "file": source,
                "sha256": hashlib.sha256(content).hexdigest(),
                "created": created,
                "updated": updated,
                "unchanged": result.unchanged,
            },
        )
    return result


# --- owners of sectors ----------------------------------------------------------------------------------


@transaction.atomic
def sector_owner_set(
    *, actor: AbstractBaseUser | None, sector: str, level: str, body: str = "", note: str = ""
) -> SectorOwner:
    """Say which level or body owns a sector (for the non-core analysis)."""
    owner = SectorOwner.objects.select_for_update().filter(sector=sector).first()
    before = None if owner is None else {"level": owner.level, "body": owner.body, "note": owner.note}
    if owner is None:
        owner = SectorOwner(sector=sector)
    owner.level, owner.body, owner.note = level, body.strip(), note.strip()
    _clean(owner)
    owner.save()
    audit_record(
        actor=actor,
        action="powers.sector_owner",
        subject=owner,
        data={
            "sector": sector,
            "before": before,
            "after": {"level": level, "body": owner.body, "note": owner.note},
        },
    )
    return owner


@transaction.atomic
def sector_owner_clear(*, actor: AbstractBaseUser | None, sector: str) -> bool:
    """The sector is the rural akim's after all: no rural power in it is non-core any more."""
    owner = SectorOwner.objects.select_for_update().filter(sector=sector).first()
    if owner is None:
        return False
    audit_record(
        actor=actor,
        action="powers.sector_owner_clear",
        subject=owner,
        data={"sector": sector, "before": {"level": owner.level, "body": owner.body, "note": owner.note}},
    )
    owner.delete()
    return True


# --- verdicts on duplicate pairs ------------------------------------------------------------------------


@transaction.atomic
def duplicate_review(
    *,
    actor: AbstractBaseUser | None,
    first_code: str,
    second_code: str,
    verdict: str,
    comment: str = "",
    now: datetime | None = None,
) -> DuplicatePairReview:
    """Confirm or dismiss a pair of similar powers; a second verdict on the same pair replaces the first."""
    if verdict not in PairVerdict.values:
        raise ApplicationError(_("Confirm or dismiss the pair."), code="invalid_verdict")
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ApplicationError(_("The comment is too long."), code="too_long")
    first_code, second_code = sorted((first_code.strip(), second_code.strip()))
    powers = {power.code: power for power in Power.objects.filter(code__in=[first_code, second_code])}
    if len(powers) != 2 or first_code == second_code:
        raise ApplicationError(_("Both powers of the pair must be in the catalogue."), code="unknown_power")
    first, second = powers[first_code], powers[second_code]
    if first.level == second.level:
        raise ApplicationError(_("A duplicate pair joins powers of two different levels."), code="same_level")
    texts = analysis.catalogue_texts()
    score, _ru, _kk = analysis.pair_scores(analysis.PowerText.of(first), analysis.PowerText.of(second), texts)
    review = (
        DuplicatePairReview.objects.select_for_update()
        .filter(first_code=first_code, second_code=second_code)
        .first()
    )
    previous = None if review is None else review.verdict
    if review is None:
        review = DuplicatePairReview(first_code=first_code, second_code=second_code)
    review.verdict = verdict
    review.comment = comment
    review.score = round(score, 6)
    review.texts_digest = analysis.texts_digest(first, second)
    review.reviewed_by = actor if actor is not None and actor.is_authenticated else None
    review.reviewed_at = now or timezone.now()
    _clean(review)
    review.save()
    audit_record(
        actor=actor,
        action="powers.duplicate_review",
        subject=review,
        data={
            "pair": [first_code, second_code],
            "verdict": verdict,
            "previous": previous,
            "score": review.score,
            "comment": comment,
        },
    )
    return review


# --- proposals ------------------------------------------------------------------------------------------

KINDS_BY_FINDING = {
    FindingKind.DUPLICATE: {ProposalKind.CORRECT, ProposalKind.EXCLUDE, ProposalKind.TRANSFER},
    FindingKind.NON_CORE_POWER: {ProposalKind.CORRECT, ProposalKind.EXCLUDE, ProposalKind.TRANSFER},
    FindingKind.NON_CORE_CATEGORY: set(ProposalKind.values),
    FindingKind.MISSING: set(ProposalKind.values),
}


@transaction.atomic
def proposal_create(
    *,
    actor: AbstractBaseUser | None,
    finding_key: str,
    kind: str,
    rationale: str,
    power_code: str = "",
    target_level: str = "",
    now: datetime | None = None,
) -> Proposal:
    """Make a proposal from a finding, with the finding's evidence as it is now frozen into the proposal."""
    finding = analysis.finding_get(finding_key)
    if kind not in KINDS_BY_FINDING[finding.kind]:
        raise ApplicationError(
            _("A finding of this kind cannot lead to the proposal '%(kind)s'.")
            % {"kind": ProposalKind(kind).label if kind in ProposalKind.values else kind},
            code="invalid_kind",
        )
    rationale = rationale.strip()
    if not rationale:
        raise ApplicationError(_("Explain the proposal."), code="empty_rationale")
    if len(rationale) > COMMENT_MAX_LENGTH:
        raise ApplicationError(_("The rationale is too long."), code="too_long")
    power = None
    if kind != ProposalKind.ADD:
        power_code = power_code.strip() or (finding.power_codes[0] if len(finding.power_codes) == 1 else "")
        if power_code not in finding.power_codes:
            raise ApplicationError(
                _("Choose one of the powers of the finding: %(codes)s.")
                % {"codes": ", ".join(finding.power_codes) or "-"},
                code="invalid_power",
            )
        power = Power.objects.get(code=power_code)
    elif not target_level:
        target_level = PowerLevel.RURAL
    if target_level and target_level not in PowerLevel.values:
        raise ApplicationError(_("Choose a level of the list."), code="invalid_level")
    open_twin = Proposal.objects.filter(
        finding_key=finding.key,
        kind=kind,
        power=power,
        target_level=target_level,
        status=ProposalStatus.PROPOSED,
    )
    if open_twin.exists():
        raise ApplicationError(_("The same proposal is already waiting for a decision."), code="exists")
    proposal = Proposal(
        finding=finding.kind,
        finding_key=finding.key,
        kind=kind,
        power=power,
        category_code=finding.category_code,
        target_level=target_level,
        level=power.level if power is not None else target_level,
        sector=power.sector if power is not None else finding.sector,
        rationale=rationale,
        evidence=finding.evidence,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        created_at=now or timezone.now(),
    )
    _clean(proposal)
    proposal.save()
    audit_record(
        actor=actor,
        action="powers.proposal_create",
        subject=proposal,
        data={
            "finding": finding.key,
            "kind": kind,
            "power": power.code if power else "",
            "target_level": target_level,
            "rationale": rationale,
        },
    )
    return proposal


# Accepting one of these marks the power's status, so the catalogue shows what is under way.
_STATUS_ON_ACCEPT = {
    ProposalKind.EXCLUDE: PowerStatus.PROPOSED_EXCLUSION,
    ProposalKind.TRANSFER: PowerStatus.PROPOSED_TRANSFER,
}


@transaction.atomic
def proposal_decide(
    *,
    actor: AbstractBaseUser | None,
    proposal: Proposal,
    accept: bool,
    comment: str,
    now: datetime | None = None,
) -> Proposal:
    """Accept or reject a proposal, with a comment; a decision is final (a new proposal reopens a question).

    Accepting an exclusion or a transfer of a power in force marks the power "proposed for exclusion" or
    "proposed for transfer" in the same transaction.
    """
    proposal = Proposal.objects.select_for_update().select_related("power").get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PROPOSED:
        raise ApplicationError(_("This proposal has been decided already."), code="decided")
    comment = comment.strip()
    if not comment:
        raise ApplicationError(_("Give the reason for the decision in the comment."), code="empty_comment")
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ApplicationError(_("The comment is too long."), code="too_long")
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.REJECTED
    proposal.decision_comment = comment
    proposal.decided_by = actor if actor is not None and actor.is_authenticated else None
    proposal.decided_at = now or timezone.now()
    fields = ["status", "decision_comment", "decided_by", "decided_at"]
    _clean(proposal)
    proposal.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="powers.proposal_decide",
        subject=proposal,
        data={"status": proposal.status, "comment": comment, "finding": proposal.finding_key},
    )
    new_status = _STATUS_ON_ACCEPT.get(proposal.kind)
    if accept and new_status and proposal.power is not None and proposal.power.status in STATUSES_IN_FORCE:
        power_set_status(actor=actor, power=proposal.power, status=new_status)
    return proposal
