"""Look-ups in the state registers: purpose-bound, limited to the official's unit, tied to an open request,
and audited whatever the outcome. A refused look-up is recorded (and committed) before it is refused.

The register is asked outside any transaction (a network call must not hold the database's write lock); the
trail row and its audit event are then written in one transaction.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from esep.appeals.models import OPEN_STATUSES, Appeal
from esep.core.access import may
from esep.core.audit.chain import audit_record
from esep.core.errors import ApplicationError
from esep.core.iin import IIN, InvalidIIN, iin_fingerprint, mask_iin, parse_iin
from esep.registries.adapters import NOT_FOUND, NOT_IN_UNIT, OK, RegistryUnavailable, registry_adapter
from esep.registries.models import Lookup, Outcome, Register
from esep.registries.purposes import IIN as IIN_SUBJECT
from esep.registries.purposes import PURPOSES

LOOKUP = "registries.lookup"


# Why a look-up was refused; the edge answers each with its own status (see LookupRefused.status).
NOT_STAFF = "not_staff"
OTHER_UNIT = "other_unit"
NO_REQUEST = "no_request"
UNKNOWN_REQUEST = "unknown_request"
CLOSED_REQUEST = "closed_request"
SUBJECT_NOT_IN_UNIT = "not_in_unit"
_STATUS = {NO_REQUEST: 400, UNKNOWN_REQUEST: 404}


class LookupRefused(ApplicationError):
    """The look-up was refused and the refusal recorded; `lookup` is the trail row, `refusal` why."""

    def __init__(self, message: object, *, lookup: Lookup, refusal: str) -> None:
        super().__init__(message, code="lookup_refused", extra={"lookup": lookup.pk})
        self.lookup = lookup
        self.refusal = refusal

    @property
    def status(self) -> int:
        """The status the page and the API answer: 400 no request cited, 404 no such request, else 403."""
        return _STATUS.get(self.refusal, 403)


@dataclass(frozen=True)
class LookupResult:
    lookup: Lookup
    records: list[dict]

    @property
    def found(self) -> bool:
        return self.lookup.outcome == Outcome.OK


def _label(actor: AbstractBaseUser | None) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    return (actor.get_full_name() or actor.get_username())[:150]


@transaction.atomic
def _record(
    *,
    actor: AbstractBaseUser | None,
    appeal: Appeal | None,
    appeal_number: str = "",
    kato: str,
    register: str,
    purpose: str,
    subject: IIN | None,
    subject_fingerprint: str = "",
    cadastral_number: str = "",
    fields: list[str],
    records: int,
    outcome: str,
    reason: str = "",
) -> Lookup:
    lookup = Lookup(
        at=timezone.now(),
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        actor_label=_label(actor),
        kato=kato,
        appeal=appeal,
        appeal_number=appeal.number if appeal is not None else appeal_number[:20],
        register=register,
        purpose=purpose,
        subject_fingerprint=iin_fingerprint(subject) if subject is not None else subject_fingerprint,
        subject_masked=mask_iin(subject) if subject is not None else "",
        cadastral_number=cadastral_number,
        fields=fields,
        records=records,
        outcome=outcome,
        reason=reason[:300],
    )
    lookup.full_clean(exclude=["actor", "appeal"])
    lookup.save()
    audit_record(
        actor=actor,
        action="registries.lookup" if outcome != Outcome.REFUSED else "registries.lookup_refused",
        subject=lookup,
        territory=kato,
        data={
            "register": register,
            "purpose": purpose,
            "request": lookup.appeal_number,
            "subject": lookup.subject_masked or cadastral_number,
            "fields": fields,
            "outcome": outcome,
            "reason": lookup.reason,
        },
    )
    return lookup


def registry_lookup(
    *,
    actor: AbstractBaseUser,
    appeal: Appeal | None,
    register: str,
    purpose: str,
    subject_iin: str | None = None,
    cadastral_number: str | None = None,
    appeal_number: str = "",
) -> LookupResult:
    """Ask a register about a person or plot of the appeal's unit, for it; return the purpose's fields.

    Refused (recorded, audited, then LookupRefused) when the actor is not akimat staff of the appeal's
    unit, no request is cited (`appeal` None; `appeal_number` is what was cited: empty or unknown), the
    appeal is not open, or the person or plot is not in the unit. Only a register or purpose that does not
    exist, and a malformed IIN or cadastral number from one who may look up, are bad input, not recorded.
    """
    spec = PURPOSES.get(purpose)
    if register not in Register.values:
        raise ApplicationError(_("Unknown register."), code="invalid_register")
    if spec is None or spec.register != register:
        raise ApplicationError(_("Choose a purpose of this register."), code="invalid_purpose")
    subject: IIN | None = None
    subject_error = None
    plot = ""
    if spec.subject == IIN_SUBJECT:
        try:
            subject = parse_iin(subject_iin or "")
        except InvalidIIN as exc:
            subject_error = ApplicationError(exc.reason, code="invalid_iin")
    else:
        plot = " ".join((cadastral_number or "").split())[:40]
        if not plot:
            subject_error = ApplicationError(
                _("Give the cadastral number of the plot."), code="invalid_cadastral"
            )
    cited = " ".join(appeal_number.split())
    trail = {
        "actor": actor,
        "appeal": appeal,
        "appeal_number": cited,
        "kato": appeal.kato if appeal is not None else "",
        "register": register,
        "purpose": purpose,
        "subject": subject,
        "cadastral_number": plot,
    }

    refusal, why = "", ""
    if not may(actor, LOOKUP):
        refusal = NOT_STAFF
        why = _("Only akimat staff may look up state registers.")
    elif appeal is None and not cited:
        refusal = NO_REQUEST
        why = _("A look-up must cite the open request it serves.")
    elif appeal is None:
        refusal = UNKNOWN_REQUEST
        why = _("There is no request %(number)s: a look-up must serve an open request.") % {
            "number": cited[:20]
        }
    elif not may(actor, LOOKUP, appeal.kato):
        refusal = OTHER_UNIT
        why = _("Only the akimat staff of the request's unit may look up state registers for it.")
    elif appeal.status not in OPEN_STATUSES:
        refusal = CLOSED_REQUEST
        why = _("A look-up must serve an open request; %(number)s is %(status)s.") % {
            "number": appeal.number,
            "status": appeal.get_status_display(),
        }
    if refusal:
        lookup = _record(**trail, fields=[], records=0, outcome=Outcome.REFUSED, reason=why)
        raise LookupRefused(why, lookup=lookup, refusal=refusal)
    if subject_error is not None:
        raise subject_error

    try:
        answer = registry_adapter().query(
            register=register,
            purpose=purpose,
            unit_kato=appeal.kato,
            fields=spec.fields,
            iin=subject.value if subject is not None else None,
            cadastral_number=plot or None,
            reference=appeal.number,
        )
    except RegistryUnavailable as exc:
        _record(**trail, fields=[], records=0, outcome=Outcome.FAILED, reason=str(exc))
        raise ApplicationError(
            _("The state register did not answer; try again later."), code="registry_unavailable"
        ) from None

    owner = answer.subject_fingerprints[0] if subject is None and answer.subject_fingerprints else ""
    if answer.status == NOT_IN_UNIT:
        why = _("The person or plot is not in the unit of the request: the look-up is refused.")
        lookup = _record(
            **trail, subject_fingerprint=owner, fields=[], records=0, outcome=Outcome.REFUSED, reason=why
        )
        raise LookupRefused(why, lookup=lookup, refusal=SUBJECT_NOT_IN_UNIT)
    if answer.status == NOT_FOUND or not answer.records:
        lookup = _record(**trail, subject_fingerprint=owner, fields=[], records=0, outcome=Outcome.NOT_FOUND)
        return LookupResult(lookup, [])
    returned = sorted({name for record in answer.records for name in record})
    lookup = _record(
        **trail,
        subject_fingerprint=owner,
        fields=returned,
        records=len(answer.records),
        outcome=Outcome.OK,
    )
    return LookupResult(lookup, answer.records)


def resident_of_unit(
    iin: str, unit_kato: str, *, purpose: str, actor: AbstractBaseUser | None = None
) -> bool:
    """System-level residence check (e.g. a recall petition's signature): audited like any look-up.

    Returns False when the person lives elsewhere or is unknown; raises ApplicationError when the IIN is
    invalid or the register does not answer.
    """
    purpose = (purpose or "").strip()[:64]
    if not purpose:
        raise ApplicationError(_("Name the purpose of the residence check."), code="invalid_purpose")
    try:
        subject = parse_iin(iin)
    except InvalidIIN as exc:
        raise ApplicationError(exc.reason, code="invalid_iin") from None
    trail = {
        "actor": actor,
        "appeal": None,
        "kato": unit_kato,
        "register": Register.POPULATION,
        "purpose": purpose,
        "subject": subject,
    }
    try:
        answer = registry_adapter().query(
            register=Register.POPULATION,
            purpose=purpose,
            unit_kato=unit_kato,
            fields=("unit",),
            iin=subject.value,
            reference=purpose,
        )
    except RegistryUnavailable as exc:
        _record(**trail, fields=[], records=0, outcome=Outcome.FAILED, reason=str(exc))
        raise ApplicationError(
            _("The state register did not answer; try again later."), code="registry_unavailable"
        ) from None
    resident = answer.status == OK and any(record.get("unit") == unit_kato for record in answer.records)
    outcome = Outcome.OK if answer.status == OK else Outcome.NOT_FOUND
    _record(
        **trail,
        fields=["unit"] if answer.status == OK else [],
        records=len(answer.records),
        outcome=outcome,
        reason="" if resident else _("not a resident of the unit"),
    )
    return resident
