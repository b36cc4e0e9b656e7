"""Reads of requests. Each runs a fixed number of queries; figures read only the summary counters."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from esep.appeals.deadlines import add_months
from esep.appeals.models import (
    OPEN_STATUSES,
    Appeal,
    AppealAnswerDays,
    AppealStat,
    Category,
    Notification,
    Status,
)
from esep.appeals.stats import COUNTERS
from esep.core.access import may, scope_q
from esep.core.models import Role, RoleAssignment

INBOX = "appeals.inbox"
HANDLE = "appeals.handle"


def with_due(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(due=Coalesce("extended_deadline", "deadline"))


def appeal_get(number: str) -> Appeal:
    appeal = (
        Appeal.private_objects.select_related(
            "unit__parent__parent", "category", "resident", "assigned_to", "answered_by", "api_key"
        )
        .filter(number=number)
        .first()
    )
    if appeal is None:
        raise Http404(number)
    return appeal


def may_see(user: AbstractBaseUser, appeal: Appeal) -> bool:
    """The resident who sent it, and the officials and supervisors of its territory."""
    if not user.is_authenticated:
        return False
    return appeal.resident_id == user.pk or may(user, INBOX, appeal.kato)


def appeal_for_user(user: AbstractBaseUser, number: str) -> Appeal:
    """The request if `user` may see it; otherwise 404, so that numbers do not reveal who wrote what."""
    appeal = appeal_get(number)
    if not may_see(user, appeal):
        raise Http404(number)
    return appeal


def appeal_history(appeal: Appeal) -> list:
    return list(appeal.events.order_by("at", "pk"))


def appeal_photos(appeal: Appeal) -> list:
    return list(appeal.photos.order_by("pk"))


def my_appeals(user: AbstractBaseUser) -> QuerySet[Appeal]:
    return with_due(
        Appeal.private_objects.filter(resident=user)
        .select_related("category", "unit")
        .order_by("-registered_at", "-pk")
    )


@dataclass(frozen=True)
class InboxFilters:
    status: str = "open"  # "open", "all" or a Status value
    category: str = ""
    overdue: bool = False
    assigned: str = ""  # "", "me", "none"
    escalated: bool = False
    sort: str = "deadline"  # "deadline" or "newest"


def inbox(user: AbstractBaseUser, filters: InboxFilters, *, today: date | None = None) -> QuerySet[Appeal]:
    """Requests of the user's territory (their unit's akimat, or a supervisor's district or region)."""
    today = today or timezone.localdate()
    appeals = with_due(Appeal.private_objects.select_related("category", "unit", "assigned_to"))
    scope = scope_q(user, INBOX, field="kato")
    if scope is not None:
        appeals = appeals.filter(scope)
    if filters.status == "open":
        appeals = appeals.filter(status__in=OPEN_STATUSES)
    elif filters.status in Status.values:
        appeals = appeals.filter(status=filters.status)
    if filters.category:
        appeals = appeals.filter(category__code=filters.category)
    if filters.overdue:
        appeals = appeals.filter(status__in=OPEN_STATUSES, due__lt=today)
    if filters.escalated:
        appeals = appeals.filter(escalated_at__isnull=False)
    if filters.assigned == "me":
        appeals = appeals.filter(assigned_to=user)
    elif filters.assigned == "none":
        appeals = appeals.filter(assigned_to__isnull=True)
    if filters.sort == "newest":
        return appeals.order_by("-registered_at", "-pk")
    return appeals.order_by("due", "registered_at", "pk")


def assignees(user: AbstractBaseUser) -> QuerySet:
    """Officials who may be given requests of the units where `user` handles requests."""
    scope = scope_q(user, HANDLE, field="territory__kato")
    assignments = RoleAssignment.objects.filter(role__in=[Role.AKIM, Role.AKIMAT_STAFF])
    if scope is not None:
        assignments = assignments.filter(scope)
    return (
        get_user_model()
        .objects.filter(pk__in=assignments.values("user_id"))
        .order_by("last_name", "first_name", "username")
    )


def notifications(user: AbstractBaseUser) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("appeal").order_by("-created_at", "-pk")


def unread_count(user: AbstractBaseUser) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# --- figures from the summary counters -----------------------------------------------------------


@dataclass(frozen=True)
class CategoryFigure:
    category: Category
    registered: int
    forwarded: int
    answered: int
    answered_on_time: int
    missed: int

    @property
    def forwarded_share(self) -> float | None:
        return self.forwarded / self.registered if self.registered else None

    @property
    def forwarded_percent(self) -> int:
        return round(100 * (self.forwarded_share or 0))


@dataclass(frozen=True)
class Figures:
    scope: str
    since: date
    totals: dict[str, int]
    median_days: int | None
    by_category: list[CategoryFigure] = field(default_factory=list)

    @property
    def on_time_share(self) -> float | None:
        decided = self.totals["answered_on_time"] + self.totals["missed"]
        return self.totals["answered_on_time"] / decided if decided else None

    @property
    def on_time_percent(self) -> int | None:
        share = self.on_time_share
        return None if share is None else round(100 * share)

    @property
    def forwarded_percent(self) -> int | None:
        registered = self.totals["registered"]
        return round(100 * self.totals["forwarded"] / registered) if registered else None

    @property
    def top_categories(self) -> list[CategoryFigure]:
        return sorted(self.by_category, key=lambda f: (-f.registered, f.category.position))[:5]

    @property
    def forwarded_by_category(self) -> list[CategoryFigure]:
        rows = [f for f in self.by_category if f.registered]
        return sorted(rows, key=lambda f: (-(f.forwarded_share or 0), -f.registered))

    @property
    def max_registered(self) -> int:
        return max((f.registered for f in self.by_category), default=0)


def figures_since(today: date | None = None, months: int = 12) -> date:
    today = today or timezone.localdate()
    return add_months(today.replace(day=1), -(months - 1))


def median_from_histogram(counts: dict[int, int]) -> int | None:
    """The median of values given as value -> count (the lower median for an even total)."""
    total = sum(counts.values())
    if not total:
        return None
    middle = (total + 1) // 2
    running = 0
    for days in sorted(counts):
        running += counts[days]
        if running >= middle:
            return days
    return None


def figures(scope: str, *, today: date | None = None, months: int = 12) -> Figures:
    """Figures of a unit, district or region (KATO code) or the country (""), over the last `months`.

    Three queries whatever the number of requests: the counters by category, the categories, the histogram.
    """
    since = figures_since(today, months)
    rows = (
        AppealStat.objects.filter(scope=scope, month__gte=since)
        .values("category_id")
        .annotate(**{name: Sum(name) for name in COUNTERS})
    )
    by_id = {row["category_id"]: row for row in rows}
    categories = list(Category.objects.filter(Q(active=True) | Q(pk__in=list(by_id))).order_by("position"))
    totals = dict.fromkeys(COUNTERS, 0)
    by_category = []
    for category in categories:
        row = by_id.get(category.pk) or dict.fromkeys(COUNTERS, 0)
        for name in COUNTERS:
            totals[name] += row[name] or 0
        by_category.append(
            CategoryFigure(
                category=category,
                registered=row["registered"] or 0,
                forwarded=row["forwarded"] or 0,
                answered=row["answered"] or 0,
                answered_on_time=row["answered_on_time"] or 0,
                missed=row["missed"] or 0,
            )
        )
    histogram_rows = (
        AppealAnswerDays.objects.filter(scope=scope, month__gte=since)
        .values("days")
        .annotate(total=Sum("count"))
    )
    median = median_from_histogram({row["days"]: row["total"] for row in histogram_rows})
    return Figures(scope=scope, since=since, totals=totals, median_days=median, by_category=by_category)
