"""Every write of the training app: catalogue, enrolments and completions, staff, instructions and reports.

`actor` is the user acting (checked against their territory); None is the system: demo data and commands.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from esep.core.audit.chain import audit_record
from esep.core.errors import ApplicationError, full_clean_or_refuse
from esep.core.imports import ImportFailed, ImportResult, RowError, read_csv_rows
from esep.elections.models import Mandate
from esep.territory.models import Level, Territory
from esep.training.deadlines import within_a_month
from esep.training.models import (
    AkimPost,
    AssigneeKind,
    Assignment,
    Body,
    Competence,
    Corps,
    Course,
    DeadlineRule,
    Enrolment,
    EnrolmentStatus,
    Instruction,
    InstructionStatus,
    Module,
    PositionKind,
    PostCategory,
    ProgressReport,
    Provider,
    ProviderKind,
    ReportDecision,
    Session,
    SessionMode,
    StaffChange,
    StaffChangeKind,
    StaffPosition,
)
from esep.training.permissions import ensure_covers

User = AbstractBaseUser
KATO_RE = re.compile(r"^[0-9]{9}$")
MAX_REPORT_LENGTH = 10_000


def _clean(instance: object) -> None:
    full_clean_or_refuse(instance)


def _today() -> date:
    return timezone.localdate()


# --- Catalogue ------------------------------------------------------------------------------------


@transaction.atomic
def provider_create(
    *,
    code: str,
    kind: str,
    name_kk: str,
    name_ru: str,
    name_en: str,
    website: str = "",
    actor: User | None = None,
) -> Provider:
    ensure_covers(actor, "training.manage", "")
    if kind not in ProviderKind.values:
        raise ApplicationError(_("Unknown kind of provider."))
    if Provider.objects.filter(code=code).exists():
        raise ApplicationError(
            _("A provider with the code %(code)s exists.") % {"code": code}, code="duplicate"
        )
    provider = Provider(
        code=code, kind=kind, name_kk=name_kk, name_ru=name_ru, name_en=name_en, website=website
    )
    _clean(provider)
    provider.save()
    audit_record(actor=actor, action="training.provider_create", subject=provider, data={"code": code})
    return provider


@transaction.atomic
def module_create(
    *,
    code: str,
    name_kk: str,
    name_ru: str,
    name_en: str,
    position: int = 0,
    required: bool = True,
    actor: User | None = None,
) -> Module:
    ensure_covers(actor, "training.manage", "")
    if Module.objects.filter(code=code).exists():
        raise ApplicationError(
            _("A module with the code %(code)s exists.") % {"code": code}, code="duplicate"
        )
    module = Module(
        code=code, name_kk=name_kk, name_ru=name_ru, name_en=name_en, position=position, required=required
    )
    _clean(module)
    module.save()
    audit_record(actor=actor, action="training.module_create", subject=module, data={"code": code})
    return module


@transaction.atomic
def course_create(
    *,
    code: str,
    provider: Provider,
    title_kk: str,
    title_ru: str,
    title_en: str,
    modules: Sequence[Module],
    hours: int,
    pass_score: int = 60,
    is_foundation: bool = False,
    actor: User | None = None,
) -> Course:
    ensure_covers(actor, "training.manage", "")
    if not modules:
        raise ApplicationError(_("A course teaches at least one module."))
    if hours <= 0:
        raise ApplicationError(_("A course lasts at least one academic hour."))
    if not 1 <= pass_score <= 100:
        raise ApplicationError(_("The pass score is from 1 to 100."))
    if Course.objects.filter(code=code).exists():
        raise ApplicationError(
            _("A course with the code %(code)s exists.") % {"code": code}, code="duplicate"
        )
    course = Course(
        code=code,
        provider=provider,
        title_kk=title_kk,
        title_ru=title_ru,
        title_en=title_en,
        hours=hours,
        pass_score=pass_score,
        is_foundation=is_foundation,
    )
    _clean(course)
    course.save()
    course.modules.set(modules)
    audit_record(
        actor=actor,
        action="training.course_create",
        subject=course,
        data={"code": code, "provider": provider.code, "modules": sorted(m.code for m in modules)},
    )
    return course


@transaction.atomic
def session_create(
    *,
    course: Course,
    starts_on: date,
    ends_on: date,
    place: str,
    region: Territory | None = None,
    mode: str = SessionMode.IN_PERSON,
    capacity: int | None = None,
    actor: User | None = None,
) -> Session:
    ensure_covers(actor, "training.manage", region.kato if region else "")
    if not course.is_active:
        raise ApplicationError(_("This course is no longer offered."))
    if ends_on < starts_on:
        raise ApplicationError(_("A session cannot end before it starts."))
    if (ends_on - starts_on).days > 366:
        raise ApplicationError(_("A session lasts at most a year."))
    if region is not None and region.level != Level.REGION:
        raise ApplicationError(_("The place of a session is given by its region."))
    if capacity is not None and capacity < 1:
        raise ApplicationError(_("A session has at least one seat."))
    if not place.strip():
        raise ApplicationError(_("Say where the session takes place."))
    session = Session(
        course=course,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place.strip(),
        region=region,
        mode=mode,
        capacity=capacity,
    )
    _clean(session)
    session.save()
    audit_record(
        actor=actor,
        action="training.session_create",
        subject=session,
        territory=region.kato if region else "",
        data={"course": course.code, "starts_on": starts_on, "ends_on": ends_on, "capacity": capacity},
    )
    return session


# --- Enrolments and completions -------------------------------------------------------------------


@dataclass
class EnrolResult:
    enrolled: list[Enrolment] = field(default_factory=list)
    already_enrolled: int = 0
    already_completed: int = 0


_ACTIVE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.FAILED)


@transaction.atomic
def enrolment_bulk_create(
    *, session: Session, mandates: Sequence[Mandate], actor: User | None = None
) -> EnrolResult:
    """Enrol sitting akims in a session, all or nothing. Those already enrolled or already through the course
    are skipped and counted; any akim outside the actor's territory refuses the whole batch."""
    if not mandates:
        raise ApplicationError(_("Choose at least one akim to enrol."))
    if session.ends_on < _today():
        raise ApplicationError(_("This session has ended; enrol in a later one."))
    ended = [m for m in mandates if m.ended_on is not None]
    if ended:
        raise ApplicationError(
            _("Only sitting akims can be enrolled; not in office: %(units)s")
            % {"units": ", ".join(sorted(m.rural_unit.kato for m in ended)[:20])}
        )
    for mandate in mandates:
        ensure_covers(actor, "training.enrol", mandate.rural_unit.kato)
    by_person = {mandate.person_id: mandate for mandate in mandates}
    existing = {
        e.person_id: e for e in Enrolment.objects.filter(session=session, person_id__in=list(by_person))
    }
    completed = set(
        Enrolment.objects.filter(
            session__course_id=session.course_id,
            person_id__in=list(by_person),
            status=EnrolmentStatus.COMPLETED,
        ).values_list("person_id", flat=True)
    )
    result = EnrolResult()
    new_rows: list[Enrolment] = []
    reactivated: list[Enrolment] = []
    now = timezone.now()
    for person_id, mandate in by_person.items():
        if person_id in completed:
            result.already_completed += 1
            continue
        current = existing.get(person_id)
        if current is not None and current.status != EnrolmentStatus.WITHDRAWN:
            result.already_enrolled += 1
            continue
        if current is not None:
            current.status, current.enrolled_at, current.enrolled_by = EnrolmentStatus.ENROLLED, now, actor
            current.rural_unit_id = mandate.rural_unit_id
            reactivated.append(current)
        else:
            new_rows.append(
                Enrolment(
                    session=session,
                    person_id=person_id,
                    rural_unit_id=mandate.rural_unit_id,
                    enrolled_at=now,
                    enrolled_by=actor if actor is not None and actor.is_authenticated else None,
                )
            )
    if session.capacity is not None:
        taken = Enrolment.objects.filter(session=session, status__in=_ACTIVE).count()
        wanted = len(new_rows) + len(reactivated)
        if taken + wanted > session.capacity:
            raise ApplicationError(
                _("Only %(left)d seats are left in this session; %(wanted)d akims were chosen.")
                % {"left": max(session.capacity - taken, 0), "wanted": wanted},
                code="no_seats",
            )
    for row in new_rows:
        row.full_clean(exclude=["session", "person", "rural_unit", "enrolled_by"])
    result.enrolled = Enrolment.objects.bulk_create(new_rows, batch_size=500)
    for row in reactivated:
        row.save(update_fields=["status", "enrolled_at", "enrolled_by", "rural_unit"])
    result.enrolled += reactivated
    if result.enrolled:
        audit_record(
            actor=actor,
            action="training.enrol",
            subject=session,
            territory=session.region.kato if session.region_id else "",
            data={
                "persons": sorted(e.person_id for e in result.enrolled),
                "skipped_enrolled": result.already_enrolled,
                "skipped_completed": result.already_completed,
            },
        )
    return result


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, actor: User | None = None) -> Enrolment:
    ensure_covers(actor, "training.enrol", enrolment.rural_unit.kato)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ApplicationError(_("Only an enrolment without a result can be withdrawn."))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="training.withdraw",
        subject=enrolment,
        territory=enrolment.rural_unit.kato,
        data={},
    )
    return enrolment


def certificate_number(enrolment: Enrolment, provider: Provider, completed_on: date) -> str:
    return f"{provider.code.upper()}-{completed_on.year}-{enrolment.pk:06d}"


@transaction.atomic
def enrolment_complete(
    *, enrolment: Enrolment, score: int, completed_on: date, actor: User | None = None
) -> Enrolment:
    """Record the result: a pass completes the course (certificate, competences), a lower score fails."""
    ensure_covers(actor, "training.manage", enrolment.rural_unit.kato)
    enrolment = (
        Enrolment.objects.select_for_update().select_related("session__course__provider").get(pk=enrolment.pk)
    )
    session = enrolment.session
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise ApplicationError(_("This enrolment was withdrawn."))
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ApplicationError(_("The result of this enrolment is already recorded."), code="duplicate")
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise ApplicationError(_("The score is a whole number from 0 to 100."))
    if completed_on < session.starts_on:
        raise ApplicationError(_("A course cannot be completed before its session starts."))
    if completed_on > _today():
        raise ApplicationError(_("The completion date cannot be in the future."))
    course = session.course
    passed = score >= course.pass_score
    enrolment.score, enrolment.completed_on = score, completed_on
    enrolment.status = EnrolmentStatus.COMPLETED if passed else EnrolmentStatus.FAILED
    enrolment.certificate_number = (
        certificate_number(enrolment, course.provider, completed_on) if passed else None
    )
    _clean(enrolment)
    enrolment.save(update_fields=["score", "completed_on", "status", "certificate_number"])
    new_modules: list[str] = []
    if passed:
        held = set(
            Competence.objects.filter(person_id=enrolment.person_id).values_list("module_id", flat=True)
        )
        rows = [
            Competence(
                person_id=enrolment.person_id, module=module, acquired_on=completed_on, enrolment=enrolment
            )
            for module in course.modules.all()
            if module.pk not in held
        ]
        Competence.objects.bulk_create(rows)
        new_modules = sorted(row.module.code for row in rows)
    audit_record(
        actor=actor,
        action="training.complete",
        subject=enrolment,
        territory=enrolment.rural_unit.kato,
        data={
            "score": score,
            "passed": passed,
            "certificate": enrolment.certificate_number,
            "modules": new_modules,
        },
    )
    return enrolment


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _sitting_akims_by_kato(codes: Sequence[str]) -> dict[str, Mandate]:
    mandates = (
        Mandate.objects.current()
        .filter(rural_unit__kato__in=list(codes))
        .select_related("rural_unit", "person")
    )
    return {mandate.rural_unit.kato: mandate for mandate in mandates}


@transaction.atomic
def enrolments_import(*, session: Session, path: Path | str, actor: User | None = None) -> EnrolResult:
    """Enrol the sitting akims of the units listed in a CSV (column `kato`). All or nothing."""
    rows = list(read_csv_rows(path, required=["kato"]))
    errors: list[RowError] = []
    seen: set[str] = set()
    codes = [row["kato"].strip() for _line, row in rows]
    akims = _sitting_akims_by_kato([code for code in codes if KATO_RE.match(code)])
    for (line, _row), code in zip(rows, codes, strict=True):
        if not KATO_RE.match(code):
            errors.append(RowError(line, "kato", _("a KATO code has 9 digits")))
        elif code in seen:
            errors.append(RowError(line, "kato", _("the unit is listed twice")))
        elif code not in akims:
            errors.append(RowError(line, "kato", _("no sitting akim in this unit")))
        seen.add(code)
    if not rows:
        errors.append(RowError(1, "", _("the file lists no units")))
    if errors:
        raise ImportFailed(str(Path(path).name), errors)
    return enrolment_bulk_create(session=session, mandates=[akims[code] for code in codes], actor=actor)


@transaction.atomic
def completions_import(*, session: Session, path: Path | str, actor: User | None = None) -> ImportResult:
    """Results sheet of a session: columns `kato`, `score`, `completed_on` (YYYY-MM-DD). All or nothing."""
    source = str(Path(path).name)
    rows = list(read_csv_rows(path, required=["kato", "score", "completed_on"]))
    enrolments = {
        e.rural_unit.kato: e
        for e in Enrolment.objects.filter(session=session)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("rural_unit")
    }
    errors: list[RowError] = []
    parsed: list[tuple[int, Enrolment, int, date]] = []
    seen: set[str] = set()
    for line, row in rows:
        code = row["kato"].strip()
        enrolment = enrolments.get(code)
        if not KATO_RE.match(code):
            errors.append(RowError(line, "kato", _("a KATO code has 9 digits")))
        elif code in seen:
            errors.append(RowError(line, "kato", _("the unit is listed twice")))
        elif enrolment is None:
            errors.append(RowError(line, "kato", _("nobody from this unit is enrolled in the session")))
        seen.add(code)
        raw_score = row["score"].strip()
        score = int(raw_score) if re.fullmatch(r"[0-9]{1,3}", raw_score) else None
        if score is None or score > 100:
            errors.append(RowError(line, "score", _("a whole number from 0 to 100")))
        completed_on = _parse_date(row["completed_on"])
        if completed_on is None:
            errors.append(RowError(line, "completed_on", _("a date as YYYY-MM-DD")))
        if enrolment is not None and score is not None and score <= 100 and completed_on is not None:
            parsed.append((line, enrolment, score, completed_on))
    if not rows:
        errors.append(RowError(1, "", _("the file lists no results")))
    if errors:
        raise ImportFailed(source, errors)
    result = ImportResult()
    for line, enrolment, score, completed_on in parsed:
        try:
            enrolment_complete(enrolment=enrolment, score=score, completed_on=completed_on, actor=actor)
        except ApplicationError as exc:
            errors.append(RowError(line, "", str(exc.message)))
        else:
            result.created += 1
    if errors:
        # Raising rolls back the completions already written in this transaction.
        raise ImportFailed(source, errors)
    return result


# --- Civil-service status and staff ---------------------------------------------------------------


@transaction.atomic
def post_category_create(
    *,
    code: str,
    corps: str,
    name_kk: str,
    name_ru: str,
    name_en: str,
    position: int = 0,
    actor: User | None = None,
) -> PostCategory:
    ensure_covers(actor, "training.manage", "")
    if corps not in Corps.values:
        raise ApplicationError(_("Unknown corps."))
    if PostCategory.objects.filter(code=code).exists():
        raise ApplicationError(
            _("A category with the code %(code)s exists.") % {"code": code}, code="duplicate"
        )
    category = PostCategory(
        code=code, corps=corps, name_kk=name_kk, name_ru=name_ru, name_en=name_en, position=position
    )
    _clean(category)
    category.save()
    audit_record(
        actor=actor, action="training.category_create", subject=category, data={"code": code, "corps": corps}
    )
    return category


def _require_unit(unit: Territory) -> None:
    if unit.level != Level.UNIT or not unit.has_elected_akim:
        raise ApplicationError(_("%(unit)s is not a rural unit with an elected akim.") % {"unit": unit.name})


@transaction.atomic
def akim_post_set(
    *, unit: Territory, category: PostCategory, note: str = "", actor: User | None = None
) -> AkimPost:
    """Set the category of the akim's own post (the register of posts decides it, so analysts do)."""
    _require_unit(unit)
    ensure_covers(actor, "training.manage", unit.kato)
    post = AkimPost.objects.select_for_update().filter(rural_unit=unit).first()
    before = post.category_id if post else None
    if post is None:
        post = AkimPost(rural_unit=unit, category=category, note=note.strip())
        _clean(post)
        post.save()
    else:
        post.category, post.note, post.updated_at = category, note.strip(), timezone.now()
        _clean(post)
        post.save(update_fields=["category", "note", "updated_at"])
    audit_record(
        actor=actor,
        action="training.akim_post_set",
        subject=post,
        territory=unit.kato,
        data={"category": category.code, "before": before},
    )
    return post


def _check_day(on: date, *, not_before: date | None, what: str) -> None:
    if on > _today():
        raise ApplicationError(_("The date of a staff change cannot be in the future."))
    if not_before is not None and on < not_before:
        raise ApplicationError(_("The date cannot be earlier than %(what)s.") % {"what": what})


def _staff_change(
    position: StaffPosition,
    kind: str,
    on: date,
    actor: User | None,
    *,
    category: PostCategory | None = None,
    note: str = "",
) -> StaffChange:
    change = StaffChange(
        position=position,
        rural_unit_id=position.rural_unit_id,
        kind=kind,
        on=on,
        category=category,
        note=note.strip()[:300],
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    change.save()
    audit_record(
        actor=actor,
        action=f"training.staff_{kind}",
        subject=position,
        territory=position.rural_unit.kato,
        data={"on": on, "category": category.code if category else None, "kind": position.kind},
    )
    return change


@transaction.atomic
def staff_position_create(
    *, unit: Territory, kind: str, category: PostCategory, on: date, actor: User | None = None
) -> StaffPosition:
    _require_unit(unit)
    ensure_covers(actor, "training.staff", unit.kato)
    if kind not in PositionKind.values:
        raise ApplicationError(_("Unknown post."))
    _check_day(on, not_before=None, what="")
    position = StaffPosition(rural_unit=unit, kind=kind, category=category, created_on=on)
    _clean(position)
    position.save()
    _staff_change(position, StaffChangeKind.CREATED, on, actor, category=category)
    return position


def _locked(position: StaffPosition) -> StaffPosition:
    return (
        StaffPosition.objects.select_for_update().select_related("rural_unit", "category").get(pk=position.pk)
    )


@transaction.atomic
def staff_position_fill(
    *, position: StaffPosition, holder_name: str, on: date, actor: User | None = None
) -> StaffPosition:
    position = _locked(position)
    ensure_covers(actor, "training.staff", position.rural_unit.kato)
    if position.abolished_on is not None:
        raise ApplicationError(_("This position is abolished."))
    if position.is_filled:
        raise ApplicationError(_("This position is filled; record the departure first."))
    holder_name = " ".join(holder_name.split())
    if not holder_name:
        raise ApplicationError(_("Give the name of the person appointed."))
    _check_day(on, not_before=position.created_on, what=_("the day the position was created"))
    position.holder_name, position.filled_since = holder_name[:200], on
    _clean(position)
    position.save(update_fields=["holder_name", "filled_since"])
    _staff_change(position, StaffChangeKind.FILLED, on, actor)
    return position


@transaction.atomic
def staff_position_vacate(
    *, position: StaffPosition, on: date, note: str = "", actor: User | None = None
) -> StaffPosition:
    position = _locked(position)
    ensure_covers(actor, "training.staff", position.rural_unit.kato)
    if not position.is_filled:
        raise ApplicationError(_("This position is already vacant."))
    _check_day(on, not_before=position.filled_since, what=_("the day of appointment"))
    position.holder_name, position.filled_since = "", None
    position.save(update_fields=["holder_name", "filled_since"])
    _staff_change(position, StaffChangeKind.VACATED, on, actor, note=note)
    return position


@transaction.atomic
def staff_position_recategorise(
    *, position: StaffPosition, category: PostCategory, on: date, actor: User | None = None
) -> StaffPosition:
    position = _locked(position)
    ensure_covers(actor, "training.staff", position.rural_unit.kato)
    if position.abolished_on is not None:
        raise ApplicationError(_("This position is abolished."))
    if position.category_id == category.pk:
        raise ApplicationError(_("The position already has this category."))
    _check_day(on, not_before=position.created_on, what=_("the day the position was created"))
    position.category = category
    position.save(update_fields=["category"])
    _staff_change(position, StaffChangeKind.RECATEGORISED, on, actor, category=category)
    return position


@transaction.atomic
def staff_position_abolish(*, position: StaffPosition, on: date, actor: User | None = None) -> StaffPosition:
    position = _locked(position)
    ensure_covers(actor, "training.staff", position.rural_unit.kato)
    if position.abolished_on is not None:
        raise ApplicationError(_("This position is already abolished."))
    if position.is_filled:
        raise ApplicationError(_("A filled position cannot be abolished; record the departure first."))
    _check_day(on, not_before=position.created_on, what=_("the day the position was created"))
    position.abolished_on = on
    position.save(update_fields=["abolished_on"])
    _staff_change(position, StaffChangeKind.ABOLISHED, on, actor)
    return position


# --- Instructions ---------------------------------------------------------------------------------


@transaction.atomic
def body_create(*, code: str, name_kk: str, name_ru: str, name_en: str, actor: User | None = None) -> Body:
    ensure_covers(actor, "instructions.issue", "")
    if Body.objects.filter(code=code).exists():
        raise ApplicationError(_("A body with the code %(code)s exists.") % {"code": code}, code="duplicate")
    body = Body(code=code, name_kk=name_kk, name_ru=name_ru, name_en=name_en)
    _clean(body)
    body.save()
    audit_record(actor=actor, action="training.body_create", subject=body, data={"code": code})
    return body


@dataclass(frozen=True)
class AssigneeSpec:
    kind: str
    body: Body | None = None
    territory: Territory | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.body.pk if self.body else self.territory.pk)  # type: ignore[union-attr]

    @property
    def kato(self) -> str:
        return self.territory.kato if self.territory is not None else ""


def _validate_assignee(spec: AssigneeSpec) -> None:
    if spec.kind == AssigneeKind.BODY:
        if spec.body is None or spec.territory is not None:
            raise ApplicationError(_("A body assignee names a body and no territory."))
    elif spec.kind == AssigneeKind.REGION:
        if spec.territory is None or spec.territory.level != Level.REGION or spec.body is not None:
            raise ApplicationError(_("A region assignee names a region."))
    elif spec.kind == AssigneeKind.AKIM:
        if spec.territory is None or spec.body is not None:
            raise ApplicationError(_("An akim assignee names the akim's rural unit."))
        _require_unit(spec.territory)
    else:
        raise ApplicationError(_("Unknown kind of assignee."))


@transaction.atomic
def instruction_issue(
    *,
    number: str,
    issuer: Body,
    title_kk: str,
    title_ru: str,
    title_en: str,
    text_kk: str,
    text_ru: str,
    text_en: str,
    issued_on: date,
    assignees: Sequence[AssigneeSpec],
    deadline: date | None = None,
    within_month: bool = False,
    source: str = "",
    actor: User | None = None,
) -> Instruction:
    """An instruction with its deadline (a set date, or "within a month": see deadlines.py) and assignees."""
    if (deadline is None) == (not within_month):
        raise ApplicationError(_('Give either a deadline date or "within a month", not both or neither.'))
    if not assignees:
        raise ApplicationError(_("An instruction needs at least one assignee."))
    for spec in assignees:
        _validate_assignee(spec)
        ensure_covers(actor, "instructions.issue", spec.kato)
    if len({spec.key for spec in assignees}) != len(assignees):
        raise ApplicationError(_("An assignee is listed twice."))
    if not text_ru.strip() and not text_kk.strip():
        raise ApplicationError(_("The text of the instruction is required in Russian or Kazakh."))
    if Instruction.objects.filter(number=number).exists():
        raise ApplicationError(
            _("An instruction numbered %(number)s exists.") % {"number": number}, code="duplicate"
        )
    final_deadline = within_a_month(issued_on) if within_month else deadline
    if final_deadline < issued_on:  # type: ignore[operator]
        raise ApplicationError(_("The deadline cannot be before the day of issue."))
    instruction = Instruction(
        number=number.strip(),
        issuer=issuer,
        title_kk=title_kk.strip(),
        title_ru=title_ru.strip(),
        title_en=title_en.strip(),
        text_kk=text_kk.strip() or text_ru.strip(),
        text_ru=text_ru.strip() or text_kk.strip(),
        text_en=text_en.strip() or text_ru.strip() or text_kk.strip(),
        source=source.strip(),
        issued_on=issued_on,
        deadline_rule=DeadlineRule.WITHIN_A_MONTH if within_month else DeadlineRule.DATE,
        deadline=final_deadline,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _clean(instruction)
    instruction.save()
    Assignment.objects.bulk_create(
        [
            Assignment(instruction=instruction, kind=s.kind, body=s.body, territory=s.territory)
            for s in assignees
        ]
    )
    audit_record(
        actor=actor,
        action="training.instruction_issue",
        subject=instruction,
        data={
            "number": instruction.number,
            "issuer": issuer.code,
            "deadline": instruction.deadline,
            "rule": instruction.deadline_rule,
            "assignees": [f"{s.kind}:{s.body.code if s.body else s.kato}" for s in assignees],
        },
    )
    return instruction


def instruction_refresh_status(instruction: Instruction) -> Instruction:
    """The instruction's status from its assignees': all accepted, any overdue, all reported, or open."""
    statuses = set(instruction.assignments.values_list("status", flat=True).distinct())
    if statuses == {InstructionStatus.ACCEPTED}:
        status = InstructionStatus.ACCEPTED
    elif InstructionStatus.OVERDUE in statuses:
        status = InstructionStatus.OVERDUE
    elif statuses and statuses <= {InstructionStatus.REPORTED, InstructionStatus.ACCEPTED}:
        status = InstructionStatus.REPORTED
    else:
        status = InstructionStatus.OPEN
    if status != instruction.status:
        instruction.status = status
        instruction.save(update_fields=["status"])
    return instruction


def _locked_assignment(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update()
        .select_related("instruction", "territory", "body")
        .get(pk=assignment.pk)
    )


@transaction.atomic
def report_file(
    *,
    assignment: Assignment,
    text: str,
    is_final: bool,
    actor: User | None = None,
    at: datetime | None = None,
) -> ProgressReport:
    """A progress report of one assignee; a final one marks the assignee "reported" until it is reviewed."""
    assignment = _locked_assignment(assignment)
    ensure_covers(actor, "instructions.report", assignment.kato)
    text = text.strip()
    if not text:
        raise ApplicationError(_("Write what has been done."))
    if len(text) > MAX_REPORT_LENGTH:
        raise ApplicationError(_("A report is at most %(n)d characters.") % {"n": MAX_REPORT_LENGTH})
    if assignment.status == InstructionStatus.ACCEPTED:
        raise ApplicationError(_("This assignee's work is already accepted."))
    if is_final and assignment.status == InstructionStatus.REPORTED:
        raise ApplicationError(_("A final report is already awaiting review."))
    at = at or timezone.now()
    report = ProgressReport(
        assignment=assignment,
        text=text,
        is_final=is_final,
        filed_by=actor if actor is not None and actor.is_authenticated else None,
        filed_at=at,
    )
    _clean(report)
    report.save()
    if is_final:
        assignment.status, assignment.reported_at = InstructionStatus.REPORTED, at
        assignment.save(update_fields=["status", "reported_at"])
        instruction_refresh_status(assignment.instruction)
    audit_record(
        actor=actor,
        action="training.report_file",
        subject=report,
        territory=assignment.kato,
        data={"instruction": assignment.instruction.number, "final": is_final, "assignment": assignment.pk},
    )
    return report


@transaction.atomic
def report_review(
    *,
    report: ProgressReport,
    accept: bool,
    note: str = "",
    actor: User | None = None,
    at: datetime | None = None,
) -> ProgressReport:
    """Accept a final report (the assignee is done) or return it with a note (back to open, or overdue)."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    assignment = _locked_assignment(report.assignment)
    ensure_covers(actor, "instructions.issue", assignment.kato)
    if not report.is_final:
        raise ApplicationError(_("Only a final report is accepted or returned."))
    if report.decision:
        raise ApplicationError(_("This report is already reviewed."))
    if actor is not None and report.filed_by_id is not None and report.filed_by_id == actor.pk:
        raise ApplicationError(_("A report is reviewed by someone other than its author."), code="four_eyes")
    note = note.strip()
    if not accept and not note:
        raise ApplicationError(_("Say why the report is returned."))
    at = at or timezone.now()
    report.decision = ReportDecision.ACCEPTED if accept else ReportDecision.RETURNED
    report.decision_note = note
    report.decided_by = actor if actor is not None and actor.is_authenticated else None
    report.decided_at = at
    report.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
    if accept:
        assignment.status, assignment.accepted_at = InstructionStatus.ACCEPTED, at
        assignment.save(update_fields=["status", "accepted_at"])
    else:
        # Once escalated, a returned assignee is overdue again; otherwise the tick decides on the deadline.
        assignment.status = InstructionStatus.OVERDUE if assignment.overdue_at else InstructionStatus.OPEN
        assignment.reported_at = None
        assignment.save(update_fields=["status", "reported_at"])
    instruction_refresh_status(assignment.instruction)
    audit_record(
        actor=actor,
        action="training.report_review",
        subject=report,
        territory=assignment.kato,
        data={"instruction": assignment.instruction.number, "decision": report.decision},
    )
    return report
