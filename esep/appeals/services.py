"""Writes to requests: registration, assignment, extension, forwarding, answer, closing, escalation, API keys.

Each service is one transaction with its history row, its summary counters and its audit event. Authority is
checked here too (PermissionDenied), so the web views, the API and Open311 cannot differ on who may do what.
"""

import hashlib
import secrets
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from esep.appeals import deadlines, stats
from esep.appeals.catalogue import category_rows
from esep.appeals.models import (
    ANSWER_MAX_LENGTH,
    FORWARD_BODIES,
    MAX_PHOTOS,
    OPEN_STATUSES,
    TEXT_MAX_LENGTH,
    ApiKey,
    Appeal,
    AppealEvent,
    AppealNumber,
    AppealPhoto,
    Category,
    EventKind,
    Notification,
    NotificationKind,
    Source,
    Status,
    Verdict,
)
from esep.appeals.photos import CleanPhoto, clean_photo
from esep.appeals.routing import default_body_name
from esep.core.access import may
from esep.core.audit.chain import audit_record
from esep.core.errors import ApplicationError, full_clean_or_refuse
from esep.territory.models import Level, Territory

HANDLE = "appeals.handle"


# --- helpers --------------------------------------------------------------------------------------


def _clean(instance: models.Model, fields: Sequence[str] | None = None) -> None:
    """full_clean() limited to `fields` for an existing row (the others were checked when written)."""
    exclude = None
    if fields is not None:
        exclude = [f.name for f in instance._meta.fields if f.name not in fields and f.attname not in fields]
    full_clean_or_refuse(instance, exclude=exclude)


def _locked(appeal: Appeal) -> Appeal:
    """The appeal re-read under a row lock, so that two officials cannot both act on the same state."""
    return Appeal.private_objects.select_for_update().select_related("unit", "category").get(pk=appeal.pk)


def _ensure_handler(actor: AbstractBaseUser, appeal: Appeal) -> None:
    if not may(actor, HANDLE, appeal.kato):
        raise PermissionDenied(HANDLE)


def _ensure_open(appeal: Appeal) -> None:
    if appeal.status not in OPEN_STATUSES:
        raise ApplicationError(
            _("Request %(number)s is %(status)s: it can no longer be changed.")
            % {"number": appeal.number, "status": appeal.get_status_display()},
            code="not_open",
        )


def _event(
    appeal: Appeal, kind: str, *, actor: AbstractBaseUser | None, at: datetime, note: str = ""
) -> None:
    AppealEvent.objects.create(
        appeal=appeal,
        kind=kind,
        at=at,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=_actor_label(actor),
        note=note,
    )


def _actor_label(actor: AbstractBaseUser | None) -> str:
    if actor is None or not actor.is_authenticated:
        return "system"
    return (actor.get_full_name() or actor.get_username())[:150]


def _notify(
    appeal: Appeal, recipient: AbstractBaseUser | None, kind: str, *, at: datetime, note: str = ""
) -> None:
    """An in-app notification, and an e-mail after commit when an address is known."""
    if recipient is not None:
        Notification.objects.create(recipient=recipient, appeal=appeal, kind=kind, note=note, created_at=at)
    address = (recipient.email if recipient is not None else appeal.contact_email) or ""
    if address:
        subject = f"{NotificationKind(kind).label}: {appeal.number}"
        transaction.on_commit(
            lambda: send_mail(subject, note or subject, None, [address], fail_silently=True)
        )


def _reserve_numbers(year: int, count: int) -> int:
    """Take `count` consecutive numbers of `year` and return the first (in the caller's transaction)."""
    if not AppealNumber.objects.filter(year=year).update(last=F("last") + count):
        try:
            with transaction.atomic():
                AppealNumber.objects.create(year=year, last=count)
        except IntegrityError:
            AppealNumber.objects.filter(year=year).update(last=F("last") + count)
    return AppealNumber.objects.get(year=year).last - count + 1


def format_number(year: int, sequence: int) -> str:
    return f"AP-{year}-{sequence:07d}"


def _coordinate(value: object, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    not_a_number = ApplicationError(
        _("The %(name)s must be a number.") % {"name": name}, code="invalid_location"
    )
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise not_a_number from None
    if not number.is_finite() or abs(number) > 180:
        raise not_a_number
    return number.quantize(Decimal("0.000001"))


def _save_photo(appeal: Appeal, photo: CleanPhoto, *, at: datetime) -> AppealPhoto:
    record = AppealPhoto(
        appeal=appeal,
        content_type=photo.content_type,
        width=photo.width,
        height=photo.height,
        size=photo.content.size,
        uploaded_at=at,
    )
    record.image.save(f"{secrets.token_hex(8)}.{photo.extension}", photo.content, save=False)
    _clean(record)
    record.save()
    return record


# --- registration ---------------------------------------------------------------------------------


@transaction.atomic
def appeal_register(
    *,
    unit: Territory,
    category: Category,
    text: str,
    resident: AbstractBaseUser | None = None,
    api_key: ApiKey | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    external_account_id: str = "",
    media_url: str = "",
    address: str = "",
    latitude: object = None,
    longitude: object = None,
    publish_text: bool = True,
    photos: Sequence[object] = (),
    source: str = Source.WEB,
    now: datetime | None = None,
) -> Appeal:
    """Register a request at once: number, deadline, slip (art. 64); from a resident or an org's key."""
    now = now or timezone.now()
    if unit.level != Level.UNIT or not unit.has_elected_akim:
        raise ApplicationError(_("Requests go to a rural unit with an elected akim."), code="invalid_unit")
    if not category.active:
        raise ApplicationError(_("This category is no longer accepted."), code="invalid_category")
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Write what your request is about."), code="empty_text")
    if len(text) > TEXT_MAX_LENGTH:
        raise ApplicationError(
            _("A request may have at most %(max)d characters; this one has %(count)d.")
            % {"max": TEXT_MAX_LENGTH, "count": len(text)},
            code="text_too_long",
        )
    if (resident is None) == (api_key is None):
        raise ApplicationError(_("A request is sent either by a resident or with an organisation's key."))
    if resident is not None and not resident.is_authenticated:
        raise ApplicationError(_("Log in first."), code="unauthenticated")
    if api_key is not None and not api_key.active:
        raise PermissionDenied("api_key")
    lat, lon = _coordinate(latitude, _("latitude")), _coordinate(longitude, _("longitude"))
    if (lat is None) != (lon is None):
        raise ApplicationError(
            _("Give both the latitude and the longitude, or neither."), code="invalid_location"
        )
    if lat is not None and not (Decimal(40) <= lat <= Decimal(56) and Decimal(46) <= lon <= Decimal(88)):
        raise ApplicationError(_("The location must be in Kazakhstan."), code="invalid_location")
    if len(photos) > MAX_PHOTOS:
        raise ApplicationError(_("At most %(max)d photos.") % {"max": MAX_PHOTOS}, code="too_many_photos")
    cleaned_photos = [clean_photo(upload) for upload in photos]

    year = timezone.localdate(now).year
    number = format_number(year, _reserve_numbers(year, 1))
    appeal = Appeal(
        number=number,
        unit=unit,
        kato=unit.kato,
        category=category,
        text=text,
        publish_text=publish_text,
        address=(address or "").strip()[:300],
        latitude=lat,
        longitude=lon,
        source=source,
        status=Status.REGISTERED,
        registered_at=now,
        updated_at=now,
        deadline=deadlines.answer_deadline(now),
        resident=resident,
        api_key=api_key,
        contact_name=(contact_name or "").strip()[:150],
        contact_email=(contact_email or "").strip(),
        contact_phone=(contact_phone or "").strip()[:30],
        external_account_id=(external_account_id or "").strip()[:100],
        media_url=(media_url or "").strip(),
    )
    _clean(appeal)
    appeal.save(force_insert=True)
    for photo in cleaned_photos:
        _save_photo(appeal, photo, at=now)
    if api_key is not None:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    _event(appeal, EventKind.REGISTERED, actor=resident, at=now, note=number)
    stats.stat_bump(appeal, registered=1)
    audit_record(
        actor=resident,
        actor_label=f"open311:{api_key.prefix}" if api_key is not None else "",
        action="appeals.register",
        subject=appeal,
        territory=appeal.kato,
        data={
            "number": number,
            "category": category.code,
            "source": source,
            "deadline": appeal.deadline.isoformat(),
            "photos": len(cleaned_photos),
        },
    )
    return appeal


@transaction.atomic
def appeal_add_photo(*, actor: AbstractBaseUser, appeal: Appeal, upload: object) -> AppealPhoto:
    appeal = _locked(appeal)
    if appeal.resident_id is None or appeal.resident_id != actor.pk:
        raise PermissionDenied("appeals.photo")
    _ensure_open(appeal)
    if appeal.photos.count() >= MAX_PHOTOS:
        raise ApplicationError(_("At most %(max)d photos.") % {"max": MAX_PHOTOS}, code="too_many_photos")
    now = timezone.now()
    photo = _save_photo(appeal, clean_photo(upload), at=now)
    _event(appeal, EventKind.PHOTO, actor=actor, at=now)
    audit_record(actor=actor, action="appeals.photo_add", subject=appeal, territory=appeal.kato, data={})
    return photo


# --- the akimat's work ----------------------------------------------------------------------------


@transaction.atomic
def appeal_assign(
    *, actor: AbstractBaseUser, appeals: Sequence[Appeal], assignee: AbstractBaseUser | None
) -> int:
    """Give open requests to one official of their akimat (or take them back with assignee=None)."""
    if not appeals:
        raise ApplicationError(_("Choose at least one request."), code="empty_selection")
    now = timezone.now()
    locked = list(
        Appeal.private_objects.select_for_update().filter(pk__in=[a.pk for a in appeals]).order_by("pk")
    )
    for appeal in locked:
        _ensure_handler(actor, appeal)
        _ensure_open(appeal)
        if assignee is not None and not may(assignee, HANDLE, appeal.kato):
            raise ApplicationError(
                _("%(name)s does not work in the akimat of request %(number)s.")
                % {"name": _actor_label(assignee), "number": appeal.number},
                code="invalid_assignee",
            )
    for appeal in locked:
        appeal.assigned_to = assignee
        appeal.updated_at = now
        appeal.save(update_fields=["assigned_to", "updated_at"])
        note = _actor_label(assignee) if assignee is not None else _("unassigned")
        _event(appeal, EventKind.ASSIGNED, actor=actor, at=now, note=note)
        audit_record(
            actor=actor,
            action="appeals.assign",
            subject=appeal,
            territory=appeal.kato,
            data={"number": appeal.number, "assignee": assignee.pk if assignee is not None else None},
        )
    return len(locked)


@transaction.atomic
def appeal_start(*, actor: AbstractBaseUser, appeal: Appeal) -> Appeal:
    appeal = _locked(appeal)
    _ensure_handler(actor, appeal)
    if appeal.status != Status.REGISTERED:
        raise ApplicationError(
            _("Only a newly registered request can be taken into work."), code="invalid_status"
        )
    now = timezone.now()
    appeal.status = Status.IN_PROGRESS
    appeal.updated_at = now
    fields = ["status", "updated_at"]
    if appeal.assigned_to_id is None:
        appeal.assigned_to = actor
        fields.append("assigned_to")
    _clean(appeal, fields)
    appeal.save(update_fields=fields)
    _event(appeal, EventKind.STARTED, actor=actor, at=now)
    audit_record(actor=actor, action="appeals.start", subject=appeal, territory=appeal.kato, data={})
    return appeal


@transaction.atomic
def appeal_extend(
    *, actor: AbstractBaseUser, appeal: Appeal, new_deadline: date, reason: str, now: datetime | None = None
) -> Appeal:
    """Extend the deadline once, with a reason, to at most two months from registration; tell the resident."""
    now = now or timezone.now()
    appeal = _locked(appeal)
    _ensure_handler(actor, appeal)
    _ensure_open(appeal)
    if appeal.extended_deadline is not None:
        raise ApplicationError(
            _("The deadline of a request may be extended only once."), code="already_extended"
        )
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ApplicationError(
            _("Give the reason for the extension (at least 10 characters)."), code="no_reason"
        )
    today = timezone.localdate(now)
    if appeal.deadline < today:
        raise ApplicationError(
            _("The deadline of %(date)s has passed: it can no longer be extended.")
            % {"date": appeal.deadline.isoformat()},
            code="deadline_passed",
        )
    limit = deadlines.extension_limit(appeal.registered_at)
    if new_deadline <= appeal.deadline:
        raise ApplicationError(
            _("The new deadline must be later than %(date)s.") % {"date": appeal.deadline.isoformat()},
            code="invalid_deadline",
        )
    if new_deadline > limit:
        raise ApplicationError(
            _("A deadline may be extended to at most two months from registration: %(limit)s at the latest.")
            % {"limit": limit.isoformat()},
            code="extension_too_long",
        )
    appeal.extended_deadline = new_deadline
    appeal.extension_reason = reason
    appeal.extended_at = now
    appeal.updated_at = now
    fields = ["extended_deadline", "extension_reason", "extended_at", "updated_at"]
    _clean(appeal, fields)
    appeal.save(update_fields=fields)
    note = _("New deadline %(date)s. Reason: %(reason)s") % {
        "date": new_deadline.isoformat(),
        "reason": reason,
    }
    _event(appeal, EventKind.EXTENDED, actor=actor, at=now, note=note)
    stats.stat_bump(appeal, extended=1)
    _notify(appeal, appeal.resident, NotificationKind.EXTENDED, at=now, note=note)
    audit_record(
        actor=actor,
        action="appeals.extend",
        subject=appeal,
        territory=appeal.kato,
        data={"number": appeal.number, "deadline": new_deadline.isoformat(), "reason": reason},
    )
    return appeal


@transaction.atomic
def appeal_forward(
    *,
    actor: AbstractBaseUser,
    appeal: Appeal,
    body: str,
    body_name: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> Appeal:
    """Send a request that is another body's to that body, within 3 working days of registration (art. 65)."""
    now = now or timezone.now()
    appeal = _locked(appeal)
    _ensure_handler(actor, appeal)
    _ensure_open(appeal)
    if body not in FORWARD_BODIES:
        raise ApplicationError(_("Choose the body that receives the request."), code="invalid_body")
    limit = deadlines.forward_limit(appeal.registered_at)
    if timezone.localdate(now) > limit:
        raise ApplicationError(
            _(
                "A request may be forwarded only within 3 working days of registration (until %(limit)s). "
                "Answer it, explaining which body holds the power."
            )
            % {"limit": limit.isoformat()},
            code="forward_too_late",
        )
    body_name = (body_name or "").strip() or default_body_name(body, appeal.unit, appeal.category)
    appeal.status = Status.FORWARDED
    appeal.forwarded_to = body
    appeal.forwarded_body = body_name[:200]
    appeal.forward_reason = (reason or "").strip()
    appeal.forwarded_at = now
    appeal.updated_at = now
    fields = ["status", "forwarded_to", "forwarded_body", "forward_reason", "forwarded_at", "updated_at"]
    _clean(appeal, fields)
    appeal.save(update_fields=fields)
    note = _("Forwarded to %(body)s.") % {"body": appeal.forwarded_body}
    if appeal.forward_reason:
        note += " " + appeal.forward_reason
    _event(appeal, EventKind.FORWARDED, actor=actor, at=now, note=note)
    stats.stat_bump(appeal, forwarded=1)
    _notify(appeal, appeal.resident, NotificationKind.FORWARDED, at=now, note=note)
    audit_record(
        actor=actor,
        action="appeals.forward",
        subject=appeal,
        territory=appeal.kato,
        data={"number": appeal.number, "body": body, "body_name": appeal.forwarded_body},
    )
    return appeal


@transaction.atomic
def appeal_answer(
    *, actor: AbstractBaseUser, appeal: Appeal, answer: str, now: datetime | None = None
) -> Appeal:
    now = now or timezone.now()
    appeal = _locked(appeal)
    _ensure_handler(actor, appeal)
    _ensure_open(appeal)
    answer = (answer or "").strip()
    if not answer:
        raise ApplicationError(_("Write the answer."), code="empty_answer")
    if len(answer) > ANSWER_MAX_LENGTH:
        raise ApplicationError(
            _("An answer may have at most %(max)d characters.") % {"max": ANSWER_MAX_LENGTH},
            code="answer_too_long",
        )
    on_time = timezone.localdate(now) <= appeal.due_date
    appeal.status = Status.ANSWERED
    appeal.answer = answer
    appeal.answered_at = now
    appeal.answered_by = actor
    appeal.updated_at = now
    fields = ["status", "answer", "answered_at", "answered_by", "updated_at"]
    counters = {"answered": 1}
    if on_time:
        counters["answered_on_time"] = 1
    elif not appeal.missed:
        appeal.missed = True
        fields.append("missed")
        counters["missed"] = 1
    _clean(appeal, fields)
    appeal.save(update_fields=fields)
    days = stats.answer_working_days(appeal)
    stats.answer_days_bump(appeal, days)
    counters["answer_days_total"] = days
    stats.stat_bump(appeal, **counters)
    _event(appeal, EventKind.ANSWERED, actor=actor, at=now)
    _notify(appeal, appeal.resident, NotificationKind.ANSWERED, at=now, note=answer[:500])
    audit_record(
        actor=actor,
        action="appeals.answer",
        subject=appeal,
        territory=appeal.kato,
        data={"number": appeal.number, "on_time": on_time, "working_days": days},
    )
    return appeal


@transaction.atomic
def appeal_close(
    *, actor: AbstractBaseUser, appeal: Appeal, verdict: str, note: str = "", now: datetime | None = None
) -> Appeal:
    """The resident confirms or disputes the answer; the request is closed either way, verdict kept."""
    now = now or timezone.now()
    appeal = _locked(appeal)
    if appeal.resident_id is None or appeal.resident_id != actor.pk:
        raise PermissionDenied("appeals.close")
    if appeal.status != Status.ANSWERED:
        raise ApplicationError(
            _("Only an answered request can be confirmed or disputed."), code="invalid_status"
        )
    if verdict not in Verdict.values:
        raise ApplicationError(_("Say whether you confirm or dispute the answer."), code="invalid_verdict")
    appeal.status = Status.CLOSED
    appeal.verdict = verdict
    appeal.verdict_note = (note or "").strip()[:2000]
    appeal.closed_at = now
    appeal.updated_at = now
    fields = ["status", "verdict", "verdict_note", "closed_at", "updated_at"]
    _clean(appeal, fields)
    appeal.save(update_fields=fields)
    _event(
        appeal,
        EventKind.CLOSED,
        actor=actor,
        at=now,
        note=f"{Verdict(verdict).label}. {appeal.verdict_note}".strip(),
    )
    stats.stat_bump(appeal, **{verdict: 1})
    audit_record(
        actor=actor, action="appeals.close", subject=appeal, territory=appeal.kato, data={"verdict": verdict}
    )
    return appeal


# --- escalation (esep tick) -----------------------------------------------------------------------


@transaction.atomic
def appeal_escalate(*, appeal_id: int, now: datetime) -> bool:
    """Escalate one overdue request to the district supervisor, exactly once.

    The conditional UPDATE is the guard: of two ticks running at once only one changes the row, and
    only that one writes the history, the counters and the notifications.
    """
    from esep.core.models import Role, RoleAssignment

    today = timezone.localdate(now)
    overdue = models.Q(extended_deadline__lt=today) | models.Q(
        extended_deadline__isnull=True, deadline__lt=today
    )
    taken = (
        Appeal.private_objects.filter(pk=appeal_id, escalated_at__isnull=True, status__in=OPEN_STATUSES)
        .filter(overdue)
        .update(escalated_at=now, updated_at=now)
    )
    if not taken:
        return False
    appeal = Appeal.private_objects.select_related("unit").get(pk=appeal_id)
    counters = {}
    if not appeal.missed:
        Appeal.private_objects.filter(pk=appeal_id).update(missed=True)
        counters["missed"] = 1
    supervisors = list(
        RoleAssignment.objects.filter(
            role=Role.DISTRICT_SUPERVISOR, territory__kato=appeal.unit.district_code
        ).select_related("user")
    ) or list(
        RoleAssignment.objects.filter(
            role=Role.REGION_SUPERVISOR, territory__kato=appeal.unit.region_code
        ).select_related("user")
    )
    note = _("Overdue since %(date)s.") % {"date": appeal.due_date.isoformat()}
    _event(appeal, EventKind.ESCALATED, actor=None, at=now, note=note)
    for assignment in supervisors:
        _notify(appeal, assignment.user, NotificationKind.ESCALATED, at=now, note=f"{appeal.number}: {note}")
    if counters:
        stats.stat_bump(appeal, **counters)
    audit_record(
        actor=None,
        action="appeals.escalate",
        subject=appeal,
        territory=appeal.kato,
        data={"number": appeal.number, "due": appeal.due_date.isoformat(), "notified": len(supervisors)},
    )
    return True


# --- notifications --------------------------------------------------------------------------------


@transaction.atomic
def notifications_mark_read(*, user: AbstractBaseUser) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# --- Open311 API keys and the category catalogue --------------------------------------------------


def api_key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_key_issue(*, organisation: str, actor: AbstractBaseUser | None = None) -> tuple[ApiKey, str]:
    """A new key for an organisation; the key itself is returned once and only its hash is kept."""
    organisation = (organisation or "").strip()
    if not organisation:
        raise ApplicationError(_("Name the organisation the key is for."), code="invalid")
    raw_key = secrets.token_urlsafe(32)
    while raw_key.startswith("-"):  # the prefix is typed on the command line (`revoke-key PREFIX`): no option
        raw_key = secrets.token_urlsafe(32)
    key = ApiKey(
        organisation=organisation[:200],
        prefix=raw_key[:8],
        key_hash=api_key_hash(raw_key),
        created_at=timezone.now(),
    )
    _clean(key)
    key.save()
    audit_record(
        actor=actor,
        action="appeals.api_key_issue",
        subject=key,
        data={"organisation": key.organisation, "prefix": key.prefix},
    )
    return key, raw_key


@transaction.atomic
def api_key_revoke(*, prefix: str, actor: AbstractBaseUser | None = None) -> int:
    keys = list(ApiKey.objects.select_for_update().filter(prefix=prefix, active=True))
    if not keys:
        raise ApplicationError(
            _("No active key starts with %(prefix)s.") % {"prefix": prefix}, code="not_found"
        )
    for key in keys:
        key.active = False
        key.save(update_fields=["active"])
        audit_record(actor=actor, action="appeals.api_key_revoke", subject=key, data={"prefix": key.prefix})
    return len(keys)


def api_key_find(raw_key: str) -> ApiKey | None:
    """The active key matching `raw_key`, or None (a read: the service it authorises records the use)."""
    if not raw_key or len(raw_key) > 200:
        return None
    return ApiKey.objects.filter(key_hash=api_key_hash(raw_key), active=True).first()


@transaction.atomic
def categories_load(*, actor: AbstractBaseUser | None = None) -> tuple[int, int]:
    """Create or update the categories of the default catalogue (catalogue.py); returns (created, updated)."""
    created = updated = 0
    for row in category_rows():
        category = Category.objects.filter(code=row["code"]).first()
        if category is None:
            category = Category(**row)
            _clean(category)
            category.save()
            created += 1
            continue
        changed = [name for name, value in row.items() if getattr(category, name) != value]
        if changed:
            for name in changed:
                setattr(category, name, row[name])
            _clean(category, changed)
            category.save(update_fields=changed)
            updated += 1
    if created or updated:
        audit_record(
            actor=actor, action="appeals.categories_load", data={"created": created, "updated": updated}
        )
    return created, updated
