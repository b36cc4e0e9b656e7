"""Writes of the recall app: initiatives and their group, signatures, paper sheets, verification, the vote,
party withdrawals and the thresholds table. Each is one transaction with its audit event.

Two rules shape the signing code:
- one signature per person per initiative is the database's unique constraint on (initiative, IIN
  fingerprint): signing inserts and turns the IntegrityError into "already signed", never check-then-insert;
- the population register is asked outside any transaction (a network call must not hold the write lock),
  then the signature, the live counter (a conditional UPDATE that also re-checks the state) and the audit
  link are written together.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from esep.accounts.models import Profile
from esep.accounts.services import profile_set_iin
from esep.appeals.models import OPEN_STATUSES as OPEN_APPEAL_STATUSES
from esep.appeals.models import Appeal
from esep.core import access
from esep.core.audit.chain import audit_record
from esep.core.errors import ApplicationError, full_clean_or_refuse
from esep.core.iin import IIN, InvalidIIN, iin_fingerprint, mask_iin, parse_iin
from esep.core.models import Role
from esep.elections import services as elections
from esep.elections.models import ElectionKind, ElectionStatus, EndReason, Mandate
from esep.programs.models import OPEN_PROMISE_STATUSES, ProgramStatus, Promise
from esep.recall import rules, selectors, states
from esep.recall.models import (
    Channel,
    EvidenceKind,
    GroupMember,
    Initiative,
    InitiativeEvent,
    PaperSheet,
    PaperSheetLine,
    PartyWithdrawal,
    RecallEvidence,
    RecallThresholdBand,
    RecallThresholdTable,
    RefusalReason,
    RejectionReason,
    SheetLineOutcome,
    Signature,
    Verification,
)
from esep.recall.states import By, State, WithdrawalState
from esep.registries.services import resident_of_unit
from esep.territory.models import Level, Territory

Actor = AbstractBaseUser | None
RESIDENCE_PURPOSE = "recall.signature"
PDF_MAX_BYTES = 5 * 1024 * 1024
GROUNDS_MAX_CHARS = 4000
ANSWER_MAX_CHARS = 6000


class SignatureRefused(ApplicationError):
    """A signature that is not taken; `code` is a `RefusalReason`."""

    def __init__(self, reason: str, message: object = None) -> None:
        super().__init__(message or RefusalReason(reason).label, code=str(reason))
        self.reason = str(reason)


class TransitionRaced(ApplicationError):
    """The initiative moved on between reading and writing (another request or tick got there first)."""


# --- Helpers -------------------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _is_actor(actor: Actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _ensure_commission(actor: Actor, unit: Territory) -> None:
    if not access.may(actor, "recall.commission", unit):
        raise ApplicationError(
            _("Only the election commission of %(unit)s may do this.") % {"unit": unit.name},
            code="not_commission",
        )


def _locked(initiative: Initiative) -> Initiative:
    """The initiative again, locked, with its unit and mandate: decisions on one initiative are serialised."""
    return (
        Initiative.objects.select_for_update(of=("self",))
        .select_related("rural_unit", "mandate__person", "mandate__party")
        .get(pk=initiative.pk)
    )


def _words(text: str, *, limit: int, what: str) -> str:
    text = (text or "").strip()
    count = rules.word_count(text)
    if count == 0:
        raise ApplicationError(_("Write the %(what)s.") % {"what": what}, code="empty")
    if count > limit:
        raise ApplicationError(
            _("The %(what)s may have at most %(limit)d words; this has %(count)d.")
            % {"what": what, "limit": limit, "count": count},
            code="too_long",
        )
    return text


def _local_noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


# --- The state machine ---------------------------------------------------------------------------------


@transaction.atomic
def initiative_transition(
    *,
    initiative: Initiative,
    to: str,
    by: str,
    actor: Actor = None,
    note: str = "",
    now: datetime | None = None,
    changes: dict | None = None,
) -> Initiative:
    """Move the initiative to `to` if the table allows it from its current state; record and audit it.

    The UPDATE is conditional on the state read, so of two writers (two ticks, a tick and a commission
    member) only one moves the row; the other gets TransitionRaced and writes nothing.
    """
    now = _now(now)
    current = initiative.state
    states.check_transition(current, to)
    values = {**(changes or {}), "state": to, "state_changed_at": now}
    for name, value in values.items():
        setattr(initiative, name, value)
    full_clean_or_refuse(initiative, validate_constraints=False)
    try:
        with transaction.atomic():
            moved = Initiative.objects.filter(pk=initiative.pk, state=current).update(**values)
    except IntegrityError:
        raise ApplicationError(
            _("A recall initiative on this akim is already under way."), code="initiative_under_way"
        ) from None
    if not moved:
        initiative.state = current
        raise TransitionRaced(
            _("The initiative changed meanwhile; reload the page and try again."), code="state_changed"
        )
    event = InitiativeEvent(
        initiative=initiative,
        at=now,
        from_state=current,
        to_state=to,
        by=by,
        actor=actor if _is_actor(actor) else None,
        note=note.strip(),
    )
    full_clean_or_refuse(event)
    event.save()
    audit_record(
        actor=actor,
        action="recall.transition",
        subject=initiative,
        territory=initiative.kato,
        data={
            "from": current,
            "to": to,
            "by": by,
            "note": event.note,
            "changes": {name: value for name, value in (changes or {}).items()},
        },
    )
    return initiative


# --- Filing and the initiative group -------------------------------------------------------------------


@dataclass(frozen=True)
class Cited:
    kind: str
    object_id: int


def _promise_evidence(object_id: int, mandate: Mandate, today: date) -> tuple[str, dict]:
    promise = (
        Promise.objects.filter(
            pk=object_id,
            program__status=ProgramStatus.PUBLISHED,
            program__rural_unit_id=mandate.rural_unit_id,
            program__candidacy__election_id=mandate.election_id,
            program__candidacy__person_id=mandate.person_id,
        )
        .select_related("program")
        .first()
    )
    if promise is None:
        raise ApplicationError(
            _("Promise %(id)s is not in the published program of the sitting akim.") % {"id": object_id},
            code="evidence_not_found",
        )
    overdue = promise.status in OPEN_PROMISE_STATUSES and promise.deadline < today
    if promise.status not in selectors.FAILED_PROMISE_STATUSES and not overdue:
        raise ApplicationError(
            _("Promise %(number)s is %(status)s and not past its deadline: it is not evidence of failure.")
            % {"number": promise.local_id, "status": promise.get_status_display()},
            code="evidence_not_failure",
        )
    summary = f"{promise.local_id}. {promise.title}"[:500]
    detail = {
        "status": promise.status,
        "deadline": promise.deadline.isoformat(),
        "overdue": overdue,
        "program": promise.program_id,
    }
    return summary, detail


def _appeal_evidence(object_id: int, unit: Territory, today: date) -> tuple[str, dict]:
    appeal = Appeal.private_objects.filter(pk=object_id, kato=unit.kato).select_related("category").first()
    if appeal is None:
        raise ApplicationError(
            _("Request %(id)s is not a request of this unit.") % {"id": object_id}, code="evidence_not_found"
        )
    overdue = appeal.status in OPEN_APPEAL_STATUSES and appeal.due_date < today
    if not appeal.missed and not overdue:
        raise ApplicationError(
            _("Request %(number)s was answered on time: it is not evidence of failure.")
            % {"number": appeal.number},
            code="evidence_not_failure",
        )
    # Only what open data shows: number, category, dates. Never the resident, the text or the answer.
    detail = {
        "number": appeal.number,
        "category": {
            "kk": appeal.category.name_kk,
            "ru": appeal.category.name_ru,
            "en": appeal.category.name_en,
        },
        "registered": timezone.localdate(appeal.registered_at).isoformat(),
        "due": appeal.due_date.isoformat(),
        "answered": timezone.localdate(appeal.answered_at).isoformat() if appeal.answered_at else None,
        "overdue": overdue,
    }
    return appeal.number, detail


def _report_evidence(object_id: int, unit: Territory) -> tuple[str, dict]:
    from django.apps import apps

    try:
        report_model = apps.get_model("reports", "Report")
    except LookupError:
        raise ApplicationError(
            _("Accountability reports are not kept in Esep yet, so a report cannot be cited."),
            code="reports_unavailable",
        ) from None
    field_names = {field.name for field in report_model._meta.get_fields()}
    reports = report_model._default_manager.filter(pk=object_id)
    if "rural_unit" in field_names:
        reports = reports.filter(rural_unit=unit)
    elif "kato" in field_names:
        reports = reports.filter(kato=unit.kato)
    else:
        raise ApplicationError(_("A report cannot be tied to its unit yet."), code="reports_unavailable")
    report = reports.first()
    if report is None:
        raise ApplicationError(
            _("Report %(id)s is not a report of this unit.") % {"id": object_id}, code="evidence_not_found"
        )
    return str(report)[:500], {}


def _evidence_rows(cited: Sequence[Cited], unit: Territory, mandate: Mandate, today: date) -> list:
    unique = list(dict.fromkeys(cited))
    if not unique:
        raise ApplicationError(
            _("Cite at least one item of evidence from Esep: a broken promise, a late report or request."),
            code="no_evidence",
        )
    rows = []
    for item in unique:
        if item.kind == EvidenceKind.PROMISE:
            summary, detail = _promise_evidence(item.object_id, mandate, today)
        elif item.kind == EvidenceKind.APPEAL:
            summary, detail = _appeal_evidence(item.object_id, unit, today)
        elif item.kind == EvidenceKind.REPORT:
            summary, detail = _report_evidence(item.object_id, unit)
        else:
            raise ApplicationError(_("Unknown kind of evidence."), code="invalid")
        rows.append(RecallEvidence(kind=item.kind, object_id=item.object_id, summary=summary, detail=detail))
    return rows


@transaction.atomic
def initiative_file(
    *,
    unit: Territory,
    grounds: str,
    evidence: Sequence[Cited],
    actor: AbstractBaseUser,
    now: datetime | None = None,
) -> Initiative:
    """A resident of the unit files a recall initiative against its sitting akim and is its first member."""
    now = _now(now)
    today = timezone.localdate(now)
    if unit.level != Level.UNIT or not unit.has_elected_akim:
        raise ApplicationError(_("A recall is filed in a rural unit with an elected akim."), code="not_unit")
    if not access.may(actor, "recall.initiate", unit):
        raise ApplicationError(
            _("Only residents of %(unit)s may start a recall of its akim.") % {"unit": unit.name},
            code="not_resident",
        )
    mandate = Mandate.objects.current().filter(rural_unit=unit).select_related("person").first()
    if mandate is None:
        raise ApplicationError(_("%(unit)s has no sitting akim.") % {"unit": unit.name}, code="no_mandate")
    grounds = _words(grounds, limit=rules.GROUNDS_MAX_WORDS, what=_("grounds"))
    if len(grounds) > GROUNDS_MAX_CHARS:
        raise ApplicationError(_("The grounds are too long."), code="too_long")
    rows = _evidence_rows(evidence, unit, mandate, today)
    initiative = Initiative(
        rural_unit=unit,
        kato=unit.kato,
        mandate=mandate,
        state=State.FILED,
        state_changed_at=now,
        grounds=grounds,
        filed_by=actor,
        filed_at=now,
    )
    full_clean_or_refuse(initiative, validate_constraints=False)
    try:
        with transaction.atomic():
            initiative.save(force_insert=True)
    except IntegrityError:
        raise ApplicationError(
            _("A recall initiative on this akim is already under way."), code="initiative_under_way"
        ) from None
    filer = GroupMember(initiative=initiative, user=actor, is_filer=True, joined_at=now)
    full_clean_or_refuse(filer, validate_constraints=False)
    filer.save()
    for row in rows:
        row.initiative = initiative
    RecallEvidence.objects.bulk_create(rows)
    event = InitiativeEvent(initiative=initiative, at=now, to_state=State.FILED, by=By.GROUP, actor=actor)
    full_clean_or_refuse(event)
    event.save()
    audit_record(
        actor=actor,
        action="recall.initiative_file",
        subject=initiative,
        territory=unit.kato,
        data={
            "mandate": mandate.pk,
            "words": rules.word_count(grounds),
            "evidence": [[row.kind, row.object_id] for row in rows],
        },
    )
    return initiative


@transaction.atomic
def initiative_join(
    *, initiative: Initiative, actor: AbstractBaseUser, now: datetime | None = None
) -> GroupMember:
    """A resident of the unit joins the initiative group, until the commission decides on it."""
    now = _now(now)
    initiative = _locked(initiative)
    if initiative.state != State.FILED:
        raise ApplicationError(
            _("The initiative group is closed once the commission has decided on it."), code="group_closed"
        )
    if not access.may(actor, "recall.initiate", initiative.rural_unit):
        raise ApplicationError(
            _("Only residents of %(unit)s may join the initiative group.")
            % {"unit": initiative.rural_unit.name},
            code="not_resident",
        )
    member = GroupMember(initiative=initiative, user=actor, joined_at=now)
    full_clean_or_refuse(member, validate_constraints=False)
    try:
        with transaction.atomic():
            member.save(force_insert=True)
    except IntegrityError:
        raise ApplicationError(_("You are already in the initiative group."), code="already_member") from None
    audit_record(
        actor=actor,
        action="recall.group_join",
        subject=initiative,
        territory=initiative.kato,
        data={"user": actor.pk},
    )
    return member


@transaction.atomic
def initiative_leave(*, initiative: Initiative, actor: AbstractBaseUser) -> None:
    initiative = _locked(initiative)
    if initiative.state != State.FILED:
        raise ApplicationError(
            _("The initiative group is closed once the commission has decided on it."), code="group_closed"
        )
    member = GroupMember.objects.filter(initiative=initiative, user=actor).first()
    if member is None:
        raise ApplicationError(_("You are not in the initiative group."), code="not_member")
    if member.is_filer:
        raise ApplicationError(
            _("The member who filed the initiative withdraws it instead of leaving."), code="filer"
        )
    member.delete()
    audit_record(
        actor=actor,
        action="recall.group_leave",
        subject=initiative,
        territory=initiative.kato,
        data={"user": actor.pk},
    )


@transaction.atomic
def initiative_withdraw(
    *, initiative: Initiative, actor: AbstractBaseUser, note: str = "", now: datetime | None = None
) -> Initiative:
    """The group (its filer) withdraws the initiative before the commission has decided on it."""
    initiative = _locked(initiative)
    if initiative.filed_by_id != actor.pk:
        raise ApplicationError(
            _("Only the member who filed the initiative may withdraw it."), code="not_filer"
        )
    return initiative_transition(
        initiative=initiative, to=State.WITHDRAWN, by=By.GROUP, actor=actor, note=note, now=now
    )


@transaction.atomic
def initiative_answer(
    *, initiative: Initiative, text: str, actor: AbstractBaseUser, now: datetime | None = None
) -> Initiative:
    """The akim's public answer, shown beside the grounds (revisable while the recall is under way)."""
    now = _now(now)
    initiative = _locked(initiative)
    if not access.may(actor, "recall.answer", initiative.rural_unit):
        raise ApplicationError(_("Only the akim of the unit may answer the grounds."), code="not_akim")
    person_user = initiative.mandate.person.user_id
    if person_user is not None and person_user != actor.pk:
        raise ApplicationError(_("Only the akim whose recall is sought may answer."), code="not_akim")
    if not initiative.is_active:
        raise ApplicationError(_("The initiative is closed: the answer can no longer change."), code="closed")
    text = _words(text, limit=rules.ANSWER_MAX_WORDS, what=_("answer"))
    if len(text) > ANSWER_MAX_CHARS:
        raise ApplicationError(_("The answer is too long."), code="too_long")
    initiative.akim_answer = text
    initiative.akim_answered_at = now
    full_clean_or_refuse(initiative, validate_constraints=False)
    initiative.save(update_fields=["akim_answer", "akim_answered_at"])
    audit_record(
        actor=actor,
        action="recall.akim_answer",
        subject=initiative,
        territory=initiative.kato,
        data={"words": rules.word_count(text)},
    )
    return initiative


# --- The commission's decisions ------------------------------------------------------------------------


@transaction.atomic
def initiative_register(
    *,
    initiative: Initiative,
    actor: AbstractBaseUser,
    signing_opens_on: date | None = None,
    now: datetime | None = None,
) -> Initiative:
    """Register the initiative: fix the threshold and the signing period; signing opens on its first day.

    Refused (nothing changes) while the group is smaller than the minimum, the mandate is younger than the
    minimum age, a recall of the same mandate failed within the cooldown, or the unit's voters are unknown.
    """
    now = _now(now)
    on = timezone.localdate(now)
    initiative = _locked(initiative)
    _ensure_commission(actor, initiative.rural_unit)
    states.check_transition(initiative.state, State.REGISTERED)
    obstacles = selectors.registration_obstacles(initiative, on)
    if obstacles:
        raise ApplicationError(
            " ".join(text for _code, text in obstacles),
            code=obstacles[0][0],
            extra={"obstacles": [code for code, _text in obstacles]},
        )
    opens = signing_opens_on or on
    if not on <= opens <= on + timedelta(days=rules.MAX_OPENING_DELAY_DAYS):
        raise ApplicationError(
            _("Signing opens on the day of registration or within %(days)d days after it.")
            % {"days": rules.MAX_OPENING_DELAY_DAYS},
            code="invalid_opening",
        )
    params = selectors.parameters(on)
    voters = initiative.rural_unit.voters
    required, basis = selectors.threshold_for(voters, on)
    initiative_transition(
        initiative=initiative,
        to=State.REGISTERED,
        by=By.COMMISSION,
        actor=actor,
        now=now,
        changes={
            "decided_on": on,
            "rule_set_version": params.rule_set_version,
            "voters": voters,
            "signatures_required": required,
            "threshold_basis": basis,
            "signing_opens_on": opens,
            "signing_closes_on": rules.signing_closes_on(opens, params.signing_days),
        },
    )
    if opens <= on:
        initiative_transition(initiative=initiative, to=State.COLLECTING, by=By.SYSTEM, actor=actor, now=now)
    return initiative


@transaction.atomic
def initiative_refuse(
    *, initiative: Initiative, reason: str, actor: AbstractBaseUser, now: datetime | None = None
) -> Initiative:
    now = _now(now)
    initiative = _locked(initiative)
    _ensure_commission(actor, initiative.rural_unit)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason for refusing registration."), code="reason_missing")
    return initiative_transition(
        initiative=initiative,
        to=State.REFUSED,
        by=By.COMMISSION,
        actor=actor,
        note=reason,
        now=now,
        changes={
            "decided_on": timezone.localdate(now),
            "refusal_reason": reason,
            "closed_on": timezone.localdate(now),
        },
    )


def initiative_open_signing(*, initiative: Initiative, now: datetime | None = None) -> bool:
    """Tick: a registered initiative whose signing day has come starts collecting (once)."""
    now = _now(now)
    if initiative.signing_opens_on is None or initiative.signing_opens_on > timezone.localdate(now):
        return False
    try:
        initiative_transition(initiative=initiative, to=State.COLLECTING, by=By.SYSTEM, now=now)
    except TransitionRaced:
        return False
    return True


def initiative_close_signing(*, initiative: Initiative, now: datetime | None = None) -> bool:
    """Tick: after the last signing day the initiative goes to verification, exactly once."""
    now = _now(now)
    if initiative.signing_closes_on is None or initiative.signing_closes_on >= timezone.localdate(now):
        return False
    try:
        initiative_transition(
            initiative=initiative,
            to=State.VERIFICATION,
            by=By.SYSTEM,
            now=now,
            note=_("Signing closed with %(count)d signatures.") % {"count": initiative.signature_count},
        )
    except TransitionRaced:
        return False
    return True


# --- Signing -------------------------------------------------------------------------------------------


def _parse(iin: str) -> IIN:
    try:
        return parse_iin(iin or "")
    except InvalidIIN as exc:
        raise SignatureRefused(RefusalReason.INVALID_IIN, exc.reason) from None


def _check_period(initiative: Initiative, day: date, *, allowed_states: tuple[str, ...]) -> None:
    if initiative.state not in allowed_states:
        raise SignatureRefused(
            RefusalReason.NOT_COLLECTING,
            _("The initiative is %(state)s: it does not take signatures.")
            % {"state": initiative.get_state_display()},
        )
    if not initiative.signing_opens_on <= day <= initiative.signing_closes_on:
        raise SignatureRefused(
            RefusalReason.OUTSIDE_PERIOD,
            _("Signatures are given from %(opens)s to %(closes)s.")
            % {
                "opens": initiative.signing_opens_on.isoformat(),
                "closes": initiative.signing_closes_on.isoformat(),
            },
        )


def _eligibility(initiative: Initiative, person: IIN, day: date, actor: Actor) -> None:
    """Age on the signing day and residence per the population register (asked and audited by registries)."""
    if not rules.old_enough_to_sign(person.birth_date, day):
        raise SignatureRefused(
            RefusalReason.UNDER_18,
            _("A signer must be 18 or older on the signing day (%(day)s).") % {"day": day.isoformat()},
        )
    if not resident_of_unit(person.value, initiative.kato, purpose=RESIDENCE_PURPOSE, actor=actor):
        raise SignatureRefused(
            RefusalReason.NOT_RESIDENT,
            _("The population register does not list this person as a resident of %(unit)s.")
            % {"unit": initiative.rural_unit.name},
        )


def _insert_signature(
    *,
    initiative: Initiative,
    person: IIN,
    channel: str,
    signed_at: datetime,
    signer: Actor = None,
    sheet: PaperSheet | None = None,
    sheet_line: int | None = None,
) -> tuple[Signature, bool]:
    """Insert the person's signature, or revive their withdrawn one; (signature, revived). Runs inside the
    caller's transaction; the counter is the caller's."""
    fingerprint = iin_fingerprint(person)
    values = {
        "channel": channel,
        "signer": signer if _is_actor(signer) else None,
        "sheet": sheet,
        "sheet_line": sheet_line,
        "signed_at": signed_at,
    }
    signature = Signature(
        initiative=initiative, iin_fingerprint=fingerprint, iin_masked=mask_iin(person), **values
    )
    # The initiative, account and sheet are rows this transaction already has: no look-up to validate them.
    full_clean_or_refuse(
        signature,
        exclude=["initiative", "signer", "sheet"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            signature.save(force_insert=True)
        return signature, False
    except IntegrityError:
        pass
    # The person signed before. A withdrawn signature may be given again: the same row comes back, once.
    revived = Signature.private_objects.filter(
        initiative=initiative, iin_fingerprint=fingerprint, withdrawn_at__isnull=False
    ).update(
        withdrawn_at=None, verification=Verification.PENDING, rejection_reason="", rejection_note="", **values
    )
    if not revived:
        raise SignatureRefused(
            RefusalReason.ALREADY_SIGNED, _("This person has already signed this initiative.")
        )
    return Signature.private_objects.get(initiative=initiative, iin_fingerprint=fingerprint), True


def _bump(initiative: Initiative, day: date, delta: int, *, allowed_states: tuple[str, ...]) -> bool:
    """Change the live count, on the condition that the initiative still takes signatures for `day`."""
    return bool(
        Initiative.objects.filter(
            pk=initiative.pk,
            state__in=allowed_states,
            signing_opens_on__lte=day,
            signing_closes_on__gte=day,
        ).update(signature_count=F("signature_count") + delta)
    )


def signature_sign(
    *, initiative: Initiative, iin: str, signer: AbstractBaseUser, now: datetime | None = None
) -> Signature:
    """A signed-in voter signs online with their IIN (checked, fingerprinted, never kept in clear).

    Refused with a `RefusalReason` code: invalid IIN, not the account's IIN, not collecting, under 18 on the
    signing day, not a resident of the unit per the population register, already signed. The first online
    signature of an account ties the IIN's fingerprint to it, so one account signs for one person.
    """
    now = _now(now)
    day = timezone.localdate(now)
    person = _parse(iin)
    fingerprint = iin_fingerprint(person)
    own = Profile.objects.filter(user=signer).values_list("iin_fingerprint", flat=True).first()
    if own and own != fingerprint:
        raise SignatureRefused(
            RefusalReason.NOT_YOUR_IIN,
            _("This is not the IIN of your account: each person signs for themselves."),
        )
    initiative = Initiative.objects.select_related("rural_unit").get(pk=initiative.pk)
    _check_period(initiative, day, allowed_states=states.ONLINE_SIGNING_STATES)
    _eligibility(initiative, person, day, signer)
    return _sign_online(initiative=initiative, person=person, signer=signer, now=now, bind=not own)


@transaction.atomic
def _sign_online(
    *, initiative: Initiative, person: IIN, signer: AbstractBaseUser, now: datetime, bind: bool
) -> Signature:
    day = timezone.localdate(now)
    signature, revived = _insert_signature(
        initiative=initiative, person=person, channel=Channel.ONLINE, signed_at=now, signer=signer
    )
    if not _bump(initiative, day, 1, allowed_states=states.ONLINE_SIGNING_STATES):
        raise SignatureRefused(RefusalReason.NOT_COLLECTING, _("Signing has closed."))
    if bind:
        try:
            profile_set_iin(user=signer, iin=person.value, actor=signer)
        except ApplicationError as exc:
            raise SignatureRefused(
                RefusalReason.NOT_YOUR_IIN,
                _("Another account holds this IIN: each person signs from their own account."),
            ) from exc
    audit_record(
        actor=signer,
        action="recall.sign",
        subject=signature,
        territory=initiative.kato,
        data={
            "initiative": initiative.pk,
            "channel": Channel.ONLINE,
            "iin": signature.iin_masked,
            "again": revived,
        },
    )
    return signature


def _withdraw(*, initiative: Initiative, fingerprint: str, now: datetime, actor: Actor, by: str) -> Signature:
    day = timezone.localdate(now)
    taken = Signature.private_objects.filter(
        initiative=initiative, iin_fingerprint=fingerprint, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    if not taken:
        raise ApplicationError(_("There is no signature of this person to withdraw."), code="not_signed")
    if not _bump(initiative, day, -1, allowed_states=states.ONLINE_SIGNING_STATES):
        raise ApplicationError(
            _("Signatures can be withdrawn only until the signing period closes."), code="withdrawal_closed"
        )
    signature = Signature.private_objects.get(initiative=initiative, iin_fingerprint=fingerprint)
    audit_record(
        actor=actor,
        action="recall.signature_withdraw",
        subject=signature,
        territory=initiative.kato,
        data={"initiative": initiative.pk, "iin": signature.iin_masked, "by": by},
    )
    return signature


@transaction.atomic
def signature_withdraw(
    *, initiative: Initiative, signer: AbstractBaseUser, iin: str = "", now: datetime | None = None
) -> Signature:
    """The signer withdraws their own signature until the period closes: the account's IIN, or the IIN typed
    (which is then tied to the account, as a first signature would)."""
    now = _now(now)
    own = Profile.objects.filter(user=signer).values_list("iin_fingerprint", flat=True).first()
    if own:
        if iin and iin_fingerprint(_parse(iin)) != own:
            raise SignatureRefused(RefusalReason.NOT_YOUR_IIN, _("This is not the IIN of your account."))
        fingerprint = own
    else:
        person = _parse(iin)
        fingerprint = iin_fingerprint(person)
    signature = _withdraw(initiative=initiative, fingerprint=fingerprint, now=now, actor=signer, by="signer")
    if not own:
        try:
            profile_set_iin(user=signer, iin=person.value, actor=signer)
        except ApplicationError as exc:
            raise SignatureRefused(RefusalReason.NOT_YOUR_IIN, _("Another account holds this IIN.")) from exc
    return signature


@transaction.atomic
def signature_withdraw_in_person(
    *, initiative: Initiative, iin: str, actor: AbstractBaseUser, now: datetime | None = None
) -> Signature:
    """The commission records a signer's written withdrawal (e.g. of a paper signature)."""
    now = _now(now)
    _ensure_commission(actor, initiative.rural_unit)
    fingerprint = iin_fingerprint(_parse(iin))
    return _withdraw(initiative=initiative, fingerprint=fingerprint, now=now, actor=actor, by="commission")


# --- Paper sheets --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperLine:
    line: int
    iin: str
    signed_on: date


@dataclass(frozen=True)
class _Checked:
    line: PaperLine
    person: IIN | None
    outcome: str  # "accepted" so far, or the refusal reason


def _check_line(initiative: Initiative, line: PaperLine, today: date, actor: Actor) -> _Checked:
    try:
        person = parse_iin(line.iin)
    except InvalidIIN:
        return _Checked(line, None, SheetLineOutcome.INVALID_IIN)
    if not initiative.signing_opens_on <= line.signed_on <= min(initiative.signing_closes_on, today):
        return _Checked(line, person, SheetLineOutcome.OUTSIDE_PERIOD)
    try:
        _eligibility(initiative, person, line.signed_on, actor)
    except SignatureRefused as refused:
        return _Checked(line, person, refused.reason)
    return _Checked(line, person, SheetLineOutcome.ACCEPTED)


def paper_sheet_enter(
    *,
    initiative: Initiative,
    number: int,
    lines: Sequence[PaperLine],
    actor: AbstractBaseUser,
    now: datetime | None = None,
) -> PaperSheet:
    """The commission enters a paper sheet: every line gets the checks of online signing, then the sheet and
    its accepted signatures are written in one transaction (all or nothing; each line keeps its outcome)."""
    now = _now(now)
    today = timezone.localdate(now)
    initiative = Initiative.objects.select_related("rural_unit").get(pk=initiative.pk)
    _ensure_commission(actor, initiative.rural_unit)
    if initiative.state not in states.PAPER_ENTRY_STATES:
        raise ApplicationError(
            _("Paper sheets are entered while signatures are collected or verified; it is %(state)s.")
            % {"state": initiative.get_state_display()},
            code="not_collecting",
        )
    if number < 1:
        raise ApplicationError(_("Give the sheet's number."), code="invalid")
    if not lines:
        raise ApplicationError(_("The sheet has no lines."), code="empty")
    if len(lines) > rules.MAX_SHEET_LINES:
        raise ApplicationError(
            _("A sheet has at most %(max)d lines.") % {"max": rules.MAX_SHEET_LINES}, code="too_long"
        )
    if len({line.line for line in lines}) != len(lines):
        raise ApplicationError(_("Each line number of a sheet is used once."), code="invalid")
    if PaperSheet.objects.filter(initiative=initiative, number=number).exists():
        raise ApplicationError(
            _("Sheet %(number)d is already entered.") % {"number": number}, code="sheet_entered"
        )
    # The register is asked for every line before anything is written.
    checked = [_check_line(initiative, line, today, actor) for line in sorted(lines, key=lambda x: x.line)]
    return _paper_sheet_write(initiative=initiative, number=number, checked=checked, actor=actor, now=now)


@transaction.atomic
def _paper_sheet_write(
    *, initiative: Initiative, number: int, checked: list[_Checked], actor: AbstractBaseUser, now: datetime
) -> PaperSheet:
    sheet = PaperSheet(initiative=initiative, number=number, entered_by=actor, entered_at=now)
    full_clean_or_refuse(sheet, validate_constraints=False)
    try:
        with transaction.atomic():
            sheet.save(force_insert=True)
    except IntegrityError:
        raise ApplicationError(
            _("Sheet %(number)d is already entered.") % {"number": number}, code="sheet_entered"
        ) from None
    accepted_by_day: dict[date, int] = {}
    results = []
    for item in checked:
        outcome, signature = item.outcome, None
        if outcome == SheetLineOutcome.ACCEPTED:
            try:
                signature, _revived = _insert_signature(
                    initiative=initiative,
                    person=item.person,
                    channel=Channel.PAPER,
                    signed_at=_local_noon(item.line.signed_on),
                    sheet=sheet,
                    sheet_line=item.line.line,
                )
            except SignatureRefused as refused:
                outcome = refused.reason
            else:
                accepted_by_day[item.line.signed_on] = accepted_by_day.get(item.line.signed_on, 0) + 1
        results.append(
            PaperSheetLine(
                sheet=sheet,
                line=item.line.line,
                iin_masked=mask_iin(item.person) if item.person is not None else "",
                signed_on=item.line.signed_on,
                outcome=outcome,
                signature=signature,
            )
        )
    PaperSheetLine.objects.bulk_create(results)
    for day, count in accepted_by_day.items():
        if not _bump(initiative, day, count, allowed_states=states.PAPER_ENTRY_STATES):
            raise ApplicationError(_("The initiative no longer takes signatures."), code="not_collecting")
    sheet.lines_total = len(results)
    sheet.lines_accepted = sum(accepted_by_day.values())
    sheet.save(update_fields=["lines_total", "lines_accepted"])
    audit_record(
        actor=actor,
        action="recall.paper_sheet_enter",
        subject=sheet,
        territory=initiative.kato,
        data={
            "initiative": initiative.pk,
            "number": number,
            "lines": sheet.lines_total,
            "accepted": sheet.lines_accepted,
            "outcomes": {o: sum(1 for r in results if r.outcome == o) for o in {r.outcome for r in results}},
        },
    )
    return sheet


# --- Verification and certification --------------------------------------------------------------------


def _verifiable(signature: Signature, actor: AbstractBaseUser) -> Signature:
    signature = (
        Signature.private_objects.select_for_update(of=("self",))
        .select_related("initiative__rural_unit")
        .get(pk=signature.pk)
    )
    _ensure_commission(actor, signature.initiative.rural_unit)
    if signature.initiative.state != State.VERIFICATION:
        raise ApplicationError(
            _("Signatures are verified after signing closes, before the count is certified."),
            code="not_verification",
        )
    if signature.withdrawn_at is not None:
        raise ApplicationError(_("This signature was withdrawn."), code="withdrawn")
    return signature


@transaction.atomic
def signature_reject(
    *, signature: Signature, reason: str, note: str = "", actor: AbstractBaseUser, now: datetime | None = None
) -> Signature:
    now = _now(now)
    signature = _verifiable(signature, actor)
    if reason not in RejectionReason.values:
        raise ApplicationError(_("Choose the reason for rejecting the signature."), code="invalid_reason")
    note = (note or "").strip()
    if reason == RejectionReason.OTHER and not note:
        raise ApplicationError(_("Explain the other reason in the note."), code="note_missing")
    signature.verification = Verification.REJECTED
    signature.rejection_reason = reason
    signature.rejection_note = note[:300]
    signature.verified_at = now
    signature.save(update_fields=["verification", "rejection_reason", "rejection_note", "verified_at"])
    audit_record(
        actor=actor,
        action="recall.signature_reject",
        subject=signature,
        territory=signature.initiative.kato,
        data={"initiative": signature.initiative_id, "reason": reason, "note": signature.rejection_note},
    )
    return signature


@transaction.atomic
def signature_accept(
    *, signature: Signature, actor: AbstractBaseUser, now: datetime | None = None
) -> Signature:
    """Take back a rejection (or confirm one signature) before the count is certified."""
    now = _now(now)
    signature = _verifiable(signature, actor)
    signature.verification = Verification.VALID
    signature.rejection_reason = ""
    signature.rejection_note = ""
    signature.verified_at = now
    signature.save(update_fields=["verification", "rejection_reason", "rejection_note", "verified_at"])
    audit_record(
        actor=actor,
        action="recall.signature_accept",
        subject=signature,
        territory=signature.initiative.kato,
        data={"initiative": signature.initiative_id},
    )
    return signature


@transaction.atomic
def initiative_certify(
    *, initiative: Initiative, actor: AbstractBaseUser, now: datetime | None = None
) -> Initiative:
    """Certify the count: every signature not rejected is valid; the threshold is reached or the initiative
    closes."""
    now = _now(now)
    on = timezone.localdate(now)
    initiative = _locked(initiative)
    _ensure_commission(actor, initiative.rural_unit)
    states.check_transition(initiative.state, State.CERTIFIED_REACHED)
    live = Signature.private_objects.filter(initiative=initiative, withdrawn_at__isnull=True)
    live.filter(verification=Verification.PENDING).update(verification=Verification.VALID, verified_at=now)
    valid = live.filter(verification=Verification.VALID).count()
    rejected = live.filter(verification=Verification.REJECTED).count()
    reached = rules.threshold_reached(valid, initiative.signatures_required)
    changes = {"valid_count": valid, "rejected_count": rejected, "certified_on": on}
    if not reached:
        changes["closed_on"] = on
    return initiative_transition(
        initiative=initiative,
        to=State.CERTIFIED_REACHED if reached else State.CERTIFIED_NOT_REACHED,
        by=By.COMMISSION,
        actor=actor,
        now=now,
        note=_("%(valid)d valid signatures of %(required)d required; %(rejected)d rejected.")
        % {"valid": valid, "required": initiative.signatures_required, "rejected": rejected},
        changes=changes,
    )


# --- The recall vote -----------------------------------------------------------------------------------


@transaction.atomic
def recall_vote_schedule(
    *, initiative: Initiative, voting_date: date, actor: AbstractBaseUser, now: datetime | None = None
) -> Initiative:
    """Call the recall vote (an election of kind "recall vote" on the mandate) after the threshold is met."""
    now = _now(now)
    on = timezone.localdate(now)
    initiative = _locked(initiative)
    _ensure_commission(actor, initiative.rural_unit)
    states.check_transition(initiative.state, State.VOTE_SCHEDULED)
    election = elections.election_call(
        unit=initiative.rural_unit,
        kind=ElectionKind.RECALL,
        voting_date=voting_date,
        on=on,
        recall_of=initiative.mandate,
        actor=actor,
    )
    # A recall vote has no nomination: it goes straight to the vote, whose results follow the voting day.
    election = elections.election_advance(election=election, on=on, actor=actor)
    return initiative_transition(
        initiative=initiative,
        to=State.VOTE_SCHEDULED,
        by=By.COMMISSION,
        actor=actor,
        now=now,
        note=_("Recall vote on %(day)s.") % {"day": voting_date.isoformat()},
        changes={"recall_vote": election},
    )


@transaction.atomic
def recall_vote_result(
    *,
    initiative: Initiative,
    voters_registered: int,
    ballots_cast: int,
    invalid_ballots: int,
    votes_for_recall: int,
    actor: AbstractBaseUser,
    now: datetime | None = None,
) -> Initiative:
    """Register the vote through the elections app with the turnout rule of the voting day's rule set.

    More than half of those who voted, with the turnout reached, end the mandate ("recalled by citizens")
    and call an early election; otherwise the initiative closes as not recalled.
    """
    now = _now(now)
    on = timezone.localdate(now)
    initiative = _locked(initiative)
    _ensure_commission(actor, initiative.rural_unit)
    states.check_transition(initiative.state, State.RECALLED)
    election = initiative.recall_vote
    min_turnout = selectors.parameters(election.voting_date).vote_min_turnout
    elections.recall_result_register(
        election=election,
        voters_registered=voters_registered,
        ballots_cast=ballots_cast,
        invalid_ballots=invalid_ballots,
        votes_for_recall=votes_for_recall,
        on=on,
        actor=actor,
        min_turnout_share=min_turnout,
    )
    mandate = Mandate.objects.get(pk=initiative.mandate_id)
    recalled = mandate.ended_on is not None and mandate.end_reason == EndReason.RECALLED
    return initiative_transition(
        initiative=initiative,
        to=State.RECALLED if recalled else State.NOT_RECALLED,
        by=By.COMMISSION,
        actor=actor,
        now=now,
        note=_("%(for)d of %(cast)d ballots for the recall; %(voters)d voters, minimum turnout %(min)s%%.")
        % {
            "for": votes_for_recall,
            "cast": ballots_cast,
            "voters": voters_registered,
            "min": rules.percent_text(min_turnout),
        },
        changes={"closed_on": on, "min_turnout_share": rules.as_share(min_turnout)},
    )


def initiative_settle(*, initiative: Initiative, now: datetime | None = None) -> str | None:
    """Tick: follow what happened to the mandate or the vote outside this app (once). Returns the new state.

    - the mandate ended otherwise (resignation, term, party...) while the initiative was under way: void;
    - the recall vote's result was registered on the elections pages: recalled or not, as the mandate says;
    - the vote was cancelled while the akim still holds the mandate: back to "vote to be scheduled".
    """
    now = _now(now)
    mandate = Mandate.objects.get(pk=initiative.mandate_id)
    target, note = None, ""
    election = initiative.recall_vote
    if initiative.state == State.VOTE_SCHEDULED and election is not None:
        if election.status == ElectionStatus.CERTIFIED:
            recalled = mandate.end_reason == EndReason.RECALLED
            target = State.RECALLED if recalled else State.NOT_RECALLED
            note = _("Result of the recall vote registered.")
        elif election.status == ElectionStatus.CANCELLED and mandate.ended_on is None:
            target, note = (
                State.CERTIFIED_REACHED,
                _("The recall vote was cancelled: %(reason)s") % {"reason": election.cancel_reason},
            )
    if target is None and mandate.ended_on is not None and initiative.is_active:
        target = State.VOID
        note = _("The mandate ended on %(day)s: %(reason)s.") % {
            "day": mandate.ended_on.isoformat(),
            "reason": mandate.get_end_reason_display(),
        }
    if target is None:
        return None
    changes = {"closed_on": timezone.localdate(now)} if target in states.CLOSED_STATES else {}
    if target == State.CERTIFIED_REACHED:
        changes["recall_vote"] = None
    try:
        initiative_transition(
            initiative=initiative, to=target, by=By.SYSTEM, now=now, note=note, changes=changes
        )
    except TransitionRaced:
        return None
    return target


# --- Party withdrawal ----------------------------------------------------------------------------------


def _check_pdf(document: UploadedFile | None) -> None:
    if document is None:
        raise ApplicationError(_("Attach the party's decision as a PDF file."), code="document_missing")
    if document.size > PDF_MAX_BYTES:
        raise ApplicationError(_("The PDF file may be at most 5 MB."), code="document_too_big")
    document.seek(0)
    head = document.read(5)
    document.seek(0)
    if head != b"%PDF-":
        raise ApplicationError(_("The decision must be a PDF file."), code="document_not_pdf")


def officer_parties(user: Actor, unit: Territory) -> set[str]:
    """Codes of the parties for which `user` is an officer covering `unit`."""
    return {
        grant.party_code
        for grant in access.user_grants(user)
        if grant.role == Role.PARTY_OFFICER and grant.party_code and grant.covers(unit.kato)
    }


@transaction.atomic
def party_withdrawal_file(
    *,
    mandate: Mandate,
    decision_number: str,
    decision_date: date,
    grounds: str,
    document: UploadedFile | None,
    actor: AbstractBaseUser,
    now: datetime | None = None,
) -> PartyWithdrawal:
    """The nominating party's officer files its decision to withdraw its akim; the commission registers it."""
    now = _now(now)
    mandate = Mandate.objects.select_related("party", "rural_unit", "person").get(pk=mandate.pk)
    unit = mandate.rural_unit
    if mandate.ended_on is not None:
        raise ApplicationError(_("This mandate has already ended."), code="ended")
    if mandate.party_id is None:
        raise ApplicationError(
            _("This akim was not nominated by a party, so no party can withdraw them."), code="no_party"
        )
    if mandate.party.code not in officer_parties(actor, unit):
        raise ApplicationError(
            _("Only an officer of %(party)s, which nominated this akim, may file its withdrawal.")
            % {"party": mandate.party.name},
            code="not_the_party",
        )
    decision_number = (decision_number or "").strip()
    if not decision_number:
        raise ApplicationError(_("Give the number of the party's decision."), code="invalid")
    if decision_date > timezone.localdate(now):
        raise ApplicationError(_("The decision cannot be dated in the future."), code="future")
    if decision_date < mandate.starts_on:
        raise ApplicationError(_("The decision cannot predate the mandate."), code="too_early")
    grounds = (grounds or "").strip()
    if not grounds:
        raise ApplicationError(_("Give the grounds of the decision."), code="empty")
    if len(grounds) > GROUNDS_MAX_CHARS:
        raise ApplicationError(_("The grounds are too long."), code="too_long")
    _check_pdf(document)
    withdrawal = PartyWithdrawal(
        mandate=mandate,
        party=mandate.party,
        rural_unit=unit,
        kato=unit.kato,
        decision_number=decision_number[:64],
        decision_date=decision_date,
        grounds=grounds,
        document=document,
        filed_by=actor,
        filed_at=now,
    )
    full_clean_or_refuse(withdrawal, validate_constraints=False, exclude=["document"])
    try:
        with transaction.atomic():
            withdrawal.save(force_insert=True)
    except IntegrityError:
        raise ApplicationError(
            _("A withdrawal of this akim by the party is already filed."), code="withdrawal_filed"
        ) from None
    audit_record(
        actor=actor,
        action="recall.party_withdrawal_file",
        subject=withdrawal,
        territory=unit.kato,
        data={
            "mandate": mandate.pk,
            "party": mandate.party.code,
            "decision": decision_number,
            "decision_date": decision_date.isoformat(),
        },
    )
    return withdrawal


def _locked_withdrawal(withdrawal: PartyWithdrawal) -> PartyWithdrawal:
    return (
        PartyWithdrawal.objects.select_for_update(of=("self",))
        .select_related("rural_unit", "party", "mandate")
        .get(pk=withdrawal.pk)
    )


@transaction.atomic
def party_withdrawal_register(
    *, withdrawal: PartyWithdrawal, actor: AbstractBaseUser, now: datetime | None = None
) -> PartyWithdrawal:
    """Register the decision: the mandate ends ("withdrawn by the party"), an early election is called and
    a recall initiative under way on the mandate becomes void."""
    now = _now(now)
    on = timezone.localdate(now)
    withdrawal = _locked_withdrawal(withdrawal)
    _ensure_commission(actor, withdrawal.rural_unit)
    states.check_withdrawal_transition(withdrawal.state, WithdrawalState.REGISTERED)
    elections.mandate_end(
        mandate=withdrawal.mandate,
        reason=EndReason.PARTY_WITHDRAWN,
        on=on,
        note=_("Decision %(number)s of %(date)s of %(party)s.")
        % {
            "number": withdrawal.decision_number,
            "date": withdrawal.decision_date.isoformat(),
            "party": withdrawal.party.name,
        },
        actor=actor,
    )
    withdrawal.state = WithdrawalState.REGISTERED
    withdrawal.decided_on = on
    withdrawal.decided_by = actor
    withdrawal.save(update_fields=["state", "decided_on", "decided_by"])
    audit_record(
        actor=actor,
        action="recall.party_withdrawal_register",
        subject=withdrawal,
        territory=withdrawal.kato,
        data={"mandate": withdrawal.mandate_id, "party": withdrawal.party.code},
    )
    for initiative in Initiative.objects.filter(
        mandate_id=withdrawal.mandate_id, state__in=states.ACTIVE_STATES
    ):
        initiative_transition(
            initiative=initiative,
            to=State.VOID,
            by=By.PARTY,
            actor=actor,
            now=now,
            note=_("The party withdrew the akim."),
            changes={"closed_on": on},
        )
    return withdrawal


@transaction.atomic
def party_withdrawal_refuse(
    *, withdrawal: PartyWithdrawal, reason: str, actor: AbstractBaseUser, now: datetime | None = None
) -> PartyWithdrawal:
    now = _now(now)
    withdrawal = _locked_withdrawal(withdrawal)
    _ensure_commission(actor, withdrawal.rural_unit)
    states.check_withdrawal_transition(withdrawal.state, WithdrawalState.REFUSED)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason for refusing registration."), code="reason_missing")
    withdrawal.state = WithdrawalState.REFUSED
    withdrawal.decided_on = timezone.localdate(now)
    withdrawal.decided_by = actor
    withdrawal.refusal_reason = reason
    withdrawal.save(update_fields=["state", "decided_on", "decided_by", "refusal_reason"])
    audit_record(
        actor=actor,
        action="recall.party_withdrawal_refuse",
        subject=withdrawal,
        territory=withdrawal.kato,
        data={"reason": reason},
    )
    return withdrawal


# --- Thresholds table ----------------------------------------------------------------------------------


@transaction.atomic
def threshold_table_publish(
    *, effective_from: date, bands: Sequence[rules.Band], note: str = "", actor: Actor = None
) -> RecallThresholdTable:
    """Publish a table of thresholds by electorate size (no bands: back to the rule set's flat share).

    A published table is never changed; it applies to initiatives registered from its date on.
    """
    bands = list(bands)
    try:
        rules.check_bands(bands)
    except rules.BandsError as exc:
        raise ApplicationError(
            "; ".join(_("band %(n)d: %(message)s") % {"n": n, "message": m} for n, m in exc.errors),
            code="invalid_bands",
        ) from exc
    latest = RecallThresholdTable.objects.order_by("-effective_from").first()
    if latest is not None and effective_from < latest.effective_from:
        raise ApplicationError(
            _("A table is in force from %(date)s: a new one cannot take effect before it.")
            % {"date": latest.effective_from.isoformat()},
            code="too_early",
        )
    table = RecallThresholdTable(
        effective_from=effective_from,
        note=(note or "").strip(),
        created_by=actor if _is_actor(actor) else None,
    )
    full_clean_or_refuse(table)
    table.save()
    rows = [
        RecallThresholdBand(
            table=table,
            min_voters=band.min_voters,
            max_voters=band.max_voters,
            signatures=band.signatures,
            share=band.share,
        )
        for band in bands
    ]
    for row in rows:
        full_clean_or_refuse(row, exclude=["table"])
    RecallThresholdBand.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="recall.threshold_table_publish",
        subject=table,
        data={"effective_from": effective_from.isoformat(), "bands": rules.format_bands(bands)},
    )
    return table
