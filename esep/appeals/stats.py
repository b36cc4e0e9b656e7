"""Summary counters of requests, kept current inside the services' transactions and rebuilt in bulk.

Every request counts in four scopes (its unit, district, region and the country, scope ""), in the
month it was registered (Asia/Almaty) and its category, so a figure at any level reads a handful of rows.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from esep.appeals.bulk import insert_rows
from esep.appeals.models import DAYS_BUCKET_MAX, Appeal, AppealAnswerDays, AppealStat, Status
from esep.core.kato import district_code, region_code
from esep.core.workdays import working_days_between

COUNTERS = (
    "registered",
    "forwarded",
    "answered",
    "answered_on_time",
    "missed",
    "extended",
    "confirmed",
    "disputed",
    "answer_days_total",
)


def scopes_of(kato: str) -> list[str]:
    return [kato, district_code(kato), region_code(kato), ""]


def month_of(appeal: Appeal) -> date:
    return timezone.localdate(appeal.registered_at).replace(day=1)


def answer_working_days(appeal: Appeal) -> int:
    """Working days from the registration date to the answer date (Asia/Almaty)."""
    return working_days_between(
        timezone.localdate(appeal.registered_at), timezone.localdate(appeal.answered_at)
    )


def _bump(model: type, keys_list: list[dict], increments: dict[str, int]) -> None:
    updates = {name: F(name) + value for name, value in increments.items()}
    for keys in keys_list:
        if model.objects.filter(**keys).update(**updates):
            continue
        try:
            with transaction.atomic():
                model.objects.create(**keys, **increments)
        except IntegrityError:
            # Another transaction created the row between our UPDATE and INSERT.
            model.objects.filter(**keys).update(**updates)


def stat_bump(appeal: Appeal, **increments: int) -> None:
    """Add to the counters of the appeal's four scopes. Call inside the service's transaction."""
    unknown = set(increments) - set(COUNTERS)
    if unknown:
        raise ValueError(f"unknown counters {sorted(unknown)}")
    month = month_of(appeal)
    keys = [
        {"scope": scope, "month": month, "category_id": appeal.category_id}
        for scope in scopes_of(appeal.kato)
    ]
    _bump(AppealStat, keys, increments)


def answer_days_bump(appeal: Appeal, days: int) -> None:
    """Count the answer in the histogram bucket of `days` (the last bucket holds 60 and more)."""
    month = month_of(appeal)
    bucket = min(days, DAYS_BUCKET_MAX)
    keys = [{"scope": scope, "month": month, "days": bucket} for scope in scopes_of(appeal.kato)]
    _bump(AppealAnswerDays, keys, {"count": 1})


def _roll_up(unit_rows: Iterable[tuple[tuple, dict[str, int]]]) -> dict[tuple, dict[str, int]]:
    totals: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (kato, *rest), counters in unit_rows:
        for scope in scopes_of(kato):
            bucket = totals[(scope, *rest)]
            for name, value in counters.items():
                bucket[name] += value
    return totals


@transaction.atomic
def stats_rebuild() -> tuple[int, int]:
    """Recount every summary row from the requests themselves (after a bulk load, or to repair)."""
    appeals = Appeal.private_objects.annotate(month=TruncMonth("registered_at"))
    rows = appeals.values("kato", "month", "category_id").annotate(
        registered=Count("pk"),
        forwarded=Count("pk", filter=Q(status=Status.FORWARDED)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        answered_on_time=Count("pk", filter=Q(answered_at__isnull=False, missed=False)),
        missed=Count("pk", filter=Q(missed=True)),
        extended=Count("pk", filter=Q(extended_deadline__isnull=False)),
        confirmed=Count("pk", filter=Q(verdict="confirmed")),
        disputed=Count("pk", filter=Q(verdict="disputed")),
    )
    stat_totals = _roll_up(
        (
            (row["kato"], _as_date(row["month"]), row["category_id"]),
            {name: row[name] for name in COUNTERS[:-1]},
        )
        for row in rows
    )
    # Days to answer need the calendar, so they are counted in Python from two columns per answered request.
    histogram_units: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    days_units: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    answered = (
        Appeal.private_objects.filter(answered_at__isnull=False)
        .values_list("kato", "category_id", "registered_at", "answered_at")
        .iterator(chunk_size=20000)
    )
    zone = timezone.get_current_timezone()
    for kato, category_id, registered_at, answered_at in answered:
        registered_on = registered_at.astimezone(zone).date()
        days = working_days_between(registered_on, answered_at.astimezone(zone).date())
        month = registered_on.replace(day=1)
        days_units[(kato, month, category_id)]["answer_days_total"] += days
        histogram_units[(kato, month, min(days, DAYS_BUCKET_MAX))]["count"] += 1
    for key, counters in _roll_up(days_units.items()).items():
        stat_totals[key]["answer_days_total"] += counters["answer_days_total"]
    histogram = _roll_up(histogram_units.items())

    AppealStat.objects.all().delete()
    AppealAnswerDays.objects.all().delete()
    insert_rows(
        AppealStat,
        ["scope", "month", "category_id", *COUNTERS],
        (
            (scope, month, category_id, *(counters.get(name, 0) for name in COUNTERS))
            for (scope, month, category_id), counters in stat_totals.items()
        ),
    )
    insert_rows(
        AppealAnswerDays,
        ["scope", "month", "days", "count"],
        ((scope, month, days, counters["count"]) for (scope, month, days), counters in histogram.items()),
    )
    return len(stat_totals), len(histogram)


def _as_date(value: object) -> date:
    # TruncMonth gives an aware datetime (in the current time zone) on a DateTimeField.
    if hasattr(value, "date"):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def totals(rows: Iterable[AppealStat]) -> dict[str, int]:
    result = dict.fromkeys(COUNTERS, 0)
    for row in rows:
        for name in COUNTERS:
            result[name] += getattr(row, name)
    return result


def sum_counters(queryset) -> dict[str, int]:  # noqa: ANN001 (a QuerySet of AppealStat)
    aggregated = queryset.aggregate(**{name: Sum(name) for name in COUNTERS})
    return {name: aggregated[name] or 0 for name in COUNTERS}
