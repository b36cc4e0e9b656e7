"""Reads of the recall app, each with a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from esep.appeals.models import OPEN_STATUSES as OPEN_APPEAL_STATUSES
from esep.appeals.models import Appeal
from esep.core.kato import kato_within
from esep.elections.models import Mandate
from esep.programs.models import (
    OPEN_PROMISE_STATUSES,
    ProgramStatus,
    Promise,
    PromiseStatus,
    rule_parameters_with_defaults,
)
from esep.programs.selectors import rule_set_in_force
from esep.recall import rules
from esep.recall.models import (
    GroupMember,
    Initiative,
    InitiativeEvent,
    PaperSheet,
    PartyWithdrawal,
    RecallEvidence,
    RecallThresholdTable,
    Signature,
)
from esep.recall.states import ACTIVE_STATES, FAILED_STATES
from esep.territory.models import Territory

# Promises that are evidence of not delivering: given up on or stalled, or still owed past their deadline.
FAILED_PROMISE_STATUSES = (PromiseStatus.BROKEN, PromiseStatus.DROPPED, PromiseStatus.STALLED)
EVIDENCE_CHOICES_LIMIT = 50


@dataclass(frozen=True)
class Parameters:
    """The recall parameters of the rule set in force on a day (the defaults when none is)."""

    rule_set_version: str
    min_group: int
    signing_days: int
    signature_share: float
    min_mandate_age_days: int
    failed_cooldown_days: int
    vote_min_turnout: float


def parameters(on: date) -> Parameters:
    rule_set = rule_set_in_force(on)
    values = rule_parameters_with_defaults(rule_set.parameters if rule_set is not None else {})
    return Parameters(
        rule_set_version=rule_set.version if rule_set is not None else "",
        min_group=int(values["recall_min_group"]),
        signing_days=int(values["recall_signing_days"]),
        signature_share=values["recall_signature_share"],
        min_mandate_age_days=int(values["recall_min_mandate_age_days"]),
        failed_cooldown_days=int(values["recall_failed_cooldown_days"]),
        vote_min_turnout=values["recall_vote_min_turnout"],
    )


def threshold_table_in_force(on: date) -> RecallThresholdTable | None:
    return (
        RecallThresholdTable.objects.filter(effective_from__lte=on)
        .order_by("-effective_from", "-pk")
        .prefetch_related("bands")
        .first()
    )


def bands_in_force(on: date) -> list[rules.Band]:
    table = threshold_table_in_force(on)
    return [band.as_band() for band in table.bands.all()] if table is not None else []


def threshold_for(voters: int, on: date) -> tuple[int, dict]:
    """Signatures a unit of `voters` voters needs for an initiative registered on `on`, and the basis."""
    return rules.required_signatures(voters, share=parameters(on).signature_share, bands=bands_in_force(on))


def threshold_tables() -> QuerySet[RecallThresholdTable]:
    return RecallThresholdTable.objects.select_related("created_by").prefetch_related("bands")


# --- Initiatives ---------------------------------------------------------------------------------------


def initiatives(*, prefix: str = "", state: str | None = None) -> QuerySet[Initiative]:
    """Initiatives in the area whose KATO codes start with `prefix` (newest first), with what a list shows."""
    queryset = Initiative.objects.select_related("rural_unit", "mandate__person")
    if prefix:
        queryset = queryset.filter(kato_within("kato", prefix))
    if state == "active":
        queryset = queryset.filter(state__in=ACTIVE_STATES)
    elif state:
        queryset = queryset.filter(state=state)
    return queryset.order_by("-filed_at", "-pk")


def initiative_get(pk: int) -> Initiative | None:
    return (
        Initiative.objects.select_related(
            "rural_unit__parent__parent", "mandate__person", "mandate__party", "recall_vote__result"
        )
        .filter(pk=pk)
        .first()
    )


def timeline(initiative: Initiative) -> list[InitiativeEvent]:
    return list(InitiativeEvent.objects.filter(initiative=initiative).order_by("at", "pk"))


def evidence(initiative: Initiative) -> list[RecallEvidence]:
    return list(RecallEvidence.objects.filter(initiative=initiative).order_by("kind", "pk"))


def group(initiative: Initiative) -> list[GroupMember]:
    return list(
        GroupMember.objects.filter(initiative=initiative).select_related("user").order_by("joined_at")
    )


def group_size(initiative: Initiative) -> int:
    return GroupMember.objects.filter(initiative=initiative).count()


def is_member(initiative: Initiative, user: object) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return GroupMember.objects.filter(initiative=initiative, user=user).exists()


def counts_by_state(prefix: str = "") -> dict[str, int]:
    """Initiatives per state in an area (one query)."""
    queryset = Initiative.objects.all()
    if prefix:
        queryset = queryset.filter(kato_within("kato", prefix))
    rows = queryset.values("state").annotate(n=Count("pk")).order_by()
    return {row["state"]: row["n"] for row in rows}


def latest_in_unit(unit: Territory) -> Initiative | None:
    """The unit's initiative under way, else its most recent one (one query)."""
    return (
        Initiative.objects.filter(rural_unit=unit)
        .select_related("mandate__person")
        .order_by("-filed_at", "-pk")
        .first()
    )


def mandate_initiatives(mandate: Mandate) -> QuerySet[Initiative]:
    return Initiative.objects.filter(mandate=mandate).order_by("-filed_at", "-pk")


def registration_obstacles(initiative: Initiative, on: date) -> list[tuple[str, str]]:
    """What keeps the commission from registering the initiative on `on`: (code, message) pairs."""
    found: list[tuple[str, str]] = []
    params = parameters(on)
    mandate = initiative.mandate
    if mandate.ended_on is not None:
        return [("mandate_ended", _("The akim's mandate has ended: there is nothing to recall."))]
    members = group_size(initiative)
    if members < params.min_group:
        found.append(
            (
                "group_too_small",
                _("The initiative group has %(members)d members; at least %(min)d are required.")
                % {"members": members, "min": params.min_group},
            )
        )
    age = (on - mandate.starts_on).days
    if age < params.min_mandate_age_days:
        found.append(
            (
                "mandate_too_young",
                _(
                    "The akim has held the mandate for %(age)d days; a recall can be registered after "
                    "%(min)d days."
                )
                % {"age": age, "min": params.min_mandate_age_days},
            )
        )
    last_failure = (
        Initiative.objects.filter(mandate=mandate, state__in=FAILED_STATES, closed_on__isnull=False)
        .exclude(pk=initiative.pk)
        .order_by("-closed_on")
        .values_list("closed_on", flat=True)
        .first()
    )
    if last_failure is not None and (on - last_failure).days < params.failed_cooldown_days:
        found.append(
            (
                "recent_failed_recall",
                _(
                    "A recall of this akim failed on %(day)s; another can be registered %(days)d days after "
                    "that."
                )
                % {"day": last_failure.isoformat(), "days": params.failed_cooldown_days},
            )
        )
    voters = initiative.rural_unit.voters
    if not voters:
        found.append(
            (
                "voters_unknown",
                _("The unit's number of registered voters is not recorded: the commission records it first."),
            )
        )
    return found


# --- Signatures and sheets -----------------------------------------------------------------------------


def signatures(initiative: Initiative, *, verification: str | None = None) -> QuerySet[Signature]:
    """Signatures not withdrawn, for the commission's verification (the masked IIN only)."""
    queryset = Signature.private_objects.filter(
        initiative=initiative, withdrawn_at__isnull=True
    ).select_related("sheet")
    if verification:
        queryset = queryset.filter(verification=verification)
    return queryset.order_by("signed_at", "pk")


def signature_of(initiative: Initiative, fingerprint: str | None) -> Signature | None:
    if not fingerprint:
        return None
    return Signature.private_objects.filter(initiative=initiative, iin_fingerprint=fingerprint).first()


def verification_counts(initiative: Initiative) -> dict[str, int]:
    rows = (
        Signature.private_objects.filter(initiative=initiative, withdrawn_at__isnull=True)
        .values("verification")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["verification"]: row["n"] for row in rows}


def sheets(initiative: Initiative) -> QuerySet[PaperSheet]:
    return PaperSheet.objects.filter(initiative=initiative).order_by("-number")


# --- Evidence the filing form offers --------------------------------------------------------------------


def promise_candidates(mandate: Mandate, today: date) -> list[Promise]:
    """Promises of the sitting akim's published program that are broken, dropped, stalled or overdue."""
    overdue = Q(status__in=OPEN_PROMISE_STATUSES, deadline__lt=today)
    return list(
        Promise.objects.filter(
            program__status=ProgramStatus.PUBLISHED,
            program__rural_unit_id=mandate.rural_unit_id,
            program__candidacy__election_id=mandate.election_id,
            program__candidacy__person_id=mandate.person_id,
        )
        .filter(Q(status__in=FAILED_PROMISE_STATUSES) | overdue)
        .order_by("deadline", "pk")[:EVIDENCE_CHOICES_LIMIT]
    )


def appeal_candidates(unit: Territory, today: date) -> list[Appeal]:
    """The unit's requests answered late or still open past their deadline (public fields only)."""
    late = Q(missed=True) | Q(status__in=OPEN_APPEAL_STATUSES, extended_deadline__lt=today)
    late |= Q(status__in=OPEN_APPEAL_STATUSES, extended_deadline__isnull=True, deadline__lt=today)
    return list(
        Appeal.private_objects.filter(kato=unit.kato)
        .filter(late)
        .select_related("category")
        .only(
            "pk",
            "number",
            "status",
            "deadline",
            "extended_deadline",
            "answered_at",
            "registered_at",
            "category__code",
            "category__name_kk",
            "category__name_ru",
            "category__name_en",
        )
        .order_by("-registered_at", "-pk")[:EVIDENCE_CHOICES_LIMIT]
    )


# --- Party withdrawals ---------------------------------------------------------------------------------


def withdrawals(*, prefix: str = "", state: str | None = None) -> QuerySet[PartyWithdrawal]:
    queryset = PartyWithdrawal.objects.select_related("party", "rural_unit", "mandate__person")
    if prefix:
        queryset = queryset.filter(kato_within("kato", prefix))
    if state:
        queryset = queryset.filter(state=state)
    return queryset.order_by("-filed_at", "-pk")


def withdrawal_get(pk: int) -> PartyWithdrawal | None:
    return (
        PartyWithdrawal.objects.select_related("party", "rural_unit__parent__parent", "mandate__person")
        .filter(pk=pk)
        .first()
    )


def party_nominees(*, party_codes: list[str], scopes: list[str | None]) -> QuerySet[Mandate]:
    """Sitting akims nominated by one of `party_codes` in the officer's scopes (KATO prefixes; None: all)."""
    queryset = (
        Mandate.objects.current()
        .filter(party__code__in=party_codes)
        .select_related("person", "party", "rural_unit")
    )
    if None not in scopes:
        condition = Q(pk__in=[])
        for scope in scopes:
            condition |= kato_within("rural_unit__kato", scope)
        queryset = queryset.filter(condition)
    return queryset.order_by("rural_unit__kato")
