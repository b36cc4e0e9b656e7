"""Writes to elections: parties, persons, the election timeline, candidacies, results and mandates.

Every rule of `rules.py` is enforced here with a translated message, every change is audited in the same
transaction. The checks are small functions on plain values so that the bulk loader (`elections_load_batch`)
applies exactly the same ones.
"""

import hashlib
import heapq
import re
import uuid
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from esep.accounts.services import role_assign, role_revoke
from esep.core.audit.chain import audit_record
from esep.core.errors import ApplicationError, full_clean_or_refuse
from esep.core.iin import InvalidIIN, iin_fingerprint, mask_iin, parse_iin
from esep.core.imports import ImportFailed, ImportResult, RowError, read_csv_rows
from esep.core.models import Role, RoleAssignment
from esep.core.uploads import clean_photo
from esep.elections import rules
from esep.elections.models import (
    ACTIVE_CANDIDACY,
    OPEN_STATUSES,
    Candidacy,
    CandidacyStatus,
    CandidateResult,
    Education,
    Election,
    ElectionKind,
    ElectionResult,
    ElectionStatus,
    EndReason,
    Mandate,
    Nomination,
    Party,
    Person,
)
from esep.territory.models import Level, Territory

Actor = AbstractBaseUser | None
PARTY_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,31}$")


# --- Small helpers -------------------------------------------------------------------------------------


def _day(on: date | None) -> date:
    return on or timezone.localdate()


def _d(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def _lock_election(election: Election) -> Election:
    """The election row again, locked: nominations, decisions and results of one election are serialised."""
    return Election.objects.select_for_update().select_related("rural_unit").get(pk=election.pk)


def _unit_holders(unit_id: int) -> list[int]:
    """Who held the unit's last two mandates, latest first (enough to see a third consecutive term)."""
    return list(
        Mandate.objects.filter(rural_unit_id=unit_id)
        .order_by("-starts_on", "-pk")
        .values_list("person_id", flat=True)[: rules.MAX_CONSECUTIVE_TERMS]
    )


# --- The rules, as checks on plain values (shared with the bulk loader) --------------------------------


def check_elected_unit(unit: Territory) -> None:
    if unit.level != Level.UNIT or not unit.has_elected_akim:
        raise ApplicationError(
            _("%(unit)s is not a rural unit with an elected akim.") % {"unit": unit.name},
            code="not_elected_unit",
        )


def check_call_dates(*, called_on: date, voting_date: date) -> None:
    if (voting_date - called_on).days < rules.MIN_DAYS_FROM_CALL_TO_VOTE:
        raise ApplicationError(
            _("The voting day must be at least %(days)d days after the election is called (%(called)s).")
            % {"days": rules.MIN_DAYS_FROM_CALL_TO_VOTE, "called": _d(called_on)},
            code="too_soon",
        )


def check_regular_window(*, sitting_ends_on: date | None, voting_date: date) -> None:
    """A regular election is held at the end of the sitting akim's term, not in the middle of it."""
    if sitting_ends_on is None:
        return
    earliest = sitting_ends_on - timedelta(days=rules.REGULAR_ELECTION_WINDOW_DAYS)
    if voting_date < earliest:
        raise ApplicationError(
            _(
                "The sitting akim's term runs until %(end)s: a regular election can be held from "
                "%(earliest)s. An early election is called only when the post is vacant."
            )
            % {"end": _d(sitting_ends_on), "earliest": _d(earliest)},
            code="term_running",
        )


def check_candidate_age(*, name: str, birth_date: date, voting_date: date) -> None:
    if not rules.old_enough(birth_date, voting_date):
        raise ApplicationError(
            _("%(name)s will be %(age)d on voting day (%(day)s); a candidate must be at least %(min)d.")
            % {
                "name": name,
                "age": rules.age_on(birth_date, voting_date),
                "day": _d(voting_date),
                "min": rules.MIN_CANDIDATE_AGE,
            },
            code="underage",
        )


def check_third_term(*, holders_latest_first: list, person_id: Hashable, name: str, unit_name: str) -> None:
    if rules.would_be_third_term(holders_latest_first, person_id):
        raise ApplicationError(
            _(
                "%(name)s has served two consecutive terms as akim of %(unit)s: nobody may start a third "
                "consecutive term in the same unit."
            )
            % {"name": name, "unit": unit_name},
            code="third_term",
        )


def check_not_sitting_elsewhere(*, name: str, elsewhere: str | None) -> None:
    """`elsewhere` names the other unit where the person is the sitting akim, if any."""
    if elsewhere:
        raise ApplicationError(
            _("%(name)s is the sitting akim of %(unit)s: that mandate must end before they stand elsewhere.")
            % {"name": name, "unit": elsewhere},
            code="sitting_elsewhere",
        )


def _seat_elsewhere(person: Person, unit: Territory) -> str | None:
    other = (
        Mandate.objects.current().filter(person=person).exclude(rural_unit=unit).select_related("rural_unit")
    )
    seat = other.first()
    return seat.rural_unit.name if seat else None


def check_nomination(
    *,
    nomination: str,
    party: Party | None,
    signatures: int | None,
    name: str,
    member_of_id: int | None,
    active_party_ids: set[int],
    active_count: int,
    voters: int | None,
    unit_name: str,
) -> None:
    """The three ways to the ballot: a party's member, a self-nominee with signatures, the superior akim's."""
    if nomination == Nomination.PARTY:
        if party is None:
            raise ApplicationError(_("Name the party that nominates the candidate."), code="party_missing")
        if not party.is_registered:
            raise ApplicationError(
                _("%(party)s is not a registered party.") % {"party": party.name}, code="party_not_registered"
            )
        if member_of_id != party.pk:
            raise ApplicationError(
                _("%(name)s is not a member of %(party)s: a party nominates its own members.")
                % {"name": name, "party": party.name},
                code="not_a_member",
            )
        if party.pk in active_party_ids:
            raise ApplicationError(
                _("%(party)s already has a candidate in this election: one candidate per party.")
                % {"party": party.name},
                code="party_has_candidate",
            )
    elif nomination == Nomination.SELF:
        if party is not None:
            raise ApplicationError(_("A self-nominee is not nominated by a party."), code="party_given")
        if voters is None:
            raise ApplicationError(
                _("The number of voters of %(unit)s is not recorded, so the signatures cannot be checked.")
                % {"unit": unit_name},
                code="voters_unknown",
            )
        needed = rules.signatures_required(voters)
        if signatures is None or signatures < needed:
            raise ApplicationError(
                _(
                    "A self-nominee needs the signatures of at least 1%% of the voters: %(needed)d of "
                    "%(voters)d in %(unit)s; %(given)d were submitted."
                )
                % {"needed": needed, "voters": voters, "unit": unit_name, "given": signatures or 0},
                code="signatures",
            )
    elif nomination == Nomination.SUPERIOR_AKIM:
        if party is not None:
            raise ApplicationError(
                _("The superior akim's candidate is not nominated by a party."), code="party_given"
            )
        if active_count >= rules.MIN_CANDIDATES:
            raise ApplicationError(
                _(
                    "The superior akim nominates a candidate only when fewer than two are nominated; "
                    "this election has %(count)d."
                )
                % {"count": active_count},
                code="enough_candidates",
            )
    else:
        raise ApplicationError(_("Unknown way of nomination."), code="invalid")


def check_count(*, voters_registered: int, ballots_cast: int, invalid_ballots: int, votes: list[int]) -> None:
    problem = rules.ballot_error(
        voters_registered=voters_registered,
        ballots_cast=ballots_cast,
        invalid_ballots=invalid_ballots,
        votes=votes,
    )
    messages = {
        "negative": _("Numbers of voters, ballots and votes cannot be negative."),
        "more_ballots_than_voters": _("More ballots were cast than there are voters on the lists."),
        "more_invalid_than_cast": _("There cannot be more invalid ballots than ballots cast."),
        "votes_exceed_valid": _("The candidate cannot have more votes than there are valid ballots."),
        "votes_do_not_add_up": _(
            "The candidates' votes must add up to the valid ballots (ballots cast minus invalid ones)."
        ),
    }
    if problem:
        raise ApplicationError(messages[problem], code="count")


def check_mandate_end(
    *, reason: str, on: date, starts_on: date, ends_on: date, has_party: bool, note: str
) -> None:
    if reason not in EndReason.values:
        raise ApplicationError(_("Unknown reason for ending a mandate."), code="invalid")
    if on < starts_on:
        raise ApplicationError(
            _("A mandate cannot end before it began (%(start)s).") % {"start": _d(starts_on)},
            code="too_early",
        )
    if on > timezone.localdate():
        raise ApplicationError(
            _("The end of a mandate is recorded when it happens, not in advance."), code="future"
        )
    if reason == EndReason.TERM_EXPIRED and on < ends_on:
        raise ApplicationError(_("The term runs until %(end)s.") % {"end": _d(ends_on)}, code="term_running")
    if reason == EndReason.PARTY_WITHDRAWN and not has_party:
        raise ApplicationError(
            _("This akim was not nominated by a party, so no party can withdraw them."), code="no_party"
        )
    if reason == EndReason.OTHER and not note.strip():
        raise ApplicationError(_("Say what ended the mandate."), code="note_missing")


def _education(value: str) -> str:
    if value not in Education.values:
        raise ApplicationError(_("Unknown level of education."), code="invalid")
    return value


# --- Parties -------------------------------------------------------------------------------------------


@transaction.atomic
def party_save(
    *, code: str, name_kk: str, name_ru: str, name_en: str, is_registered: bool = True, actor: Actor = None
) -> Party:
    """Create a party or change its names and registration (parties are registered and dissolved)."""
    code = code.strip().upper()
    if not PARTY_CODE.match(code):
        raise ApplicationError(
            _("A party code is 2 to 32 capital Latin letters, digits or underscores, starting with a letter.")
        )
    names = {"name_kk": name_kk.strip(), "name_ru": name_ru.strip(), "name_en": name_en.strip()}
    if not all(names.values()):
        raise ApplicationError(_("Give the party's name in Kazakh, Russian and English."))
    party = Party.objects.select_for_update().filter(code=code).first()
    created = party is None
    if created:
        party = Party(code=code, is_registered=is_registered, **names)
        full_clean_or_refuse(party)
        party.save()
    else:
        for name, value in {**names, "is_registered": is_registered}.items():
            setattr(party, name, value)
        full_clean_or_refuse(party, validate_unique=False)
        party.save(update_fields=[*names, "is_registered"])
    audit_record(
        actor=actor,
        action="elections.party_save",
        subject=party,
        data={"code": code, "created": created, "is_registered": is_registered, **names},
    )
    return party


# --- Persons -------------------------------------------------------------------------------------------


def person_identity(iin: str) -> tuple[str, str, date, str]:
    """(fingerprint, masked IIN, birth date, sex) of an IIN, or ApplicationError saying what is wrong."""
    try:
        parsed = parse_iin(iin)
    except InvalidIIN as exc:
        raise ApplicationError(exc.reason, code="invalid_iin") from None
    return iin_fingerprint(parsed), mask_iin(parsed), parsed.birth_date, parsed.sex


@transaction.atomic
def person_register(
    *,
    iin: str,
    full_name: str,
    education: str,
    civil_service_years: int = 0,
    biography: str = "",
    party: Party | None = None,
    actor: Actor = None,
) -> Person:
    """A new candidate. Birth date and sex come from the IIN; the IIN is kept only as fingerprint and mask."""
    fingerprint, masked, birth_date, sex = person_identity(iin)
    name = " ".join(full_name.split())
    if not name:
        raise ApplicationError(_("Give the person's full name."), code="name_missing")
    if Person.objects.filter(iin_fingerprint=fingerprint).exists():
        raise ApplicationError(_("A person with this IIN is already registered."), code="duplicate")
    if party is not None and not party.is_registered:
        raise ApplicationError(_("%(party)s is not a registered party.") % {"party": party.name})
    person = Person(
        full_name=name,
        iin_fingerprint=fingerprint,
        iin_masked=masked,
        birth_date=birth_date,
        sex=sex,
        education=_education(education),
        civil_service_years=civil_service_years,
        biography=biography.strip(),
        party=party,
    )
    full_clean_or_refuse(person)
    person.save()
    audit_record(
        actor=actor,
        action="elections.person_register",
        subject=person,
        data={"iin": masked, "name": name, "party": party.code if party else None},
    )
    return person


@transaction.atomic
def person_update(
    *,
    person: Person,
    full_name: str,
    education: str,
    civil_service_years: int,
    biography: str,
    party: Party | None,
    photo: UploadedFile | None = None,
    actor: Actor = None,
) -> Person:
    """Change a person's profile and party membership (leaving a party does not end a mandate by itself)."""
    name = " ".join(full_name.split())
    if not name:
        raise ApplicationError(_("Give the person's full name."), code="name_missing")
    if party is not None and party.pk != person.party_id and not party.is_registered:
        raise ApplicationError(_("%(party)s is not a registered party.") % {"party": party.name})
    values = {
        "full_name": name,
        "education": _education(education),
        "civil_service_years": civil_service_years,
        "biography": biography.strip(),
        "party": party,
    }
    changed = [name for name, value in values.items() if getattr(person, name) != value]
    for name, value in values.items():
        setattr(person, name, value)
    if photo is not None:
        # Read by its content and re-encoded (no EXIF: no GPS position or camera serial), named by the server.
        cleaned = clean_photo(photo)
        person.photo.save(f"{uuid.uuid4().hex}.{cleaned.extension}", cleaned.content, save=False)
        changed.append("photo")
    if not changed:
        return person
    full_clean_or_refuse(person, validate_unique=False)
    person.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="elections.person_update",
        subject=person,
        data={"changed": changed, "party": party.code if party else None},
    )
    return person


@transaction.atomic
def person_link_user(*, person: Person, user: AbstractBaseUser, actor: Actor = None) -> Person:
    """Tie a person to their login; a sitting akim's account gets the akim role in their unit."""
    other = Person.objects.filter(user=user).exclude(pk=person.pk).first()
    if other is not None:
        raise ApplicationError(
            _("The account %(user)s already belongs to %(name)s.")
            % {"user": user.get_username(), "name": other}
        )
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
        audit_record(actor=actor, action="elections.person_link_user", subject=person, data={"user": user.pk})
    sitting = Mandate.objects.current().filter(person=person).select_related("rural_unit").first()
    if sitting is not None:
        _grant_akim_role(person, sitting.rural_unit, actor)
    return person


def _grant_akim_role(person: Person, unit: Territory, actor: Actor) -> None:
    if (
        person.user_id
        and not RoleAssignment.objects.filter(user_id=person.user_id, role=Role.AKIM, territory=unit).exists()
    ):
        role_assign(user=person.user, role=Role.AKIM, territory=unit, actor=actor)


def _revoke_akim_role(person: Person, unit: Territory, actor: Actor) -> None:
    if person.user_id:
        for assignment in RoleAssignment.objects.filter(
            user_id=person.user_id, role=Role.AKIM, territory=unit
        ):
            role_revoke(assignment=assignment, actor=actor)


# --- Elections -----------------------------------------------------------------------------------------


@transaction.atomic
def election_call(
    *,
    unit: Territory,
    kind: str,
    voting_date: date,
    on: date | None = None,
    recall_of: Mandate | None = None,
    repeat_of: Election | None = None,
    actor: Actor = None,
) -> Election:
    """Call an election (or a recall vote) in a rural unit; its timeline follows from the voting day."""
    on = _day(on)
    check_elected_unit(unit)
    if kind not in ElectionKind.values:
        raise ApplicationError(_("Unknown kind of election."))
    check_call_dates(called_on=on, voting_date=voting_date)
    Territory.objects.select_for_update().filter(pk=unit.pk).first()  # serialise calls in one unit
    if Election.objects.open().filter(rural_unit=unit).exists():
        raise ApplicationError(
            _("An election is already under way in %(unit)s.") % {"unit": unit.name}, code="election_open"
        )
    sitting = Mandate.objects.current().filter(rural_unit=unit).first()
    if kind == ElectionKind.REGULAR:
        check_regular_window(sitting_ends_on=sitting.ends_on if sitting else None, voting_date=voting_date)
    elif kind == ElectionKind.EARLY and sitting is not None:
        raise ApplicationError(
            _("%(unit)s has a sitting akim: an early election is called only when the post is vacant.")
            % {"unit": unit.name},
            code="post_not_vacant",
        )
    elif kind == ElectionKind.REPEAT:
        result = getattr(repeat_of, "result", None) if repeat_of is not None else None
        if repeat_of is None or repeat_of.rural_unit_id != unit.pk or result is None or result.winner_id:
            raise ApplicationError(
                _("A repeat election follows an election in the same unit that elected nobody."),
                code="repeat_of_missing",
            )
    elif kind == ElectionKind.RECALL and (
        recall_of is None or recall_of.rural_unit_id != unit.pk or recall_of.ended_on is not None
    ):
        raise ApplicationError(
            _("A recall vote is held on the sitting akim's mandate in the same unit."),
            code="recall_of_missing",
        )
    election = Election(
        rural_unit=unit,
        kind=kind,
        voting_date=voting_date,
        called_on=on,
        recall_of=recall_of if kind == ElectionKind.RECALL else None,
        repeat_of=repeat_of if kind == ElectionKind.REPEAT else None,
    )
    full_clean_or_refuse(election)
    election.save()
    audit_record(
        actor=actor,
        action="elections.election_call",
        subject=election,
        territory=unit.kato,
        data={
            "kind": kind,
            "voting_date": voting_date.isoformat(),
            "recall_of": election.recall_of_id,
            "repeat_of": election.repeat_of_id,
        },
    )
    return election


def next_status(election: Election) -> str | None:
    """The step `election_advance` takes, or None where results (or nothing) move the election on."""
    if election.status == ElectionStatus.CALLED:
        return ElectionStatus.VOTING if election.kind == ElectionKind.RECALL else ElectionStatus.NOMINATION
    return {
        ElectionStatus.NOMINATION: ElectionStatus.REGISTRATION,
        ElectionStatus.REGISTRATION: ElectionStatus.VOTING,
    }.get(election.status)


@transaction.atomic
def election_advance(*, election: Election, on: date | None = None, actor: Actor = None) -> Election:
    """Move the election one step along: called > nomination > registration > voting."""
    election = _lock_election(election)
    on = _day(on)
    target = next_status(election)
    if target is None:
        raise ApplicationError(
            _("This election is at the stage %(status)s: only its results move it on.")
            % {"status": election.get_status_display()},
            code="wrong_status",
        )
    if target == ElectionStatus.NOMINATION and on > election.nomination_closes:
        raise ApplicationError(
            _("Nomination had to close on %(day)s: cancel this election and call it with a later voting day.")
            % {"day": _d(election.nomination_closes)},
            code="too_late",
        )
    if target == ElectionStatus.REGISTRATION and on < election.nomination_closes:
        raise ApplicationError(
            _("Nomination is open until %(day)s.") % {"day": _d(election.nomination_closes)}, code="too_early"
        )
    if target == ElectionStatus.VOTING and election.kind != ElectionKind.RECALL:
        if on < election.registration_closes:
            raise ApplicationError(
                _("Registration of candidates runs until %(day)s.")
                % {"day": _d(election.registration_closes)},
                code="too_early",
            )
        undecided = list(
            election.candidacies.filter(status=CandidacyStatus.NOMINATED).values_list(
                "person__full_name", flat=True
            )
        )
        if undecided:
            raise ApplicationError(
                _("Register or refuse every nominated candidate first: %(names)s.")
                % {"names": ", ".join(undecided)},
                code="undecided",
            )
        if not election.candidacies.filter(status=CandidacyStatus.REGISTERED).exists():
            raise ApplicationError(
                _("No candidate is registered: cancel the election and call another."), code="no_candidates"
            )
    previous = election.status
    election.status = target
    election.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="elections.election_advance",
        subject=election,
        territory=election.rural_unit.kato,
        data={"from": previous, "to": target, "on": on.isoformat()},
    )
    return election


@transaction.atomic
def election_cancel(*, election: Election, reason: str, actor: Actor = None) -> Election:
    election = _lock_election(election)
    if not election.is_open:
        raise ApplicationError(
            _("Only an election under way can be cancelled; this one is %(status)s.")
            % {"status": election.get_status_display()},
            code="wrong_status",
        )
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Give the reason for cancelling the election."), code="reason_missing")
    election.status = ElectionStatus.CANCELLED
    election.cancel_reason = reason
    election.save(update_fields=["status", "cancel_reason"])
    audit_record(
        actor=actor,
        action="elections.election_cancel",
        subject=election,
        territory=election.rural_unit.kato,
        data={"reason": reason},
    )
    return election


# --- Candidacies ---------------------------------------------------------------------------------------


@transaction.atomic
def candidacy_nominate(
    *,
    election: Election,
    person: Person,
    nomination: str,
    party: Party | None = None,
    signatures: int | None = None,
    on: date | None = None,
    actor: Actor = None,
) -> Candidacy:
    """Nominate a candidate: by their party, by themselves with signatures, or by the superior akim."""
    election = _lock_election(election)
    on = _day(on)
    unit = election.rural_unit
    if election.kind == ElectionKind.RECALL:
        raise ApplicationError(_("A recall vote has no candidates."), code="recall")
    if nomination == Nomination.SUPERIOR_AKIM:
        if election.status not in (ElectionStatus.NOMINATION, ElectionStatus.REGISTRATION) or (
            on > election.registration_closes
        ):
            raise ApplicationError(
                _("The superior akim can nominate while nomination or registration is open (until %(day)s).")
                % {"day": _d(election.registration_closes)},
                code="closed",
            )
    elif (
        election.status != ElectionStatus.NOMINATION
        or not election.called_on <= on <= election.nomination_closes
    ):
        raise ApplicationError(
            _("Nomination is not open: it runs from the call of the election until %(day)s.")
            % {"day": _d(election.nomination_closes)},
            code="closed",
        )
    if election.candidacies.filter(person=person).exists():
        raise ApplicationError(
            _("%(name)s is already a candidate in this election.") % {"name": person.full_name},
            code="duplicate",
        )
    check_candidate_age(name=person.full_name, birth_date=person.birth_date, voting_date=election.voting_date)
    check_third_term(
        holders_latest_first=_unit_holders(unit.pk),
        person_id=person.pk,
        name=person.full_name,
        unit_name=unit.name,
    )
    check_not_sitting_elsewhere(name=person.full_name, elsewhere=_seat_elsewhere(person, unit))
    if (
        Candidacy.objects.filter(
            person=person, status__in=ACTIVE_CANDIDACY, election__status__in=OPEN_STATUSES
        )
        .exclude(election=election)
        .exists()
    ):
        raise ApplicationError(
            _("%(name)s is already standing in another election under way.") % {"name": person.full_name},
            code="standing_elsewhere",
        )
    active = list(election.candidacies.filter(status__in=ACTIVE_CANDIDACY).values_list("party_id", flat=True))
    check_nomination(
        nomination=nomination,
        party=party,
        signatures=signatures,
        name=person.full_name,
        member_of_id=person.party_id,
        active_party_ids={party_id for party_id in active if party_id},
        active_count=len(active),
        voters=unit.voters,
        unit_name=unit.name,
    )
    candidacy = Candidacy(
        election=election,
        person=person,
        nomination=nomination,
        party=party if nomination == Nomination.PARTY else None,
        signatures=signatures if nomination == Nomination.SELF else None,
        nominated_on=on,
    )
    full_clean_or_refuse(candidacy)
    try:
        with transaction.atomic():
            candidacy.save()
    except IntegrityError as exc:  # a concurrent nomination of the same party or person
        raise ApplicationError(_("This nomination was made already."), code="duplicate") from exc
    audit_record(
        actor=actor,
        action="elections.candidacy_nominate",
        subject=candidacy,
        territory=unit.kato,
        data={
            "election": election.pk,
            "person": person.pk,
            "nomination": nomination,
            "party": party.code if party and nomination == Nomination.PARTY else None,
            "signatures": candidacy.signatures,
        },
    )
    return candidacy


@transaction.atomic
def candidate_nominate(
    *,
    election: Election,
    iin: str,
    full_name: str,
    education: str,
    civil_service_years: int,
    nomination: str,
    party: Party | None = None,
    signatures: int | None = None,
    on: date | None = None,
    actor: Actor = None,
) -> Candidacy:
    """Nominate by IIN: the person is found by the fingerprint or registered first (a party's new candidate
    joins the nominating party), then nominated."""
    fingerprint = person_identity(iin)[0]
    person = Person.objects.filter(iin_fingerprint=fingerprint).first()
    if person is None:
        if not full_name.strip():
            raise ApplicationError(
                _("Nobody with this IIN is registered yet: give the candidate's full name."),
                code="name_missing",
            )
        person = person_register(
            iin=iin,
            full_name=full_name,
            education=education,
            civil_service_years=civil_service_years,
            party=party if nomination == Nomination.PARTY else None,
            actor=actor,
        )
    return candidacy_nominate(
        election=election,
        person=person,
        nomination=nomination,
        party=party,
        signatures=signatures,
        on=on,
        actor=actor,
    )


def _decide(candidacy: Candidacy, *, allowed_from: tuple[str, ...], on: date) -> tuple[Candidacy, Election]:
    election = _lock_election(candidacy.election)
    candidacy = Candidacy.objects.select_related("person").get(pk=candidacy.pk)
    if candidacy.status not in allowed_from:
        raise ApplicationError(
            _("This candidate is %(status)s already.") % {"status": candidacy.get_status_display()},
            code="wrong_status",
        )
    if election.status not in (ElectionStatus.NOMINATION, ElectionStatus.REGISTRATION) or (
        on > election.registration_closes
    ):
        raise ApplicationError(
            _("Candidates are registered, refused or withdrawn until %(day)s, before the vote.")
            % {"day": _d(election.registration_closes)},
            code="closed",
        )
    return candidacy, election


def _set_candidacy_status(
    candidacy: Candidacy, election: Election, *, status: str, on: date, reason: str, actor: Actor
) -> Candidacy:
    candidacy.status = status
    candidacy.refusal_reason = reason
    candidacy.decided_on = on
    candidacy.save(update_fields=["status", "refusal_reason", "decided_on"])
    audit_record(
        actor=actor,
        action=f"elections.candidacy_{status}",
        subject=candidacy,
        territory=election.rural_unit.kato,
        data={"election": election.pk, "person": candidacy.person_id, "reason": reason},
    )
    return candidacy


@transaction.atomic
def candidacy_register(*, candidacy: Candidacy, on: date | None = None, actor: Actor = None) -> Candidacy:
    on = _day(on)
    candidacy, election = _decide(candidacy, allowed_from=(CandidacyStatus.NOMINATED,), on=on)
    return _set_candidacy_status(
        candidacy, election, status=CandidacyStatus.REGISTERED, on=on, reason="", actor=actor
    )


@transaction.atomic
def candidacy_refuse(
    *, candidacy: Candidacy, reason: str, on: date | None = None, actor: Actor = None
) -> Candidacy:
    on = _day(on)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Give the reason for refusing registration."), code="reason_missing")
    candidacy, election = _decide(candidacy, allowed_from=ACTIVE_CANDIDACY, on=on)
    return _set_candidacy_status(
        candidacy, election, status=CandidacyStatus.REFUSED, on=on, reason=reason, actor=actor
    )


@transaction.atomic
def candidacy_withdraw(*, candidacy: Candidacy, on: date | None = None, actor: Actor = None) -> Candidacy:
    on = _day(on)
    candidacy, election = _decide(candidacy, allowed_from=ACTIVE_CANDIDACY, on=on)
    return _set_candidacy_status(
        candidacy, election, status=CandidacyStatus.WITHDRAWN, on=on, reason="", actor=actor
    )


# --- Results and mandates ------------------------------------------------------------------------------


def _results_open(election: Election, on: date) -> None:
    if election.status != ElectionStatus.VOTING:
        raise ApplicationError(
            _("Results are registered after the vote; this election is at the stage %(status)s.")
            % {"status": election.get_status_display()},
            code="wrong_status",
        )
    if on < election.voting_date:
        raise ApplicationError(
            _("The vote is on %(day)s: results cannot be registered before it.")
            % {"day": _d(election.voting_date)},
            code="too_early",
        )


@transaction.atomic
def election_result_register(
    *,
    election: Election,
    voters_registered: int,
    ballots_cast: int,
    invalid_ballots: int,
    votes: Mapping[int, int],
    on: date | None = None,
    actor: Actor = None,
) -> ElectionResult:
    """Register the count: the plurality winner takes the mandate; a tie or a lone candidate's defeat calls
    a repeat election. `votes` maps every registered candidacy's id to its votes."""
    election = _lock_election(election)
    on = _day(on)
    unit = election.rural_unit
    if election.kind == ElectionKind.RECALL:
        raise ApplicationError(_("A recall vote's result is registered as a recall result."), code="recall")
    _results_open(election, on)
    registered = {
        c.pk: c
        for c in election.candidacies.filter(status=CandidacyStatus.REGISTERED).select_related(
            "person", "party"
        )
    }
    unknown = set(votes) - set(registered)
    missing = set(registered) - set(votes)
    if unknown or missing:
        raise ApplicationError(
            _("Give the votes of every registered candidate and of no one else (missing: %(missing)s).")
            % {"missing": ", ".join(registered[pk].person.full_name for pk in sorted(missing)) or "-"},
            code="candidates",
        )
    counts = {pk: votes[pk] for pk in registered}
    check_count(
        voters_registered=voters_registered,
        ballots_cast=ballots_cast,
        invalid_ballots=invalid_ballots,
        votes=list(counts.values()),
    )
    outcome = rules.decide(counts, ballots_cast)
    winner = registered.get(outcome.winner) if outcome.winner is not None else None
    if winner is not None:
        check_third_term(
            holders_latest_first=_unit_holders(unit.pk),
            person_id=winner.person_id,
            name=winner.person.full_name,
            unit_name=unit.name,
        )
    result = ElectionResult(
        election=election,
        voters_registered=voters_registered,
        ballots_cast=ballots_cast,
        invalid_ballots=invalid_ballots,
        certified_on=on,
        winner=winner,
        tie=outcome.tie,
    )
    full_clean_or_refuse(result)
    result.save()
    CandidateResult.objects.bulk_create(
        [CandidateResult(result=result, candidacy_id=pk, votes=count) for pk, count in counts.items()]
    )
    election.status = ElectionStatus.CERTIFIED
    election.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="elections.result_register",
        subject=election,
        territory=unit.kato,
        data={
            "voters_registered": voters_registered,
            "ballots_cast": ballots_cast,
            "invalid_ballots": invalid_ballots,
            "votes": {str(pk): count for pk, count in counts.items()},
            "winner": winner.pk if winner else None,
            "tie": outcome.tie,
        },
    )
    if winner is not None:
        _mandate_start(election=election, candidacy=winner, on=on, actor=actor)
    else:
        election_call(
            unit=unit,
            kind=ElectionKind.REPEAT,
            voting_date=rules.follow_up_voting_date(on),
            on=on,
            repeat_of=election,
            actor=actor,
        )
    return result


def _mandate_start(*, election: Election, candidacy: Candidacy, on: date, actor: Actor) -> Mandate:
    unit = election.rural_unit
    person = candidacy.person
    check_not_sitting_elsewhere(name=person.full_name, elsewhere=_seat_elsewhere(person, unit))
    predecessor = (
        Mandate.objects.select_for_update().current().filter(rural_unit=unit).select_related("person").first()
    )
    if predecessor is not None:
        # The successor of a regular (or repeat) election takes office; the predecessor's term ends that day.
        _mandate_close(
            predecessor, reason=EndReason.TERM_EXPIRED, on=on, note=_("Successor elected."), actor=actor
        )
    mandate = Mandate(
        person=person,
        rural_unit=unit,
        election=election,
        party=candidacy.party,
        nomination=candidacy.nomination,
        starts_on=on,
        ends_on=rules.term_end(on),
    )
    full_clean_or_refuse(mandate)
    mandate.save()
    audit_record(
        actor=actor,
        action="elections.mandate_start",
        subject=mandate,
        territory=unit.kato,
        data={"person": person.pk, "election": election.pk, "ends_on": mandate.ends_on.isoformat()},
    )
    _grant_akim_role(person, unit, actor)
    return mandate


def _mandate_close(mandate: Mandate, *, reason: str, on: date, note: str, actor: Actor) -> None:
    mandate.ended_on = on
    mandate.end_reason = reason
    mandate.end_note = note.strip()
    mandate.save(update_fields=["ended_on", "end_reason", "end_note"])
    audit_record(
        actor=actor,
        action="elections.mandate_end",
        subject=mandate,
        territory=mandate.rural_unit.kato,
        data={"person": mandate.person_id, "reason": reason, "on": on.isoformat(), "note": mandate.end_note},
    )
    _revoke_akim_role(mandate.person, mandate.rural_unit, actor)


@transaction.atomic
def mandate_end(
    *, mandate: Mandate, reason: str, on: date | None = None, note: str = "", actor: Actor = None
) -> Mandate:
    """End a mandate. Every reason but an expired term leaves the post vacant and calls an early election."""
    on = _day(on)
    mandate = Mandate.objects.select_for_update().select_related("rural_unit", "person").get(pk=mandate.pk)
    if mandate.ended_on is not None:
        raise ApplicationError(
            _("This mandate ended already on %(day)s.") % {"day": _d(mandate.ended_on)}, code="ended"
        )
    check_mandate_end(
        reason=reason,
        on=on,
        starts_on=mandate.starts_on,
        ends_on=mandate.ends_on,
        has_party=mandate.party_id is not None,
        note=note,
    )
    _mandate_close(mandate, reason=reason, on=on, note=note, actor=actor)
    if reason != EndReason.TERM_EXPIRED:
        unit = mandate.rural_unit
        for recall in Election.objects.open().filter(recall_of=mandate):
            election_cancel(
                election=recall, reason=_("The mandate ended before the recall vote."), actor=actor
            )
        if not Election.objects.open().filter(rural_unit=unit).exists():
            election_call(
                unit=unit,
                kind=ElectionKind.EARLY,
                voting_date=rules.follow_up_voting_date(on),
                on=on,
                actor=actor,
            )
    return mandate


@transaction.atomic
def recall_result_register(
    *,
    election: Election,
    voters_registered: int,
    ballots_cast: int,
    invalid_ballots: int,
    votes_for_recall: int,
    on: date | None = None,
    actor: Actor = None,
    min_turnout_share: float = 0.0,
) -> ElectionResult:
    """Register a recall vote: more than half of those who voted end the mandate, which calls an early
    election. A vote whose turnout (ballots cast / voters on the lists) is below `min_turnout_share` fails."""
    election = _lock_election(election)
    on = _day(on)
    if election.kind != ElectionKind.RECALL:
        raise ApplicationError(_("This is not a recall vote."), code="not_recall")
    _results_open(election, on)
    check_count(
        voters_registered=voters_registered,
        ballots_cast=ballots_cast,
        invalid_ballots=invalid_ballots,
        votes=[votes_for_recall],
    )
    result = ElectionResult(
        election=election,
        voters_registered=voters_registered,
        ballots_cast=ballots_cast,
        invalid_ballots=invalid_ballots,
        certified_on=on,
        recall_votes_for=votes_for_recall,
    )
    full_clean_or_refuse(result)
    result.save()
    election.status = ElectionStatus.CERTIFIED
    election.save(update_fields=["status"])
    # Decimal, so that a turnout exactly at the parameter counts as reached (0.3 * 10 is not 3.0 in floats).
    turnout_met = ballots_cast >= Decimal(str(min_turnout_share)) * voters_registered
    recalled = turnout_met and rules.recall_succeeds(votes_for_recall, ballots_cast)
    audit_record(
        actor=actor,
        action="elections.recall_result_register",
        subject=election,
        territory=election.rural_unit.kato,
        data={
            "ballots_cast": ballots_cast,
            "votes_for_recall": votes_for_recall,
            "min_turnout_share": min_turnout_share,
            "turnout_met": turnout_met,
            "recalled": recalled,
        },
    )
    if recalled:
        mandate_end(
            mandate=election.recall_of,
            reason=EndReason.RECALLED,
            on=on,
            note=_("Recall vote of %(day)s.") % {"day": _d(election.voting_date)},
            actor=actor,
        )
    return result


# --- Bulk loading of finished elections (national demo, benchmarks, data from other systems) -----------


@dataclass(frozen=True)
class PersonRecord:
    key: str
    iin: str
    full_name: str
    education: str
    civil_service_years: int = 0
    party_code: str | None = None
    biography: str = ""


@dataclass(frozen=True)
class CandidacyRecord:
    person_key: str
    nomination: str
    party_code: str | None = None
    signatures: int | None = None
    status: str = CandidacyStatus.REGISTERED
    refusal_reason: str = ""
    votes: int = 0


@dataclass(frozen=True)
class MandateEndRecord:
    """How the mandate an election gave came to an end (when it has)."""

    on: date
    reason: str
    note: str = ""


@dataclass(frozen=True)
class ElectionRecord:
    """One finished election: its dates, candidacies in the order they were nominated, and the count."""

    unit_kato: str
    kind: str
    voting_date: date
    called_on: date
    certified_on: date
    voters_registered: int
    ballots_cast: int
    invalid_ballots: int
    candidacies: tuple[CandidacyRecord, ...]
    mandate_end: MandateEndRecord | None = None


@dataclass
class BatchReport:
    persons: int = 0
    elections: int = 0
    mandates: int = 0
    follow_ups: int = 0


@transaction.atomic
def elections_load_batch(
    *, persons: list[PersonRecord], elections: list[ElectionRecord], actor: Actor = None
) -> BatchReport:
    """Load finished elections into units that have none yet: the same checks as the step-by-step services,
    applied in time order across the whole batch; all or nothing; one audit event per election.

    A mandate ended for any reason but an expired term is followed by an early election, and an election that
    elected nobody by a repeat election: when the batch does not hold that election, it is called."""
    loader = _BatchLoader(persons=persons, elections=elections)
    loader.simulate()
    return loader.write(actor)


@dataclass
class _Seat:
    """A mandate while the batch is simulated, before it is written."""

    mandate: Mandate
    person_key: str
    end: MandateEndRecord | None = None


@dataclass
class _UnitState:
    unit: Territory
    holders: list[str] = field(default_factory=list)  # person keys, latest first
    seat: _Seat | None = None
    last_certified: date | None = None
    follow_up: tuple[str, date, Election | None] | None = None  # (kind, called on, election to repeat)


def _batch_error(where: str, exc: ApplicationError) -> ApplicationError:
    return ApplicationError(f"{where}: {exc.message}", code=exc.code)


class _BatchLoader:
    """Replays a batch of finished elections in time order against an in-memory state of the units."""

    def __init__(self, *, persons: list[PersonRecord], elections: list[ElectionRecord]) -> None:
        self.records = elections
        self.parties = {party.code: party for party in Party.objects.all()}
        self.people = self._people(persons)
        units = {t.kato: t for t in Territory.objects.filter(kato__in={r.unit_kato for r in elections})}
        for record in elections:
            if record.unit_kato not in units:
                raise ApplicationError(_("Unknown KATO code %(kato)s.") % {"kato": record.unit_kato})
            check_elected_unit(units[record.unit_kato])
        busy = Election.objects.filter(rural_unit__in=list(units.values())).values_list(
            "rural_unit__kato", flat=True
        )
        if first_busy := busy.first():
            raise ApplicationError(
                _("%(kato)s has elections recorded already: a batch loads units with no election yet.")
                % {"kato": first_busy},
                code="unit_busy",
            )
        self.states = {kato: _UnitState(unit=unit) for kato, unit in units.items()}
        self.seat_of: dict[str, Territory] = {}  # person key -> unit of their current mandate
        self.standing_until: dict[str, date] = {}  # person key -> certification day of their last election
        self.ends: list[tuple[date, int, str]] = []  # heap of (end day, sequence, KATO)
        self.elections: list[tuple[Election, dict]] = []
        self.candidacies: list[Candidacy] = []
        self.results: list[ElectionResult] = []
        self.candidate_results: list[CandidateResult] = []
        self.seats: list[_Seat] = []
        self.repeats: list[tuple[Election, Election]] = []

    def _people(self, records: list[PersonRecord]) -> dict[str, Person]:
        people: dict[str, Person] = {}
        fingerprints: set[str] = set()
        for number, record in enumerate(records, 1):
            where = _("person %(number)d (%(key)s)") % {"number": number, "key": record.key}
            try:
                fingerprint, masked, birth_date, sex = person_identity(record.iin)
                name = " ".join(record.full_name.split())
                if not name:
                    raise ApplicationError(_("Give the person's full name."))
                if record.key in people or fingerprint in fingerprints:
                    raise ApplicationError(_("This person appears twice in the batch."), code="duplicate")
                person = Person(
                    full_name=name,
                    iin_fingerprint=fingerprint,
                    iin_masked=masked,
                    birth_date=birth_date,
                    sex=sex,
                    education=_education(record.education),
                    civil_service_years=record.civil_service_years,
                    biography=record.biography.strip(),
                    party=self._party(record.party_code),
                )
                person.clean_fields(exclude=["party", "user", "photo"])
            except ValidationError as exc:
                raise _batch_error(where, ApplicationError(" ".join(exc.messages))) from exc
            except ApplicationError as exc:
                raise _batch_error(where, exc) from exc
            people[record.key] = person
            fingerprints.add(fingerprint)
        if Person.objects.filter(iin_fingerprint__in=list(fingerprints)).exists():
            raise ApplicationError(_("Some persons of the batch are registered already."), code="duplicate")
        return people

    def _party(self, code: str | None) -> Party | None:
        if not code:
            return None
        if code not in self.parties:
            raise ApplicationError(_("Unknown party %(code)s.") % {"code": code})
        return self.parties[code]

    def _apply_ends(self, until: date | None) -> None:
        """Mandates whose recorded end has come by `until` (None: all of them) leave office."""
        while self.ends and (until is None or self.ends[0][0] <= until):
            _end_day, _sequence, kato = heapq.heappop(self.ends)
            state = self.states[kato]
            seat = state.seat
            seat.mandate.ended_on = seat.end.on
            seat.mandate.end_reason = seat.end.reason
            seat.mandate.end_note = seat.end.note.strip()
            self.seat_of.pop(seat.person_key, None)
            state.seat = None
            if seat.end.reason != EndReason.TERM_EXPIRED:
                state.follow_up = (ElectionKind.EARLY, seat.end.on, None)

    def simulate(self) -> None:
        order = sorted(range(len(self.records)), key=lambda i: (self.records[i].voting_date, i))
        for sequence, index in enumerate(order):
            record = self.records[index]
            where = _("election %(number)d (%(kato)s, %(day)s)") % {
                "number": index + 1,
                "kato": record.unit_kato,
                "day": record.voting_date.isoformat(),
            }
            self._apply_ends(record.called_on)
            try:
                self._election(record, self.states[record.unit_kato], sequence)
            except ApplicationError as exc:
                raise _batch_error(where, exc) from exc
        self._apply_ends(None)
        for state in self.states.values():
            if state.follow_up is not None:
                kind, called_on, repeat_of = state.follow_up
                follow_up = Election(
                    rural_unit=state.unit,
                    kind=kind,
                    voting_date=rules.follow_up_voting_date(called_on),
                    called_on=called_on,
                )
                self.elections.append((follow_up, {"kind": kind, "called_automatically": True}))
                if repeat_of is not None:
                    self.repeats.append((follow_up, repeat_of))

    def _election(self, record: ElectionRecord, state: _UnitState, sequence: int) -> None:
        """Check one finished election against the unit's state, as the services would have step by step."""
        unit = state.unit
        check_call_dates(called_on=record.called_on, voting_date=record.voting_date)
        if record.certified_on < record.voting_date:
            raise ApplicationError(_("Results cannot be registered before the vote."))
        if state.last_certified is not None and record.called_on < state.last_certified:
            raise ApplicationError(_("An election is already under way in %(unit)s.") % {"unit": unit.name})
        repeat_of = None
        if state.follow_up is not None:
            kind, called_on, repeat_of = state.follow_up
            if record.kind != kind or record.called_on < called_on:
                raise ApplicationError(
                    _("The unit's next election is the %(kind)s called on %(day)s.")
                    % {"kind": ElectionKind(kind).label, "day": _d(called_on)}
                )
            state.follow_up = None
        elif record.kind == ElectionKind.REPEAT:
            raise ApplicationError(
                _("A repeat election follows an election in the same unit that elected nobody.")
            )
        if record.kind == ElectionKind.RECALL:
            raise ApplicationError(_("Recall votes are not loaded in batches."))
        if record.kind == ElectionKind.REGULAR:
            check_regular_window(
                sitting_ends_on=state.seat.mandate.ends_on if state.seat else None,
                voting_date=record.voting_date,
            )
        if record.kind == ElectionKind.EARLY and state.seat is not None:
            raise ApplicationError(
                _("%(unit)s has a sitting akim: an early election is called only when the post is vacant.")
                % {"unit": unit.name}
            )
        election = Election(
            rural_unit=unit,
            kind=record.kind,
            voting_date=record.voting_date,
            called_on=record.called_on,
            status=ElectionStatus.CERTIFIED,
        )
        if repeat_of is not None:
            self.repeats.append((election, repeat_of))
        registered = self._candidacies(record, state, election)
        votes = {number: entry.votes for number, (_candidacy, entry) in registered.items()}
        check_count(
            voters_registered=record.voters_registered,
            ballots_cast=record.ballots_cast,
            invalid_ballots=record.invalid_ballots,
            votes=list(votes.values()),
        )
        outcome = rules.decide(votes, record.ballots_cast)
        winner, winner_entry = registered[outcome.winner] if outcome.winner is not None else (None, None)
        result = ElectionResult(
            election=election,
            voters_registered=record.voters_registered,
            ballots_cast=record.ballots_cast,
            invalid_ballots=record.invalid_ballots,
            certified_on=record.certified_on,
            winner=winner,
            tie=outcome.tie,
        )
        self.results.append(result)
        self.candidate_results.extend(
            CandidateResult(result=result, candidacy=candidacy, votes=entry.votes)
            for candidacy, entry in registered.values()
        )
        state.last_certified = record.certified_on
        audit_data = {
            "kind": record.kind,
            "voting_date": record.voting_date.isoformat(),
            "candidates": len(registered),
            "ballots_cast": record.ballots_cast,
        }
        self.elections.append((election, audit_data))
        if winner is None:
            if record.mandate_end is not None:
                raise ApplicationError(_("This election elected nobody, so no mandate can end."))
            state.follow_up = (ElectionKind.REPEAT, record.certified_on, election)
            return
        if state.seat is not None:
            predecessor = state.seat.mandate
            predecessor.ended_on = record.certified_on
            predecessor.end_reason = EndReason.TERM_EXPIRED
            predecessor.end_note = _("Successor elected.")
            self.seat_of.pop(state.seat.person_key, None)
        mandate = Mandate(
            person=winner.person,
            rural_unit=unit,
            election=election,
            party=winner.party,
            nomination=winner.nomination,
            starts_on=record.certified_on,
            ends_on=rules.term_end(record.certified_on),
        )
        seat = _Seat(mandate=mandate, person_key=winner_entry.person_key)
        state.seat = seat
        state.holders.insert(0, winner_entry.person_key)
        self.seat_of[winner_entry.person_key] = unit
        self.seats.append(seat)
        if record.mandate_end is not None:
            check_mandate_end(
                reason=record.mandate_end.reason,
                on=record.mandate_end.on,
                starts_on=mandate.starts_on,
                ends_on=mandate.ends_on,
                has_party=mandate.party is not None,
                note=record.mandate_end.note,
            )
            seat.end = record.mandate_end
            heapq.heappush(self.ends, (record.mandate_end.on, sequence, record.unit_kato))

    def _candidacies(
        self, record: ElectionRecord, state: _UnitState, election: Election
    ) -> dict[int, tuple[Candidacy, CandidacyRecord]]:
        """Check the candidacies in the order they were nominated; the registered ones, by position."""
        unit = state.unit
        nominated_by = rules.nomination_closes(record.voting_date)
        seen: set[str] = set()
        active_party_ids: set[int] = set()
        registered: dict[int, tuple[Candidacy, CandidacyRecord]] = {}
        for number, entry in enumerate(record.candidacies):
            person = self.people.get(entry.person_key)
            if person is None:
                raise ApplicationError(_("Unknown person %(key)s.") % {"key": entry.person_key})
            if entry.person_key in seen:
                raise ApplicationError(
                    _("%(name)s is already a candidate in this election.") % {"name": person.full_name}
                )
            seen.add(entry.person_key)
            check_candidate_age(
                name=person.full_name, birth_date=person.birth_date, voting_date=record.voting_date
            )
            check_third_term(
                holders_latest_first=state.holders[: rules.MAX_CONSECUTIVE_TERMS],
                person_id=entry.person_key,
                name=person.full_name,
                unit_name=unit.name,
            )
            seat = self.seat_of.get(entry.person_key)
            check_not_sitting_elsewhere(
                name=person.full_name, elsewhere=seat.name if seat is not None and seat != unit else None
            )
            if self.standing_until.get(entry.person_key, date.min) > record.called_on:
                raise ApplicationError(
                    _("%(name)s is already standing in another election under way.")
                    % {"name": person.full_name}
                )
            party = self._party(entry.party_code)
            check_nomination(
                nomination=entry.nomination,
                party=party,
                signatures=entry.signatures,
                name=person.full_name,
                member_of_id=person.party_id,
                active_party_ids=active_party_ids,
                active_count=len(registered),
                voters=unit.voters,
                unit_name=unit.name,
            )
            if entry.status not in (
                CandidacyStatus.REGISTERED,
                CandidacyStatus.REFUSED,
                CandidacyStatus.WITHDRAWN,
            ):
                raise ApplicationError(
                    _("A finished election's candidates are registered, refused or withdrawn.")
                )
            if entry.status == CandidacyStatus.REFUSED and not entry.refusal_reason.strip():
                raise ApplicationError(_("Give the reason for refusing registration."))
            if entry.status != CandidacyStatus.REGISTERED and entry.votes:
                raise ApplicationError(_("Only registered candidates receive votes."))
            candidacy = Candidacy(
                election=election,
                person=person,
                nomination=entry.nomination,
                party=party if entry.nomination == Nomination.PARTY else None,
                signatures=entry.signatures if entry.nomination == Nomination.SELF else None,
                status=entry.status,
                refusal_reason=entry.refusal_reason.strip(),
                nominated_on=min(nominated_by, record.called_on + timedelta(days=number + 1)),
                decided_on=rules.registration_closes(record.voting_date),
            )
            self.candidacies.append(candidacy)
            self.standing_until[entry.person_key] = record.certified_on
            if entry.status == CandidacyStatus.REGISTERED:
                registered[number] = (candidacy, entry)
                if party is not None:
                    active_party_ids.add(party.pk)
        if not registered:
            raise ApplicationError(_("No candidate is registered: cancel the election and call another."))
        return registered

    def write(self, actor: Actor) -> BatchReport:
        Person.objects.bulk_create(list(self.people.values()), batch_size=500)
        Election.objects.bulk_create([election for election, _data in self.elections], batch_size=500)
        for election, repeat_of in self.repeats:
            election.repeat_of = repeat_of
        Election.objects.bulk_update(
            [election for election, _r in self.repeats], ["repeat_of"], batch_size=500
        )
        Candidacy.objects.bulk_create(self.candidacies, batch_size=500)
        ElectionResult.objects.bulk_create(self.results, batch_size=500)
        CandidateResult.objects.bulk_create(self.candidate_results, batch_size=500)
        Mandate.objects.bulk_create([seat.mandate for seat in self.seats], batch_size=500)
        audit_record(
            actor=actor,
            action="elections.persons_load",
            subject_type="elections.person",
            data={"count": len(self.people)},
        )
        mandate_of = {seat.mandate.election_id: seat.mandate for seat in self.seats}
        for election, audit_data in self.elections:
            mandate = mandate_of.get(election.pk)
            if mandate is not None:
                audit_data["mandate"] = mandate.pk
                audit_data["person"] = mandate.person_id
                if mandate.ended_on:
                    audit_data["ended"] = {"on": mandate.ended_on.isoformat(), "reason": mandate.end_reason}
            audit_data["repeat_of"] = election.repeat_of_id
            audit_record(
                actor=actor,
                action="elections.election_load",
                subject=election,
                territory=election.rural_unit.kato,
                data=audit_data,
            )
        follow_ups = sum(
            1 for election, _data in self.elections if election.status != ElectionStatus.CERTIFIED
        )
        return BatchReport(
            persons=len(self.people),
            elections=len(self.elections),
            mandates=len(self.seats),
            follow_ups=follow_ups,
        )


# --- Import of results from the commission's CSV -------------------------------------------------------

RESULT_COLUMNS = [
    "kato",
    "voting_date",
    "voters_registered",
    "ballots_cast",
    "invalid_ballots",
    "candidate",
    "votes",
]
_ELECTION_FIELDS = ("voters_registered", "ballots_cast", "invalid_ballots", "certified_on")


@dataclass
class _ResultGroup:
    line: int
    kato: str
    voting_date: date
    figures: dict
    votes: list[tuple[int, str, str, int]] = field(default_factory=list)  # (line, candidacy id, name, votes)


def _parse_result_row(line: int, row: dict[str, str], errors: list) -> tuple | None:
    """One CSV row as typed values, or None with its problems added to `errors`."""
    values: dict[str, object] = {}
    before = len(errors)
    kato = row["kato"].strip()
    if not re.fullmatch(r"[0-9]{9}", kato):
        errors.append(RowError(line, "kato", _("a KATO code has 9 digits")))
    for name in ("voting_date", "certified_on"):
        text = (row.get(name) or "").strip()
        if not text and name == "certified_on":
            values[name] = None
            continue
        try:
            values[name] = date.fromisoformat(text)
        except ValueError:
            errors.append(RowError(line, name, _("a date is written YYYY-MM-DD")))
    for name in ("voters_registered", "ballots_cast", "invalid_ballots", "votes"):
        text = row[name].strip()
        if not re.fullmatch(r"[0-9]{1,12}", text):
            errors.append(RowError(line, name, _("a whole number of 0 or more is expected")))
        else:
            values[name] = int(text)
    candidate = " ".join(row["candidate"].split())
    candidacy = (row.get("candidacy") or "").strip()
    if not candidate and not candidacy:
        errors.append(RowError(line, "candidate", _("name the candidate")))
    if candidacy and not candidacy.isdigit():
        errors.append(RowError(line, "candidacy", _("a candidacy is named by its number in Esep")))
    if len(errors) > before:
        return None
    return kato, values, candidacy, candidate


@transaction.atomic
def results_import(*, path: str, actor: Actor = None) -> ImportResult:
    """Register election results from a CSV file: one row per registered candidate. All or nothing; a file
    imported again changes nothing; every error names its line and field."""
    source = Path(path).name
    errors: list[RowError] = []
    groups: dict[tuple[str, date], _ResultGroup] = {}
    for line, row in read_csv_rows(path, required=RESULT_COLUMNS, source=source):
        parsed = _parse_result_row(line, row, errors)
        if parsed is None:
            continue
        kato, values, candidacy, candidate = parsed
        figures = {name: values[name] for name in _ELECTION_FIELDS}
        group = groups.setdefault(
            (kato, values["voting_date"]),
            _ResultGroup(line=line, kato=kato, voting_date=values["voting_date"], figures=figures),
        )
        for name in _ELECTION_FIELDS:
            if figures[name] != group.figures[name]:
                errors.append(
                    RowError(
                        line,
                        name,
                        _("differs from line %(line)d of the same election") % {"line": group.line},
                    )
                )
        group.votes.append((line, candidacy, candidate, values["votes"]))
    elections = {
        (e.rural_unit.kato, e.voting_date): e
        for e in Election.objects.filter(
            rural_unit__kato__in={kato for kato, _day in groups},
            voting_date__in={day for _kato, day in groups},
        )
        .exclude(status=ElectionStatus.CANCELLED)
        .exclude(kind=ElectionKind.RECALL)
        .select_related("rural_unit", "result")
    }
    registered: dict[int, list[Candidacy]] = {}
    for candidacy in Candidacy.objects.filter(
        election__in=list(elections.values()), status=CandidacyStatus.REGISTERED
    ).select_related("person", "result"):
        registered.setdefault(candidacy.election_id, []).append(candidacy)
    plan: list[tuple[_ResultGroup, Election, dict[int, int]]] = []
    result = ImportResult()
    for key, group in groups.items():
        election = elections.get(key)
        if election is None:
            errors.append(
                RowError(
                    group.line,
                    "voting_date",
                    _("no election in unit %(kato)s on this day") % {"kato": group.kato},
                )
            )
            continue
        votes = _match_candidates(group, registered.get(election.pk, []), errors)
        if votes is None:
            continue
        try:
            check_count(
                voters_registered=group.figures["voters_registered"],
                ballots_cast=group.figures["ballots_cast"],
                invalid_ballots=group.figures["invalid_ballots"],
                votes=list(votes.values()),
            )
        except ApplicationError as exc:
            errors.append(RowError(group.line, "votes", str(exc.message)))
            continue
        if election.status == ElectionStatus.CERTIFIED:
            if _same_result(election, group, votes):
                result.unchanged += 1
            else:
                errors.append(
                    RowError(group.line, "", _("this election's results are registered already, and differ"))
                )
            continue
        if election.status != ElectionStatus.VOTING:
            errors.append(
                RowError(
                    group.line,
                    "voting_date",
                    _("the election is at the stage %(status)s, not at the vote")
                    % {"status": election.get_status_display()},
                )
            )
            continue
        plan.append((group, election, votes))
    if errors:
        raise ImportFailed(source, sorted(errors, key=lambda error: error.line))
    for group, election, votes in plan:
        try:
            with transaction.atomic():
                election_result_register(
                    election=election,
                    voters_registered=group.figures["voters_registered"],
                    ballots_cast=group.figures["ballots_cast"],
                    invalid_ballots=group.figures["invalid_ballots"],
                    votes=votes,
                    on=group.figures["certified_on"],
                    actor=actor,
                )
        except ApplicationError as exc:
            errors.append(RowError(group.line, "", str(exc.message)))
        else:
            result.created += 1
    if errors:
        raise ImportFailed(source, errors)
    if result.changed:
        audit_record(
            actor=actor,
            action="elections.results_import",
            subject_type="elections.electionresult",
            subject_id=source,
            data={
                "file": source,
                "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest(),
                "registered": result.created,
                "unchanged": result.unchanged,
            },
        )
    return result


def _match_candidates(
    group: _ResultGroup, candidacies: list[Candidacy], errors: list
) -> dict[int, int] | None:
    """Votes by candidacy id, each registered candidate named once (by Esep number or by full name)."""
    by_id = {str(c.pk): c for c in candidacies}
    by_name: dict[str, list[Candidacy]] = {}
    for candidacy in candidacies:
        by_name.setdefault(candidacy.person.full_name.casefold(), []).append(candidacy)
    votes: dict[int, int] = {}
    before = len(errors)
    for line, number, name, count in group.votes:
        if number:
            match = by_id.get(number)
            if match is None:
                errors.append(
                    RowError(line, "candidacy", _("no registered candidate has this number in this election"))
                )
                continue
        else:
            matches = by_name.get(name.casefold(), [])
            if len(matches) != 1:
                message = (
                    _("two registered candidates have this name: give the candidacy column")
                    if matches
                    else _("no registered candidate of this election has this name")
                )
                errors.append(RowError(line, "candidate", message))
                continue
            match = matches[0]
        if match.pk in votes:
            errors.append(RowError(line, "candidate", _("this candidate has a row already")))
            continue
        votes[match.pk] = count
    missing = [c.person.full_name for c in candidacies if c.pk not in votes]
    if missing and len(errors) == before:
        errors.append(
            RowError(
                group.line,
                "candidate",
                _("no row for the registered candidate(s) %(names)s") % {"names": ", ".join(missing)},
            )
        )
    return votes if len(errors) == before else None


def _same_result(election: Election, group: _ResultGroup, votes: dict[int, int]) -> bool:
    stored = election.result
    figures = (stored.voters_registered, stored.ballots_cast, stored.invalid_ballots)
    wanted = (
        group.figures["voters_registered"],
        group.figures["ballots_cast"],
        group.figures["invalid_ballots"],
    )
    stored_votes = dict(CandidateResult.objects.filter(result=stored).values_list("candidacy_id", "votes"))
    return figures == wanted and stored_votes == votes
