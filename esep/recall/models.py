"""Recall of a rural akim: citizens' initiatives with their group, grounds, evidence, signatures and paper
sheets; the thresholds table; a party's withdrawal of its nominee.

The state of an initiative is written only by `services.initiative_transition` (see `states.py`).
Signatures are private: `Signature` has no default `objects` manager, keeps the IIN only as its keyed
fingerprint and masked form, and the database allows one row per person per initiative.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from esep.recall import rules
from esep.recall.states import ACTIVE_STATES, By, State, WithdrawalState


class RecallThresholdTable(models.Model):
    """A table of signature thresholds by electorate size, in force from a date until the next one.

    Published once and never edited (a change is a new table). A table with no bands returns to the rule
    set's flat share.
    """

    effective_from = models.DateField(_("in force from"))
    note = models.TextField(_("what it changes and why"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        ordering = ["-effective_from", "-pk"]
        verbose_name = _("recall threshold table")
        verbose_name_plural = _("recall threshold tables")

    def __str__(self) -> str:
        return f"{self.effective_from:%Y-%m-%d}"


class RecallThresholdBand(models.Model):
    table = models.ForeignKey(
        RecallThresholdTable, on_delete=models.CASCADE, related_name="bands", verbose_name=_("table")
    )
    min_voters = models.PositiveIntegerField(_("from voters"))
    max_voters = models.PositiveIntegerField(_("to voters"), null=True, blank=True)
    signatures = models.PositiveIntegerField(_("signatures required"), null=True, blank=True)
    share = models.DecimalField(
        _("share of the voters"), max_digits=7, decimal_places=6, null=True, blank=True
    )

    class Meta:
        ordering = ["table", "min_voters"]
        constraints = [
            models.UniqueConstraint(fields=["table", "min_voters"], name="recall_band_starts_once"),
            models.CheckConstraint(
                condition=Q(signatures__isnull=False, share__isnull=True)
                | Q(signatures__isnull=True, share__isnull=False),
                name="recall_band_signatures_or_share",
            ),
            models.CheckConstraint(
                condition=Q(max_voters__isnull=True) | Q(max_voters__gte=models.F("min_voters")),
                name="recall_band_upper_end_not_below_lower",
            ),
        ]
        verbose_name = _("recall threshold band")
        verbose_name_plural = _("recall threshold bands")

    def __str__(self) -> str:
        return f"{self.as_band().range_text}: {self.as_band().value_text}"

    def as_band(self) -> rules.Band:
        return rules.Band(self.min_voters, self.max_voters, signatures=self.signatures, share=self.share)


class Initiative(models.Model):
    """A citizens' initiative to recall the akim holding `mandate` in `rural_unit`."""

    rural_unit = models.ForeignKey(
        "territory.Territory",
        on_delete=models.PROTECT,
        related_name="recall_initiatives",
        verbose_name=_("rural unit"),
    )
    # The unit's KATO code, copied so that territory scopes and counts filter without a join.
    kato = models.CharField(max_length=9, db_index=True)
    mandate = models.ForeignKey(
        "elections.Mandate",
        on_delete=models.PROTECT,
        related_name="recall_initiatives",
        verbose_name=_("mandate"),
    )
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.FILED)
    state_changed_at = models.DateTimeField(_("state changed at"))
    grounds = models.TextField(_("grounds"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    filed_at = models.DateTimeField(_("filed at"))
    akim_answer = models.TextField(_("the akim's answer"), blank=True)
    akim_answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decided_on = models.DateField(_("registered or refused on"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    # What registration fixed: the rules of the day, the unit's voters and the threshold with its basis.
    rule_set_version = models.CharField(_("rule set"), max_length=32, blank=True)
    voters = models.PositiveIntegerField(_("registered voters"), null=True, blank=True)
    signatures_required = models.PositiveIntegerField(_("signatures required"), null=True, blank=True)
    threshold_basis = models.JSONField(_("basis of the threshold"), default=dict, blank=True)
    signing_opens_on = models.DateField(_("signing opens on"), null=True, blank=True)
    signing_closes_on = models.DateField(_("last day of signing"), null=True, blank=True)
    # Live count of signatures not withdrawn, kept by the signing services in the signature's transaction.
    signature_count = models.PositiveIntegerField(_("signatures"), default=0)
    valid_count = models.PositiveIntegerField(_("valid signatures"), null=True, blank=True)
    rejected_count = models.PositiveIntegerField(_("rejected signatures"), null=True, blank=True)
    certified_on = models.DateField(_("count certified on"), null=True, blank=True)
    recall_vote = models.OneToOneField(
        "elections.Election",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recall_initiative",
        verbose_name=_("recall vote"),
    )
    min_turnout_share = models.DecimalField(
        _("minimum turnout of the vote"), max_digits=7, decimal_places=6, null=True, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mandate"],
                condition=Q(state__in=ACTIVE_STATES),
                name="recall_one_initiative_under_way_per_mandate",
                violation_error_message=_("A recall initiative on this akim is already under way."),
            ),
        ]
        indexes = [
            models.Index(fields=["kato", "state"], name="recall_initiative_kato_idx"),
            models.Index(fields=["state", "signing_closes_on"], name="recall_initiative_close_idx"),
        ]
        verbose_name = _("recall initiative")
        verbose_name_plural = _("recall initiatives")

    def __str__(self) -> str:
        return f"{self.pk} · {self.kato} · {self.state}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def shown_count(self) -> int:
        """What the page counts against the threshold: the certified count once there is one."""
        return self.valid_count if self.valid_count is not None else self.signature_count

    def days_left(self, today: object) -> int | None:
        if self.state != State.COLLECTING or self.signing_closes_on is None:
            return None
        return rules.days_left(self.signing_closes_on, today)

    @property
    def threshold_text(self) -> str:
        basis = self.threshold_basis or {}
        if basis.get("kind") == "share":
            return _("%(percent)s%% of %(voters)s registered voters") % {
                "percent": rules.percent_text(basis["share"]),
                "voters": self.voters,
            }
        if basis.get("kind") == "band":
            return _("band %(band)s voters of the thresholds table: %(value)s (the unit has %(voters)s)") % {
                "band": basis["band"],
                "value": basis["value"],
                "voters": self.voters,
            }
        return ""


class GroupMember(models.Model):
    """A resident of the unit in the initiative group: the filer, and those who joined before registration."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_filer = models.BooleanField(default=False)
    joined_at = models.DateTimeField()

    class Meta:
        ordering = ["initiative", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="recall_member_once_per_initiative")
        ]
        verbose_name = _("initiative group member")
        verbose_name_plural = _("initiative group members")

    def __str__(self) -> str:
        return f"{self.initiative_id} · {self.user_id}"


class EvidenceKind(models.TextChoices):
    PROMISE = "promise", _("promise of the program")
    APPEAL = "appeal", _("resident's request")
    REPORT = "report", _("accountability report")


class RecallEvidence(models.Model):
    """An item of Esep cited in the grounds, with a snapshot of its public summary at filing time."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    object_id = models.PositiveBigIntegerField()
    summary = models.CharField(_("summary"), max_length=500)
    # Status, dates and names in the three languages, as they were when the initiative was filed.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["initiative", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "kind", "object_id"], name="recall_evidence_cited_once"
            )
        ]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"

    @property
    def description(self) -> str:
        """The snapshot in words, in the reader's language."""
        detail = self.detail or {}
        if self.kind == EvidenceKind.PROMISE:
            from esep.programs.models import PromiseStatus

            status = detail.get("status", "")
            label = PromiseStatus(status).label if status in PromiseStatus.values else status
            text = _("%(status)s, deadline %(deadline)s") % {
                "status": label,
                "deadline": detail.get("deadline"),
            }
            return text + (" · " + str(_("overdue")) if detail.get("overdue") else "")
        if self.kind == EvidenceKind.APPEAL:
            language = (get_language() or "ru")[:2]
            category = (detail.get("category") or {}).get(language, "")
            if detail.get("answered"):
                return _("%(category)s; due %(due)s, answered %(answered)s (late)") % {
                    "category": category,
                    "due": detail.get("due"),
                    "answered": detail.get("answered"),
                }
            return _("%(category)s; due %(due)s, not answered") % {
                "category": category,
                "due": detail.get("due"),
            }
        return ""


class InitiativeEvent(models.Model):
    """One move of the initiative: the public timeline (who as a role; the person is in the audit log)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    from_state = models.CharField(max_length=24, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=24, choices=State.choices)
    by = models.CharField(max_length=16, choices=By.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["initiative", "at", "pk"]
        verbose_name = _("initiative event")
        verbose_name_plural = _("initiative events")

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.from_state} -> {self.to_state}"


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    PAPER = "paper", _("paper sheet")


class Verification(models.TextChoices):
    PENDING = "pending", _("not yet verified")
    VALID = "valid", _("valid")
    REJECTED = "rejected", _("rejected")


class RefusalReason(models.TextChoices):
    """Why a signature is not taken when it is given (online) or entered (a line of a paper sheet)."""

    INVALID_IIN = "invalid_iin", _("the IIN is not valid")
    UNDER_18 = "under_18", _("the signer is under 18 on the signing day")
    NOT_RESIDENT = "not_resident", _("not a resident of the unit according to the population register")
    ALREADY_SIGNED = "already_signed", _("this person has already signed")
    OUTSIDE_PERIOD = "outside_period", _("signed outside the signing period")
    NOT_YOUR_IIN = "not_your_iin", _("the IIN is not the one of this account")
    NOT_COLLECTING = "not_collecting", _("the initiative is not collecting signatures")


class RejectionReason(models.TextChoices):
    """Why the commission rejects a signature at verification."""

    NOT_GENUINE = "not_genuine", _("the signature is not genuine")
    ILLEGIBLE = "illegible", _("the sheet line is illegible or incomplete")
    NOT_RESIDENT = "not_resident", _("not a resident of the unit on the signing day")
    NOT_VOTER = "not_voter", _("not on the voters' list (e.g. declared incapable by a court)")
    DECEASED = "deceased", _("the signer died before the signing day")
    OTHER = "other", _("other reason (explained in the note)")


class PaperSheet(models.Model):
    """A paper signature sheet entered by the commission; each line's outcome is in `lines`."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="sheets")
    number = models.PositiveIntegerField(_("sheet number"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()
    lines_total = models.PositiveIntegerField(default=0)
    lines_accepted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["initiative", "number"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "number"], name="recall_sheet_number_once")
        ]
        verbose_name = _("paper signature sheet")
        verbose_name_plural = _("paper signature sheets")

    def __str__(self) -> str:
        return f"{self.initiative_id} · {self.number}"


class Signature(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="signatures")
    iin_fingerprint = models.CharField(max_length=64)
    iin_masked = models.CharField(_("IIN (masked)"), max_length=12)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sheet = models.ForeignKey(
        PaperSheet, null=True, blank=True, on_delete=models.PROTECT, related_name="signatures"
    )
    sheet_line = models.PositiveIntegerField(null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, default=Verification.PENDING
    )
    rejection_reason = models.CharField(
        _("reason for rejection"), max_length=16, choices=RejectionReason.choices, blank=True
    )
    rejection_note = models.CharField(_("note"), max_length=300, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    # No `objects`: signatures are personal data; every read says it is a private one.
    private_objects = models.Manager()

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["initiative", "signed_at", "pk"]
        constraints = [
            # The one-signature-per-person rule: signing inserts and the database says no to a second row.
            models.UniqueConstraint(
                fields=["initiative", "iin_fingerprint"], name="recall_one_signature_per_person"
            ),
            models.CheckConstraint(
                condition=~Q(verification="rejected") | ~Q(rejection_reason=""),
                name="recall_rejected_signature_has_a_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["initiative", "verification"], name="recall_signature_verif_idx"),
        ]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return f"{self.initiative_id} · {self.iin_masked}"


class SheetLineOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    INVALID_IIN = RefusalReason.INVALID_IIN.value, RefusalReason.INVALID_IIN.label
    UNDER_18 = RefusalReason.UNDER_18.value, RefusalReason.UNDER_18.label
    NOT_RESIDENT = RefusalReason.NOT_RESIDENT.value, RefusalReason.NOT_RESIDENT.label
    ALREADY_SIGNED = RefusalReason.ALREADY_SIGNED.value, RefusalReason.ALREADY_SIGNED.label
    OUTSIDE_PERIOD = RefusalReason.OUTSIDE_PERIOD.value, RefusalReason.OUTSIDE_PERIOD.label


class PaperSheetLine(models.Model):
    """What became of one line of a paper sheet (the IIN only masked; empty when it was not a valid IIN)."""

    sheet = models.ForeignKey(PaperSheet, on_delete=models.CASCADE, related_name="lines")
    line = models.PositiveIntegerField()
    iin_masked = models.CharField(max_length=12, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=SheetLineOutcome.choices)
    signature = models.ForeignKey(
        Signature, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["sheet", "line"]
        constraints = [models.UniqueConstraint(fields=["sheet", "line"], name="recall_sheet_line_once")]
        verbose_name = _("paper sheet line")
        verbose_name_plural = _("paper sheet lines")

    def __str__(self) -> str:
        return f"{self.sheet_id}:{self.line} {self.outcome}"


class PartyWithdrawal(models.Model):
    """A nominating party's decision to withdraw its akim, filed by its officer, for the commission."""

    mandate = models.ForeignKey(
        "elections.Mandate", on_delete=models.PROTECT, related_name="party_withdrawals"
    )
    party = models.ForeignKey("elections.Party", on_delete=models.PROTECT, related_name="withdrawals")
    rural_unit = models.ForeignKey("territory.Territory", on_delete=models.PROTECT, related_name="+")
    kato = models.CharField(max_length=9, db_index=True)
    state = models.CharField(
        _("state"), max_length=16, choices=WithdrawalState.choices, default=WithdrawalState.FILED
    )
    decision_number = models.CharField(_("number of the decision"), max_length=64)
    decision_date = models.DateField(_("date of the decision"))
    grounds = models.TextField(_("grounds"))
    document = models.FileField(_("the decision (PDF)"), upload_to="recall/party-decisions/%Y/")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()
    decided_on = models.DateField(_("registered or refused on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mandate"],
                condition=Q(state="filed"),
                name="recall_one_pending_withdrawal_per_mandate",
                violation_error_message=_("A withdrawal of this akim by the party is already filed."),
            ),
        ]
        verbose_name = _("party's withdrawal")
        verbose_name_plural = _("parties' withdrawals")

    def __str__(self) -> str:
        return f"{self.party_id} · {self.mandate_id} · {self.state}"
