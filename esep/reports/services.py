"""Writes of the reports app. Each one transaction, audited.

The akim (or the akimat's staff) starts the report of the next period of the schedule, fills in the meeting,
the summary, the budget execution and one update per active promise with its evidence, and publishes it. A
report with a missing update is refused; a published report never changes again: a correction is an erratum
appended to it. Publishing records every update in the promise's timeline through the programs app's services.
Residents of the unit rate the report, agree or disagree with each update and ask questions; moderators hide
abusive questions with a reason that stays visible. `esep tick` sends the reminders and the overdue notices
(`reminders_send`, `overdue_notify`) once per due date and recipient. Docs: docs/reports.md.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from esep.core import access
from esep.core.audit.chain import audit_record
from esep.core.errors import ApplicationError, validation_message
from esep.core.models import Role, RoleAssignment
from esep.core.uploads import clean_pdf, clean_photo
from esep.elections.models import Mandate
from esep.programs.models import OPEN_PROMISE_STATUSES, REASONED_STATUSES, Program, Promise, PromiseStatus
from esep.programs.services import promise_record_no_change, promise_record_update
from esep.reports.models import (
    BUDGET_ITEMS,
    MAX_BUDGET_LINES,
    MAX_EVIDENCE_PER_UPDATE,
    BudgetKind,
    BudgetLine,
    Erratum,
    Evidence,
    EvidenceKind,
    NotificationKind,
    Question,
    Rating,
    Report,
    ReportNotification,
    ReportStat,
    ReportStatus,
    ReportUpdate,
    Subscription,
    UpdateVerdict,
    Verdict,
)
from esep.reports.stats import mandate_schedule, rule_periods, stats_rebuild
from esep.territory.models import Territory

logger = logging.getLogger(__name__)
Actor = AbstractBaseUser | None

REMINDER_DAYS = {NotificationKind.REMINDER_14: 14, NotificationKind.REMINDER_3: 3}


def _user(actor: Actor) -> AbstractBaseUser | None:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _messages(exc: ValidationError) -> str:
    return validation_message(exc, Report, ReportUpdate, Question, Erratum, Evidence)


# --- What a report is about ------------------------------------------------------------------------------


def commitments_program(mandate: Mandate) -> Program | None:
    """The published program the akim won the mandate with: their commitments (one query)."""
    return Program.objects.filter(
        candidacy__election_id=mandate.election_id,
        candidacy__person_id=mandate.person_id,
        status="published",
    ).first()


def active_promises(program: Program | None) -> list[Promise]:
    """The promises still owed (not yet rated, in progress, stalled): each needs an update (one query)."""
    if program is None:
        return []
    return list(
        program.promises.filter(removed_in__isnull=True, status__in=OPEN_PROMISE_STATUSES).order_by(
            "order", "pk"
        )
    )


def _lock(report: Report) -> Report:
    return (
        Report.private_objects.select_for_update().select_related("mandate", "rural_unit").get(pk=report.pk)
    )


def _ensure_draft(report: Report) -> None:
    if report.status != ReportStatus.DRAFT:
        raise ApplicationError(
            _("A published report never changes: add an erratum to correct it."), code="published"
        )


def _ensure_sitting(report: Report) -> None:
    if report.mandate.ended_on is not None:
        raise ApplicationError(_("This mandate has ended: its akim no longer reports."), code="mandate_ended")


def _ensure_published(report: Report) -> None:
    if report.status != ReportStatus.PUBLISHED:
        raise ApplicationError(_("This report is not published yet."), code="not_published")


def _ensure_resident(user: AbstractBaseUser, unit: Territory) -> None:
    if not access.has_role(user, Role.RESIDENT, unit):
        raise ApplicationError(
            _("Only residents of %(unit)s may do this; everyone may read the report.") % {"unit": unit.name},
            code="not_resident",
        )


# --- Drafting ----------------------------------------------------------------------------------------------


@transaction.atomic
def report_start(*, mandate: Mandate, actor: Actor, today: date | None = None) -> Report:
    """The draft of the next report owed under the schedule, the oldest first (the existing draft if there is
    one). It can be written from the first day of its period; its due date is the period's last."""
    today = today or timezone.localdate()
    mandate = Mandate.objects.select_for_update().select_related("rural_unit").get(pk=mandate.pk)
    if mandate.ended_on is not None:
        raise ApplicationError(_("This mandate has ended: its akim no longer reports."), code="mandate_ended")
    draft = Report.private_objects.filter(mandate=mandate, status=ReportStatus.DRAFT).first()
    if draft is not None:
        return draft
    published = set(Report.public_objects.filter(mandate=mandate).values_list("sequence", flat=True))
    owed = [
        period for period in mandate_schedule(mandate, rule_periods()) if period.sequence not in published
    ]
    if not owed:
        raise ApplicationError(_("No report is owed any more in this term."), code="nothing_due")
    period = owed[0]
    if today < period.starts_on:
        raise ApplicationError(
            _("The next period starts on %(start)s; its report can be written from then.")
            % {"start": period.starts_on.isoformat()},
            code="too_early",
        )
    now = timezone.now()
    report = Report(
        mandate=mandate,
        rural_unit=mandate.rural_unit,
        sequence=period.sequence,
        period_start=period.starts_on,
        due_on=period.due_on,
        created_by=_user(actor),
        created_at=now,
        updated_at=now,
    )
    report.full_clean()
    try:
        with transaction.atomic():
            report.save(force_insert=True)
    except IntegrityError:
        raise ApplicationError(
            _("This report was started at the same time by someone else."), code="conflict"
        ) from None
    audit_record(
        actor=actor,
        action="reports.start",
        subject=report,
        territory=mandate.rural_unit.kato,
        data={"mandate": mandate.pk, "sequence": period.sequence, "due_on": period.due_on.isoformat()},
    )
    return report


@transaction.atomic
def report_save_details(
    *,
    report: Report,
    meeting_on: date | None,
    meeting_place: str,
    broadcast_url: str,
    attendance: int | None,
    summary: str,
    actor: Actor,
) -> Report:
    """The reporting meeting and the summary of a draft."""
    report = _lock(report)
    _ensure_draft(report)
    _ensure_sitting(report)
    broadcast_url = broadcast_url.strip()
    if broadcast_url and not broadcast_url.lower().startswith(("https://", "http://")):
        raise ApplicationError(_("The broadcast link must start with https:// or http://."), code="invalid")
    if meeting_on is not None and meeting_on < report.period_start:
        raise ApplicationError(
            _("The reporting meeting cannot come before the period it reports on (from %(start)s).")
            % {"start": report.period_start.isoformat()},
            code="invalid",
        )
    report.meeting_on = meeting_on
    report.meeting_place = meeting_place.strip()
    report.broadcast_url = broadcast_url
    report.attendance = attendance
    report.summary = summary.strip()
    report.updated_at = timezone.now()
    try:
        report.full_clean()
    except ValidationError as exc:
        raise ApplicationError(_messages(exc), code="invalid") from exc
    report.save(
        update_fields=["meeting_on", "meeting_place", "broadcast_url", "attendance", "summary", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="reports.save_details",
        subject=report,
        territory=report.rural_unit.kato,
        data={"meeting_on": meeting_on.isoformat() if meeting_on else None, "attendance": attendance},
    )
    return report


@dataclass(frozen=True)
class BudgetLineInput:
    kind: str
    item: str
    planned_kzt: int
    actual_kzt: int


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@transaction.atomic
def report_save_budget(*, report: Report, lines: Sequence[BudgetLineInput], actor: Actor) -> list[BudgetLine]:
    """Replace the draft's budget execution with `lines` (revenues and expenses by item)."""
    report = _lock(report)
    _ensure_draft(report)
    _ensure_sitting(report)
    if len(lines) > MAX_BUDGET_LINES:
        raise ApplicationError(
            _("At most %(max)d budget lines.") % {"max": MAX_BUDGET_LINES}, code="too_many_lines"
        )
    seen = set()
    rows = []
    for order, line in enumerate(lines):
        choices = BUDGET_ITEMS.get(line.kind)
        if choices is None or line.item not in choices.values:
            raise ApplicationError(
                _("Line %(n)d: choose a revenue or expense item from the list.") % {"n": order + 1},
                code="invalid",
            )
        if (line.kind, line.item) in seen:
            raise ApplicationError(
                _("Line %(n)d: this item is listed twice.") % {"n": order + 1}, code="invalid"
            )
        if not (_whole(line.planned_kzt) and _whole(line.actual_kzt)):
            raise ApplicationError(
                _("Line %(n)d: amounts are whole, non-negative numbers of tenge.") % {"n": order + 1},
                code="invalid",
            )
        seen.add((line.kind, line.item))
        rows.append(
            BudgetLine(
                report=report,
                kind=line.kind,
                item=line.item,
                planned_kzt=line.planned_kzt,
                actual_kzt=line.actual_kzt,
                order=order,
            )
        )
    for row in rows:
        row.full_clean(exclude=["report"])
    BudgetLine.objects.filter(report=report).delete()
    BudgetLine.objects.bulk_create(rows)
    Report.private_objects.filter(pk=report.pk).update(updated_at=timezone.now())
    audit_record(
        actor=actor,
        action="reports.save_budget",
        subject=report,
        territory=report.rural_unit.kato,
        data={"lines": len(rows)},
    )
    return rows


def _check_update(
    *,
    promise: Promise,
    no_change: bool,
    status: str,
    progress: int | None,
    spent_kzt: int | None,
    narrative: str,
    reason: str,
) -> None:
    """The rules of a promise update, told early; publishing applies them again through the programs app."""
    if not narrative.strip():
        raise ApplicationError(
            _("Say what happened, or why nothing changed: an update needs a text."), code="invalid"
        )
    if no_change:
        return
    if status not in PromiseStatus.values or status == PromiseStatus.NOT_RATED:
        raise ApplicationError(_("Choose the promise's new status, or mark it as no change."), code="invalid")
    if not (isinstance(progress, int) and not isinstance(progress, bool) and 0 <= progress <= 100):
        raise ApplicationError(_("Progress is a whole number from 0 to 100."), code="invalid")
    if status == PromiseStatus.KEPT and progress != 100:
        raise ApplicationError(_("A kept promise is done in full (100 percent)."), code="invalid")
    if spent_kzt is not None and not _whole(spent_kzt):
        raise ApplicationError(
            _("The amount spent is a whole, non-negative number of tenge."), code="invalid"
        )
    if status in REASONED_STATUSES and not reason.strip():
        raise ApplicationError(
            _("Give the reason the promise is %(status)s.") % {"status": PromiseStatus(status).label},
            code="invalid",
        )


@transaction.atomic
def report_save_update(
    *,
    report: Report,
    promise: Promise,
    no_change: bool,
    narrative: str,
    actor: Actor,
    status: str = "",
    progress: int | None = None,
    spent_kzt: int | None = None,
    reason: str = "",
) -> ReportUpdate:
    """The draft's update of one active promise: a new status, progress and spending, or "no change" with the
    reason nothing changed. Saving again replaces it."""
    report = _lock(report)
    _ensure_draft(report)
    _ensure_sitting(report)
    program = commitments_program(report.mandate)
    if program is None or not program.promises.filter(pk=promise.pk, removed_in__isnull=True).exists():
        raise ApplicationError(
            _("This promise is not in the published program of this akim."), code="not_in_program"
        )
    _check_update(
        promise=promise,
        no_change=no_change,
        status=status,
        progress=progress,
        spent_kzt=spent_kzt,
        narrative=narrative,
        reason=reason,
    )
    update = ReportUpdate.objects.filter(report=report, promise=promise).first() or ReportUpdate(
        report=report, promise=promise
    )
    update.no_change = no_change
    update.status = "" if no_change else status
    update.progress = None if no_change else progress
    update.spent_kzt = None if no_change else spent_kzt
    update.narrative = narrative.strip()
    update.reason = "" if no_change or status not in REASONED_STATUSES else reason.strip()
    update.updated_at = timezone.now()
    try:
        update.full_clean(exclude=["report", "promise", "event"])
    except ValidationError as exc:
        raise ApplicationError(_messages(exc), code="invalid") from exc
    update.save()
    Report.private_objects.filter(pk=report.pk).update(updated_at=update.updated_at)
    audit_record(
        actor=actor,
        action="reports.save_update",
        subject=report,
        territory=report.rural_unit.kato,
        data={
            "promise": promise.local_id,
            "no_change": no_change,
            "status": update.status,
            "progress": update.progress,
        },
    )
    return update


@transaction.atomic
def report_delete_update(*, update: ReportUpdate, actor: Actor) -> None:
    """Drop a draft's update (and its evidence), e.g. of a promise an amendment left out."""
    report = _lock(update.report)
    _ensure_draft(report)
    files = [evidence.file.name for evidence in update.evidence.all()]
    local_id = update.promise.local_id
    update.delete()
    transaction.on_commit(lambda: _delete_files(files))
    audit_record(
        actor=actor,
        action="reports.delete_update",
        subject=report,
        territory=report.rural_unit.kato,
        data={"promise": local_id, "evidence": len(files)},
    )


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


@transaction.atomic
def evidence_add(*, update: ReportUpdate, upload: object, actor: Actor, title: str = "") -> Evidence:
    """Attach a photo (JPEG, PNG or WebP, ≤ 5 MB, re-encoded without metadata) or a PDF (≤ 10 MB) to an update
    of a draft; at most five per update."""
    report = _lock(update.report)
    _ensure_draft(report)
    if update.evidence.count() >= MAX_EVIDENCE_PER_UPDATE:
        raise ApplicationError(
            _("At most %(max)d files per promise update.") % {"max": MAX_EVIDENCE_PER_UPDATE},
            code="too_many_files",
        )
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        document = clean_pdf(upload)
        kind, content, extension, content_type = (
            EvidenceKind.PDF,
            document.content,
            "pdf",
            document.content_type,
        )
        width = height = None
        size = document.size
    else:
        photo = clean_photo(upload)
        kind, content, extension, content_type = (
            EvidenceKind.PHOTO,
            photo.content,
            photo.extension,
            photo.content_type,
        )
        width, height = photo.width, photo.height
        size = content.size
    evidence = Evidence(
        update=update,
        kind=kind,
        title=title.strip()[:200],
        content_type=content_type,
        size=size,
        width=width,
        height=height,
        uploaded_at=timezone.now(),
        uploaded_by=_user(actor),
    )
    evidence.file.save(f"evidence.{extension}", content, save=False)
    name = evidence.file.name
    try:
        evidence.full_clean(exclude=["update"])
        evidence.save()
    except Exception:
        _delete_files([name])
        raise
    audit_record(
        actor=actor,
        action="reports.evidence_add",
        subject=report,
        territory=report.rural_unit.kato,
        data={"promise": update.promise.local_id, "kind": kind, "size": size, "evidence": evidence.pk},
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor: Actor) -> None:
    report = _lock(evidence.update.report)
    _ensure_draft(report)
    name, evidence_id = evidence.file.name, evidence.pk
    evidence.delete()
    transaction.on_commit(lambda: _delete_files([name]))
    audit_record(
        actor=actor,
        action="reports.evidence_remove",
        subject=report,
        territory=report.rural_unit.kato,
        data={"evidence": evidence_id},
    )


# --- Publishing ---------------------------------------------------------------------------------------------


def missing_updates(report: Report, program: Program | None) -> list[Promise]:
    """The active promises of the akim's program that the report has no update for (two queries)."""
    covered = set(report.updates.values_list("promise__local_id", flat=True))
    return [promise for promise in active_promises(program) if promise.local_id not in covered]


def _evidence_note(report: Report, update: ReportUpdate, photos: int, documents: int) -> str:
    parts = [_("Report %(n)d of the akim, /reports/%(id)d/") % {"n": report.sequence, "id": report.pk}]
    if photos:
        parts.append(ngettext("%(count)d photo", "%(count)d photos", photos) % {"count": photos})
    if documents:
        parts.append(ngettext("%(count)d document", "%(count)d documents", documents) % {"count": documents})
    return ", ".join(parts)


@transaction.atomic
def report_publish(
    *, report: Report, actor: Actor, now: datetime | None = None, site_url: str = ""
) -> Report:
    """Publish a draft: refused while an active promise has no update, the meeting or summary is missing, or
    the budget execution lists no revenue or no expense. Every update becomes an entry in its promise's
    timeline; the report then never changes. Subscribers of the unit get an e-mail after the commit."""
    now = now or timezone.now()
    report = _lock(report)
    _ensure_draft(report)
    _ensure_sitting(report)
    today = timezone.localdate(now)
    problems = []
    if report.meeting_on is None or not report.meeting_place or report.attendance is None:
        problems.append(_("the reporting meeting: its date, place and the number of residents present"))
    elif report.meeting_on > today:
        problems.append(_("the reporting meeting has not taken place yet"))
    if not report.summary:
        problems.append(_("the summary"))
    kinds = set(report.budget_lines.values_list("kind", flat=True))
    if BudgetKind.REVENUE not in kinds or BudgetKind.EXPENSE not in kinds:
        problems.append(_("the budget execution: at least one revenue and one expense line"))
    program = commitments_program(report.mandate)
    missing = missing_updates(report, program)
    if missing:
        problems.append(
            _("an update of every active promise; missing: %(promises)s")
            % {"promises": "; ".join(f"{promise.local_id} {promise.title}" for promise in missing)}
        )
    if problems:
        raise ApplicationError(
            _("The report cannot be published yet. It needs %(problems)s.")
            % {"problems": "; ".join(problems)},
            code="incomplete",
            extra={"missing_updates": [promise.local_id for promise in missing], "problems": problems},
        )
    current = {
        promise.local_id: promise
        for promise in (
            program.promises.filter(removed_in__isnull=True) if program else Promise.objects.none()
        )
    }
    updates = list(report.updates.select_related("promise").prefetch_related("evidence"))
    updates.sort(
        key=lambda update: (
            (current[update.promise.local_id].order, update.promise.local_id)
            if update.promise.local_id in current
            else (10_000, update.promise.local_id)
        )
    )
    source = f"report:{report.pk}"
    for update in updates:
        promise = current.get(update.promise.local_id)
        if promise is None:
            raise ApplicationError(
                _("%(promise)s is no longer in the akim's program: delete its update.")
                % {"promise": update.promise.local_id},
                code="not_in_program",
            )
        kinds_of_evidence = [evidence.kind for evidence in update.evidence.all()]
        note = _evidence_note(
            report,
            update,
            kinds_of_evidence.count(EvidenceKind.PHOTO),
            kinds_of_evidence.count(EvidenceKind.PDF),
        )
        update.status_before = promise.status
        try:
            if update.no_change:
                event = promise_record_no_change(
                    promise=promise,
                    narrative=update.narrative,
                    actor=actor,
                    source=source,
                    evidence_note=note,
                    at=now,
                )
            else:
                event = promise_record_update(
                    promise=promise,
                    status=update.status,
                    progress=update.progress,
                    spent_kzt=update.spent_kzt,
                    narrative=update.narrative,
                    reason=update.reason,
                    actor=actor,
                    source=source,
                    evidence_note=note,
                    at=now,
                )
        except ApplicationError as exc:
            raise ApplicationError(
                f"{promise.local_id}: {exc.message}", code=exc.code, extra=exc.extra
            ) from exc
        update.promise = promise
        update.event = event
    ReportUpdate.objects.bulk_update(updates, ["promise", "status_before", "event"])
    report.status = ReportStatus.PUBLISHED
    report.published_at = now
    report.published_by = _user(actor)
    report.days_late = max((today - report.due_on).days, 0)
    report.updated_at = now
    report.save(update_fields=["status", "published_at", "published_by", "days_late", "updated_at"])
    stats_rebuild([report.rural_unit_id], today=today)
    audit_record(
        actor=actor,
        action="reports.publish",
        subject=report,
        territory=report.rural_unit.kato,
        data={
            "sequence": report.sequence,
            "due_on": report.due_on.isoformat(),
            "days_late": report.days_late,
            "updates": len(updates),
            "events": [update.event_id for update in updates],
        },
    )
    report_id = report.pk
    transaction.on_commit(lambda: email_subscribers(report_id=report_id, site_url=site_url))
    return report


def email_subscribers(*, report_id: int, site_url: str = "") -> int:
    """Tell the unit's subscribers that a report is out (after the commit; a mail failure is logged only)."""
    report = (
        Report.public_objects.select_related("rural_unit", "mandate__person").filter(pk=report_id).first()
    )
    if report is None:
        return 0
    addresses = list(
        Subscription.objects.filter(unit_id=report.rural_unit_id)
        .exclude(user__email="")
        .filter(user__is_active=True)
        .values_list("user__email", flat=True)
    )
    if not addresses:
        return 0
    subject = _("New report of the akim of %(unit)s") % {"unit": report.rural_unit.name}
    body = _(
        "%(akim)s, akim of %(unit)s, published the report for the period from %(start)s to %(end)s.\n\n"
        "Read it, rate it and ask your questions: %(url)s\n"
    ) % {
        "akim": report.mandate.person.full_name,
        "unit": report.rural_unit.name,
        "start": report.period_start.isoformat(),
        "end": report.due_on.isoformat(),
        "url": f"{site_url.rstrip('/')}/reports/{report.pk}/",
    }
    try:
        return send_mass_mail(
            [(subject, body, None, [address]) for address in addresses], fail_silently=False
        )
    except Exception:  # noqa: BLE001 (mail is a courtesy: the report is published whatever the mail server says)
        logger.exception("could not e-mail the subscribers of report %s", report_id)
        return 0


@transaction.atomic
def report_add_erratum(*, report: Report, text: str, actor: Actor, now: datetime | None = None) -> Erratum:
    """A correction appended to a published report, dated and shown with it."""
    report = _lock(report)
    _ensure_published(report)
    text = text.strip()
    if len(text) < 10:
        raise ApplicationError(_("Say what is corrected, in at least 10 characters."), code="invalid")
    erratum = Erratum(report=report, text=text, published_at=now or timezone.now(), author=_user(actor))
    try:
        erratum.full_clean(exclude=["report", "author"])
    except ValidationError as exc:
        raise ApplicationError(_messages(exc), code="invalid") from exc
    erratum.save()
    audit_record(
        actor=actor,
        action="reports.erratum",
        subject=report,
        territory=report.rural_unit.kato,
        data={"erratum": erratum.pk, "text": text[:200]},
    )
    return erratum


# --- The residents' voice -----------------------------------------------------------------------------------


def _bump_stat(report: Report, *, count: int, total: int) -> None:
    """Keep the unit's summary row in step with a rating change of its sitting akim's report."""
    ReportStat.objects.filter(unit_id=report.rural_unit_id, mandate_id=report.mandate_id).update(
        rating_count=F("rating_count") + count, rating_sum=F("rating_sum") + total
    )


@transaction.atomic
def report_rate(*, report: Report, user: AbstractBaseUser, stars: int, now: datetime | None = None) -> Rating:
    """A resident of the unit rates a published report 1-5; rating again replaces their mark."""
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ApplicationError(_("A rating is a whole number from 1 to 5."), code="invalid")
    report = _lock(report)
    _ensure_published(report)
    _ensure_resident(user, report.rural_unit)
    now = now or timezone.now()
    rating = Rating.private_objects.select_for_update().filter(report=report, user=user).first()
    if rating is None:
        rating = Rating(report=report, user=user, stars=stars, created_at=now, updated_at=now)
        rating.full_clean(exclude=["report", "user"])
        rating.save()
        count, total, before = 1, stars, None
    else:
        before = rating.stars
        count, total = 0, stars - rating.stars
        rating.stars, rating.updated_at = stars, now
        rating.save(update_fields=["stars", "updated_at"])
    if count or total:
        Report.private_objects.filter(pk=report.pk).update(
            rating_count=F("rating_count") + count, rating_sum=F("rating_sum") + total
        )
        _bump_stat(report, count=count, total=total)
    audit_record(
        actor=user,
        action="reports.rate",
        subject=report,
        territory=report.rural_unit.kato,
        data={"stars": stars, "before": before},
    )
    return rating


@transaction.atomic
def update_judge(
    *, update: ReportUpdate, user: AbstractBaseUser, verdict: str, now: datetime | None = None
) -> UpdateVerdict:
    """A resident of the unit agrees or disagrees with the status a published update gives a promise."""
    if verdict not in Verdict.values:
        raise ApplicationError(_("Choose agree or disagree."), code="invalid")
    update = ReportUpdate.objects.select_for_update().select_related("report__rural_unit").get(pk=update.pk)
    report = update.report
    _ensure_published(report)
    _ensure_resident(user, report.rural_unit)
    now = now or timezone.now()
    judged = UpdateVerdict.private_objects.filter(update=update, user=user).first()
    before = judged.verdict if judged else None
    if judged is None:
        judged = UpdateVerdict(update=update, user=user, verdict=verdict, at=now)
        judged.full_clean(exclude=["update", "user"])
        judged.save()
    elif judged.verdict != verdict:
        judged.verdict, judged.at = verdict, now
        judged.save(update_fields=["verdict", "at"])
    if before != verdict:
        changes = {f"{verdict}_count": F(f"{verdict}_count") + 1}
        if before:
            changes[f"{before}_count"] = F(f"{before}_count") - 1
        ReportUpdate.objects.filter(pk=update.pk).update(**changes)
    audit_record(
        actor=user,
        action="reports.judge_update",
        subject=report,
        territory=report.rural_unit.kato,
        data={"update": update.pk, "verdict": verdict, "before": before},
    )
    return judged


def _unit_officials(unit: Territory) -> list[int]:
    """The users who hold the akim or akimat staff role in the unit (one query)."""
    return list(
        RoleAssignment.objects.filter(territory=unit, role__in=[Role.AKIM, Role.AKIMAT_STAFF])
        .values_list("user_id", flat=True)
        .distinct()
    )


@transaction.atomic
def question_ask(
    *, report: Report, user: AbstractBaseUser, text: str, now: datetime | None = None
) -> Question:
    """A resident of the unit asks a question on a published report; the akim and staff are told."""
    report = Report.private_objects.select_related("rural_unit", "mandate").get(pk=report.pk)
    _ensure_published(report)
    _ensure_resident(user, report.rural_unit)
    text = text.strip()
    if len(text) < 5:
        raise ApplicationError(_("Write your question in at least 5 characters."), code="invalid")
    now = now or timezone.now()
    question = Question(report=report, author=user, text=text, asked_at=now)
    try:
        question.full_clean(exclude=["report", "author"])
    except ValidationError as exc:
        raise ApplicationError(_messages(exc), code="invalid") from exc
    question.save()
    ReportNotification.objects.bulk_create(
        ReportNotification(
            recipient_id=user_id,
            kind=NotificationKind.QUESTION,
            rural_unit=report.rural_unit,
            mandate=report.mandate,
            report=report,
            created_at=now,
        )
        for user_id in _unit_officials(report.rural_unit)
        if user_id != user.pk
    )
    audit_record(
        actor=user,
        action="reports.question_ask",
        subject=question,
        territory=report.rural_unit.kato,
        data={"report": report.pk},
    )
    return question


@transaction.atomic
def question_answer(*, question: Question, text: str, actor: Actor, now: datetime | None = None) -> Question:
    """The akim's public answer; one per question. The resident who asked is told."""
    question = (
        Question.moderation_objects.select_for_update()
        .select_related("report__rural_unit", "report__mandate")
        .get(pk=question.pk)
    )
    if question.answered_at is not None:
        raise ApplicationError(_("This question is answered already."), code="answered")
    if question.is_hidden:
        raise ApplicationError(_("A moderator hid this question."), code="hidden")
    text = text.strip()
    if len(text) < 2:
        raise ApplicationError(_("Write the answer."), code="invalid")
    now = now or timezone.now()
    question.answer, question.answered_at, question.answered_by = text, now, _user(actor)
    try:
        question.full_clean(exclude=["report", "author", "answered_by", "hidden_by"])
    except ValidationError as exc:
        raise ApplicationError(_messages(exc), code="invalid") from exc
    question.save(update_fields=["answer", "answered_at", "answered_by"])
    report = question.report
    ReportNotification.objects.create(
        recipient_id=question.author_id,
        kind=NotificationKind.ANSWERED,
        rural_unit=report.rural_unit,
        mandate=report.mandate,
        report=report,
        created_at=now,
    )
    audit_record(
        actor=actor,
        action="reports.question_answer",
        subject=question,
        territory=report.rural_unit.kato,
        data={"report": report.pk},
    )
    return question


@transaction.atomic
def question_hide(
    *, question: Question, reason: str, actor: AbstractBaseUser, now: datetime | None = None
) -> Question:
    """A moderator (district supervisor or administrator) hides an abusive question; the reason stays visible
    in its place as "hidden by moderator: <reason>"."""
    question = (
        Question.moderation_objects.select_for_update()
        .select_related("report__rural_unit")
        .get(pk=question.pk)
    )
    if not access.may(actor, "reports.moderate", question.report.rural_unit):
        raise ApplicationError(_("Only a moderator of this territory may hide a question."), code="forbidden")
    if question.is_hidden:
        raise ApplicationError(_("This question is hidden already."), code="hidden")
    reason = " ".join(reason.split())
    if len(reason) < 3:
        raise ApplicationError(_("Give the reason for hiding, in a few words."), code="invalid")
    question.hidden_at, question.hidden_by, question.hidden_reason = (
        now or timezone.now(),
        actor,
        reason[:300],
    )
    question.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit_record(
        actor=actor,
        action="reports.question_hide",
        subject=question,
        territory=question.report.rural_unit.kato,
        data={"report": question.report_id, "reason": question.hidden_reason},
    )
    return question


@transaction.atomic
def subscription_set(*, user: AbstractBaseUser, unit: Territory, subscribed: bool) -> bool:
    """Subscribe to (or leave) the e-mails about a unit's reports; returns whether the user is subscribed."""
    if not (unit.level == "unit" and unit.has_elected_akim):
        raise ApplicationError(_("Only a rural unit with an elected akim has reports."), code="invalid")
    existing = Subscription.objects.filter(user=user, unit=unit)
    if subscribed and not existing.exists():
        Subscription.objects.create(user=user, unit=unit, created_at=timezone.now())
        audit_record(actor=user, action="reports.subscribe", subject=unit, territory=unit.kato)
    elif not subscribed and existing.exists():
        existing.delete()
        audit_record(actor=user, action="reports.unsubscribe", subject=unit, territory=unit.kato)
    return subscribed


@transaction.atomic
def notifications_mark_read(*, user: AbstractBaseUser, now: datetime | None = None) -> int:
    return ReportNotification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


# --- esep tick: reminders and overdue notices ---------------------------------------------------------------


def _insert_once(rows: list[ReportNotification]) -> int:
    """Insert each notification unless its (kind, recipient, mandate, due date) exists: a unique constraint
    decides, inside a savepoint, so two ticks running at once never send one twice."""
    sent = 0
    for row in rows:
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue
        sent += 1
    return sent


def _existing(kind_values: list[str], mandate_ids: list[int]) -> set[tuple]:
    return set(
        ReportNotification.objects.filter(kind__in=kind_values, mandate_id__in=mandate_ids).values_list(
            "kind", "recipient_id", "mandate_id", "due_on"
        )
    )


def _chunks(stats: list[ReportStat], size: int = 500) -> list[list[ReportStat]]:
    return [stats[start : start + size] for start in range(0, len(stats), size)]


@transaction.atomic
def reminders_send(*, now: datetime) -> int:
    """Remind the akim and the akimat staff 14 and 3 days before a due date (only the 3-day one when the tick
    first sees the date 3 days away or less). Three queries per 500 units, then one insert per reminder;
    one audit event per run that sent anything."""
    today = timezone.localdate(now)
    stats = list(
        ReportStat.objects.filter(
            mandate_id__isnull=False, next_due_on__gte=today, next_due_on__lte=today + timedelta(days=14)
        ).order_by("kato")
    )
    sent = 0
    for chunk in _chunks(stats):
        officials: dict[int, set[int]] = {}
        for unit_id, user_id in RoleAssignment.objects.filter(
            territory_id__in=[stat.unit_id for stat in chunk], role__in=[Role.AKIM, Role.AKIMAT_STAFF]
        ).values_list("territory_id", "user_id"):
            officials.setdefault(unit_id, set()).add(user_id)
        known = _existing(list(REMINDER_DAYS), [stat.mandate_id for stat in chunk])
        rows = []
        for stat in chunk:
            days_left = (stat.next_due_on - today).days
            kind = NotificationKind.REMINDER_3 if days_left <= 3 else NotificationKind.REMINDER_14
            rows.extend(
                ReportNotification(
                    recipient_id=user_id,
                    kind=kind,
                    rural_unit_id=stat.unit_id,
                    mandate_id=stat.mandate_id,
                    due_on=stat.next_due_on,
                    created_at=now,
                )
                for user_id in sorted(officials.get(stat.unit_id, ()))
                if (kind, user_id, stat.mandate_id, stat.next_due_on) not in known
            )
        sent += _insert_once(rows)
    if sent:
        audit_record(actor=None, action="reports.reminders", data={"sent": sent, "on": today.isoformat()})
    return sent


@transaction.atomic
def overdue_notify(*, now: datetime) -> int:
    """Tell the district supervisors, once per missed due date, that a sitting akim's report is overdue."""
    stats = list(ReportStat.objects.filter(overdue__gt=0, mandate_id__isnull=False).order_by("kato"))
    sent = 0
    for chunk in _chunks(stats):
        supervisors: dict[str, set[int]] = {}
        for kato, user_id in RoleAssignment.objects.filter(
            role=Role.DISTRICT_SUPERVISOR, territory__kato__in={stat.district for stat in chunk}
        ).values_list("territory__kato", "user_id"):
            supervisors.setdefault(kato, set()).add(user_id)
        known = _existing([NotificationKind.OVERDUE], [stat.mandate_id for stat in chunk])
        rows = []
        for stat in chunk:
            for missed in stat.missed:
                due = date.fromisoformat(missed)
                rows.extend(
                    ReportNotification(
                        recipient_id=user_id,
                        kind=NotificationKind.OVERDUE,
                        rural_unit_id=stat.unit_id,
                        mandate_id=stat.mandate_id,
                        due_on=due,
                        created_at=now,
                    )
                    for user_id in sorted(supervisors.get(stat.district, ()))
                    if (NotificationKind.OVERDUE, user_id, stat.mandate_id, due) not in known
                )
        sent += _insert_once(rows)
    if sent:
        audit_record(
            actor=None,
            action="reports.overdue_notices",
            data={"sent": sent, "on": timezone.localdate(now).isoformat()},
        )
    return sent


@transaction.atomic
def report_stats_refresh(*, unit_ids: Sequence[int], on: date | None = None) -> int:
    """Recompute the summary rows of these units (`esep tick` calls it for stale rows)."""
    return stats_rebuild(unit_ids, today=on or timezone.localdate())
