"""Who governs each rural unit and how they got there: parties, persons, elections, candidacies, results,
mandates.

The rules of the Constitutional Law on elections (chapter 13-1) live in `rules.py` and are enforced by the
services; the models hold the data and the database constraints that back those rules.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from esep.core.kato import kato_within
from esep.core.languages import in_language
from esep.elections import rules
from esep.territory.translit import romanize


class Party(models.Model):
    """A registered political party; the list is editable because parties are registered and dissolved."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_kk = models.CharField(_("name in Kazakh"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    is_registered = models.BooleanField(_("registered"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Education(models.TextChoices):
    SECONDARY = "secondary", _("secondary")
    VOCATIONAL = "vocational", _("technical and vocational")
    HIGHER = "higher", _("higher")
    POSTGRADUATE = "postgraduate", _("postgraduate")


PHOTO_FOLDER = "persons/"  # under MEDIA_ROOT; served by elections.views.person_photo at MEDIA_URL + this


class Person(models.Model):
    """A candidate or akim. The IIN itself is never kept: only its keyed fingerprint and a masked form."""

    full_name = models.CharField(_("full name"), max_length=200)
    iin_fingerprint = models.CharField(max_length=64, unique=True, editable=False)
    iin_masked = models.CharField(_("IIN (masked)"), max_length=12, editable=False)
    birth_date = models.DateField(_("date of birth"), editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, editable=False)
    education = models.CharField(_("education"), max_length=16, choices=Education.choices)
    civil_service_years = models.PositiveSmallIntegerField(_("years in the civil service"), default=0)
    biography = models.TextField(_("biography"), blank=True)
    photo = models.ImageField(_("photo"), upload_to=PHOTO_FOLDER, blank=True)
    party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("party membership"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("user account"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["full_name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        # The photo view finds a person by the file name in the URL. Not a partial index (photo <> ''):
        # SQLite uses one only when the query repeats its condition word for word.
        indexes = [models.Index(fields=["photo"], name="person_photo")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def display_name(self) -> str:
        """The name as written in Kazakh, in Latin letters for the English interface."""
        if (get_language() or "ru")[:2] == "en":
            return romanize(self.full_name)
        return self.full_name

    def age_on(self, day: date) -> int:
        return rules.age_on(self.birth_date, day)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


class ElectionKind(models.TextChoices):
    REGULAR = "regular", _("regular election")
    EARLY = "early", _("early election")
    REPEAT = "repeat", _("repeat election")
    RECALL = "recall", _("recall vote")


class ElectionStatus(models.TextChoices):
    CALLED = "called", _("called")
    NOMINATION = "nomination", _("nomination")
    REGISTRATION = "registration", _("registration of candidates")
    VOTING = "voting", _("voting")
    CERTIFIED = "certified", _("results certified")
    CANCELLED = "cancelled", _("cancelled")


OPEN_STATUSES = (
    ElectionStatus.CALLED,
    ElectionStatus.NOMINATION,
    ElectionStatus.REGISTRATION,
    ElectionStatus.VOTING,
)


class ElectionQuerySet(models.QuerySet):
    def open(self) -> "ElectionQuerySet":
        return self.filter(status__in=OPEN_STATUSES)


class Election(models.Model):
    rural_unit = models.ForeignKey(
        "territory.Territory",
        on_delete=models.PROTECT,
        related_name="elections",
        limit_choices_to={"has_elected_akim": True},
        verbose_name=_("rural unit"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ElectionKind.choices)
    voting_date = models.DateField(_("voting day"))
    called_on = models.DateField(_("called on"))
    status = models.CharField(
        _("status"), max_length=16, choices=ElectionStatus.choices, default=ElectionStatus.CALLED
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    recall_of = models.ForeignKey(
        "Mandate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recall_votes",
        verbose_name=_("mandate put to a recall vote"),
    )
    repeat_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
        verbose_name=_("repeat of"),
    )

    objects = ElectionQuerySet.as_manager()

    class Meta:
        ordering = ["-voting_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rural_unit"],
                condition=Q(status__in=OPEN_STATUSES),
                name="elections_one_open_election_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(kind="recall", recall_of__isnull=False)
                | (~Q(kind="recall") & Q(recall_of__isnull=True)),
                name="elections_recall_vote_names_its_mandate",
            ),
        ]
        indexes = [models.Index(fields=["rural_unit", "voting_date"], name="elections_unit_date_idx")]
        verbose_name = _("election")
        verbose_name_plural = _("elections")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.voting_date:%Y-%m-%d} ({self.rural_unit_id})"

    @property
    def nomination_closes(self) -> date:
        return rules.nomination_closes(self.voting_date)

    @property
    def registration_closes(self) -> date:
        return rules.registration_closes(self.voting_date)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Nomination(models.TextChoices):
    PARTY = "party", _("nominated by a party")
    SELF = "self", _("self-nominated")
    SUPERIOR_AKIM = "superior_akim", _("nominated by the superior akim")


class CandidacyStatus(models.TextChoices):
    NOMINATED = "nominated", _("nominated")
    REGISTERED = "registered", _("registered")
    REFUSED = "refused", _("refused registration")
    WITHDRAWN = "withdrawn", _("withdrawn")


ACTIVE_CANDIDACY = (CandidacyStatus.NOMINATED, CandidacyStatus.REGISTERED)


class Candidacy(models.Model):
    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("election")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("candidate")
    )
    nomination = models.CharField(_("nominated by"), max_length=16, choices=Nomination.choices)
    party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidacies",
        verbose_name=_("nominating party"),
    )
    signatures = models.PositiveIntegerField(_("voters' signatures"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CandidacyStatus.choices, default=CandidacyStatus.NOMINATED
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    nominated_on = models.DateField(_("nominated on"))
    decided_on = models.DateField(_("registered or refused on"), null=True, blank=True)

    class Meta:
        ordering = ["election", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["election", "person"], name="elections_one_candidacy_per_person"),
            models.UniqueConstraint(
                fields=["election", "party"],
                condition=Q(party__isnull=False, status__in=ACTIVE_CANDIDACY),
                name="elections_one_candidate_per_party",
            ),
            models.CheckConstraint(
                condition=Q(nomination="party", party__isnull=False)
                | (~Q(nomination="party") & Q(party__isnull=True)),
                name="elections_party_nomination_names_the_party",
            ),
        ]
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_nomination_display()}"


class ElectionResult(models.Model):
    """The certified count of one election (or recall vote)."""

    election = models.OneToOneField(
        Election, on_delete=models.PROTECT, related_name="result", verbose_name=_("election")
    )
    voters_registered = models.PositiveIntegerField(_("voters on the lists"))
    ballots_cast = models.PositiveIntegerField(_("ballots cast"))
    invalid_ballots = models.PositiveIntegerField(_("invalid ballots"), default=0)
    certified_on = models.DateField(_("registered on"))
    winner = models.OneToOneField(
        Candidacy,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="won",
        verbose_name=_("winner"),
    )
    tie = models.BooleanField(_("tie for first place"), default=False)
    # Recall votes only: ballots for ending the mandate.
    recall_votes_for = models.PositiveIntegerField(_("votes for the recall"), null=True, blank=True)

    class Meta:
        verbose_name = _("election result")
        verbose_name_plural = _("election results")

    def __str__(self) -> str:
        return f"{self.election}: {self.ballots_cast}/{self.voters_registered}"

    @property
    def turnout(self) -> float | None:
        return self.ballots_cast / self.voters_registered if self.voters_registered else None

    @property
    def valid_ballots(self) -> int:
        return self.ballots_cast - self.invalid_ballots


class CandidateResult(models.Model):
    result = models.ForeignKey(
        ElectionResult, on_delete=models.CASCADE, related_name="candidate_results", verbose_name=_("result")
    )
    candidacy = models.OneToOneField(
        Candidacy, on_delete=models.PROTECT, related_name="result", verbose_name=_("candidacy")
    )
    votes = models.PositiveIntegerField(_("votes"))

    class Meta:
        ordering = ["-votes", "candidacy_id"]
        verbose_name = _("candidate's result")
        verbose_name_plural = _("candidates' results")

    def __str__(self) -> str:
        return f"{self.candidacy_id}: {self.votes}"


class EndReason(models.TextChoices):
    TERM_EXPIRED = "term_expired", _("term expired")
    RECALLED = "recalled", _("recalled by citizens")
    PARTY_WITHDRAWN = "party_withdrawn", _("withdrawn by the party or left the party")
    NO_CONFIDENCE = "no_confidence", _("vote of no confidence")
    RESIGNATION = "resignation", _("resignation")
    DEATH_OR_INCAPACITY = "death_or_incapacity", _("death or incapacity")
    OTHER = "other", _("other")


class MandateQuerySet(models.QuerySet):
    def current(self) -> "MandateQuerySet":
        return self.filter(ended_on__isnull=True)

    def within(self, prefix: str) -> "MandateQuerySet":
        """Mandates in units whose KATO code starts with `prefix` ("" is the whole country)."""
        return self.filter(kato_within("rural_unit__kato", prefix)) if prefix else self


class Mandate(models.Model):
    """The akim of a unit: from the registration of the result, for four years, until it ends."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("akim")
    )
    rural_unit = models.ForeignKey(
        "territory.Territory", on_delete=models.PROTECT, related_name="mandates", verbose_name=_("rural unit")
    )
    election = models.OneToOneField(
        Election, on_delete=models.PROTECT, related_name="mandate", verbose_name=_("election")
    )
    party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mandates",
        verbose_name=_("nominating party"),
    )
    nomination = models.CharField(_("nominated by"), max_length=16, choices=Nomination.choices)
    starts_on = models.DateField(_("in office from"))
    ends_on = models.DateField(_("term ends"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason the mandate ended"), max_length=32, choices=EndReason.choices, blank=True
    )
    end_note = models.TextField(_("note on the end"), blank=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rural_unit"],
                condition=Q(ended_on__isnull=True),
                name="elections_one_current_mandate_per_unit",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="elections_one_current_mandate_per_person",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | Q(ended_on__isnull=False) & ~Q(end_reason=""),
                name="elections_an_ended_mandate_has_a_reason",
            ),
        ]
        indexes = [models.Index(fields=["rural_unit", "starts_on"], name="elections_mandate_unit_idx")]
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")

    def __str__(self) -> str:
        return f"{self.person} · {self.rural_unit_id} · {self.starts_on:%Y-%m-%d}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None
