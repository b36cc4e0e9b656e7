"""`esep appeals import FILE.csv`: residents' requests from another system, in bulk, all or nothing.

Every row is checked (the unit, the category, the moment, the text, the place, the contact, the answer) and
every error is named by line and field; nothing is written unless the whole file is valid. Each request gets
its registration number from the same yearly counter as the services (the counter rows of the file's years
stay locked until the import commits), its deadline from the same calendar (cached per date), its history
row, and its share of the summary counters. Rows go in with COPY on PostgreSQL and with executemany on
SQLite, inside one transaction with one audit event. A file already imported (same SHA-256) is refused.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from esep.appeals import deadlines
from esep.appeals.models import (
    ANSWER_MAX_LENGTH,
    DAYS_BUCKET_MAX,
    TEXT_MAX_LENGTH,
    Appeal,
    AppealAnswerDays,
    AppealEvent,
    AppealNumber,
    AppealStat,
    Category,
    EventKind,
    Source,
    Status,
)
from esep.appeals.services import format_number
from esep.appeals.stats import COUNTERS, scopes_of
from esep.core.audit.chain import audit_record
from esep.core.audit.models import AuditEvent
from esep.core.imports import ImportFailed, RowError, read_csv_rows
from esep.core.workdays import add_working_days, working_days_between
from esep.territory.models import Territory

REQUIRED = ["unit", "category", "registered_at", "text"]
OPTIONAL = [
    "address",
    "latitude",
    "longitude",
    "publish_text",
    "contact_name",
    "contact_phone",
    "contact_email",
    "answered_at",
    "answer",
]
ACTION = "appeals.import"
ACTOR_LABEL = "import"
CHUNK = 20_000
# Past this many errors the file is clearly not what was meant: stop reading and report these.
MAX_ERRORS = 1000
EARLIEST_YEAR = 2000
LARGE_CACHE_KIB = -524288
TRUE = {"", "1", "true", "yes", "y", "да", "иә"}
FALSE = {"0", "false", "no", "n", "нет", "жоқ"}
SIX_PLACES = Decimal("0.000001")

APPEAL_COLUMNS = ["id", *(f.attname for f in Appeal._meta.concrete_fields if not f.primary_key)]
EVENT_COLUMNS = ["appeal_id", "at", "actor_id", "actor_label", "kind", "note"]
# What a column holds when the request's fate does not set it: NULL where allowed, else "" or False.
BLANK = {
    field.attname: None if field.null else (False if field.get_internal_type() == "BooleanField" else "")
    for field in Appeal._meta.concrete_fields
    if not field.primary_key
}
TEMPLATE = [BLANK.get(column) for column in APPEAL_COLUMNS]
TEMPLATE[APPEAL_COLUMNS.index("source")] = Source.API
TEMPLATE[APPEAL_COLUMNS.index("status")] = Status.REGISTERED
# Where each checked field goes in an Appeal row.
FIELD_COLUMNS = [
    (index, APPEAL_COLUMNS.index(name))
    for index, name in enumerate(
        [
            "unit_id",
            "kato",
            "category_id",
            "text",
            "publish_text",
            "address",
            "latitude",
            "longitude",
            "contact_name",
            "contact_phone",
            "contact_email",
            "registered_at",
            "deadline",
            "answered_at",
            "answer",
            "missed",
        ]
    )
]
I_ID, I_NUMBER, I_UPDATED, I_STATUS = (
    APPEAL_COLUMNS.index(n) for n in ("id", "number", "updated_at", "status")
)
DATE_COLUMNS = [
    APPEAL_COLUMNS.index(f.attname)
    for f in Appeal._meta.concrete_fields
    if f.get_internal_type() in ("DateField", "DateTimeField", "DecimalField")
]
# Counters an import can move (a new request is registered, perhaps answered; nothing else yet).
REGISTERED, ANSWERED, ON_TIME, MISSED, DAYS_TOTAL = range(5)
IMPORT_COUNTERS = ("registered", "answered", "answered_on_time", "missed", "answer_days_total")


@dataclass(frozen=True)
class ImportReport:
    created: int
    answered: int
    first_number: str
    last_number: str
    stat_rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0


class _Calendar:
    """Deadlines and answer days per date: a file of a million rows has only a few hundred dates."""

    def __init__(self) -> None:
        self._deadline: dict[date, date] = {}
        self._days: dict[tuple[date, date], int] = {}

    def deadline(self, day: date) -> date:
        found = self._deadline.get(day)
        if found is None:
            found = self._deadline[day] = add_working_days(day, deadlines.ANSWER_WORKING_DAYS)
        return found

    def days(self, start: date, end: date) -> int:
        key = (start, end)
        found = self._days.get(key)
        if found is None:
            found = self._days[key] = working_days_between(start, end)
        return found


def _moment(value: str, zone: tzinfo) -> datetime:
    """ISO 8601 (`2026-03-02 10:30`, `2026-03-02T10:30:00+05:00`, `2026-03-02`); no offset means Almaty."""
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _coordinate(value: str, low: int, high: int) -> Decimal | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or not low <= number <= high:
        return None
    return number.quantize(SIX_PLACES)


class _Checked(NamedTuple):
    unit_id: int
    kato: str
    category_id: int
    text: str
    publish_text: bool
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    contact_name: str
    contact_phone: str
    contact_email: str
    registered_at: datetime
    deadline: date
    answered_at: datetime | None
    answer: str
    missed: bool
    year: int


class _Rows:
    """Checks the rows of one file and turns each valid one into the values of an Appeal and its events."""

    def __init__(self, *, now: datetime) -> None:
        self.now = now
        self.zone = timezone.get_current_timezone()
        self.today = timezone.localdate(now)
        self.units = dict(Territory.objects.elected_units().values_list("kato", "pk"))
        self.categories = dict(Category.objects.filter(active=True).values_list("code", "pk"))
        self.calendar = _Calendar()
        self.moments: dict[str, datetime] = {}
        self.local_dates: dict[datetime, date] = {}
        self.errors: list[RowError] = []
        # (unit KATO, month, category id) -> the five counters; (KATO, month, days bucket) -> answers.
        self.counters: dict[tuple[str, date, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        self.histogram: dict[tuple[str, date, int], int] = defaultdict(int)

    def error(self, line: int, field: str, message: str) -> None:
        self.errors.append(RowError(line, field, message))

    def check(self, line: int, raw: dict[str, str]) -> "_Checked | None":
        errors_before = len(self.errors)
        kato = (raw["unit"] or "").strip()
        unit_id = self.units.get(kato)
        if unit_id is None:
            self.error(
                line,
                "unit",
                _("no rural unit with an elected akim has the KATO code %(kato)s") % {"kato": kato},
            )
        code = (raw["category"] or "").strip()
        category_id = self.categories.get(code)
        if category_id is None:
            self.error(line, "category", _("no active category has the code %(code)s") % {"code": code})
        registered_at = self._when(line, "registered_at", raw["registered_at"], required=True)
        text = (raw["text"] or "").strip()
        if not text:
            self.error(line, "text", _("the text is empty"))
        elif len(text) > TEXT_MAX_LENGTH:
            self.error(
                line,
                "text",
                _("at most %(max)d characters; this one has %(count)d")
                % {"max": TEXT_MAX_LENGTH, "count": len(text)},
            )
        address = (raw.get("address") or "").strip()
        if len(address) > 300:
            self.error(line, "address", _("at most %(max)d characters") % {"max": 300})
        latitude, longitude = self._place(line, raw)
        publish = (raw.get("publish_text") or "").strip().lower()
        if publish not in TRUE and publish not in FALSE:
            self.error(line, "publish_text", _("write yes or no"))
        contact_name = (raw.get("contact_name") or "").strip()
        contact_phone = (raw.get("contact_phone") or "").strip()
        contact_email = (raw.get("contact_email") or "").strip()
        for field, value, limit in (
            ("contact_name", contact_name, 150),
            ("contact_phone", contact_phone, 30),
        ):
            if len(value) > limit:
                self.error(line, field, _("at most %(max)d characters") % {"max": limit})
        if contact_email:
            try:
                validate_email(contact_email)
            except ValidationError:
                self.error(line, "contact_email", _("not an e-mail address"))
        answered_text = (raw.get("answered_at") or "").strip()
        answered_at = self._when(line, "answered_at", answered_text, required=False)
        answer = (raw.get("answer") or "").strip()
        if bool(answered_text) != bool(answer):
            field = "answer" if answered_text else "answered_at"
            self.error(line, field, _("give both the answer and the moment it was given, or neither"))
        if len(answer) > ANSWER_MAX_LENGTH:
            self.error(line, "answer", _("at most %(max)d characters") % {"max": ANSWER_MAX_LENGTH})
        if answered_at is not None and registered_at is not None and answered_at < registered_at:
            self.error(line, "answered_at", _("the answer comes before the registration"))
        if len(self.errors) > errors_before:
            return None

        registered_on = self.local_dates[registered_at]
        month = registered_on.replace(day=1)
        deadline = self.calendar.deadline(registered_on)
        counters = self.counters[(kato, month, category_id)]
        counters[REGISTERED] += 1
        missed = False
        if answered_at is not None:
            answered_on = self.local_dates[answered_at]
            days = self.calendar.days(registered_on, answered_on)
            counters[ANSWERED] += 1
            counters[DAYS_TOTAL] += days
            if answered_on <= deadline:
                counters[ON_TIME] += 1
            else:
                missed = True
                counters[MISSED] += 1
            self.histogram[(kato, month, min(days, DAYS_BUCKET_MAX))] += 1
        return _Checked(
            unit_id,
            kato,
            category_id,
            text,
            publish not in FALSE,
            address,
            latitude,
            longitude,
            contact_name,
            contact_phone,
            contact_email,
            registered_at,
            deadline,
            answered_at,
            answer,
            missed,
            registered_on.year,
        )

    def _when(self, line: int, field: str, value: str, *, required: bool) -> datetime | None:
        value = (value or "").strip()
        if not value:
            if required:
                self.error(line, field, _("the date and time are missing"))
            return None
        moment = self.moments.get(value)
        if moment is not None:
            return moment
        try:
            moment = _moment(value, self.zone)
        except ValueError:
            self.error(
                line, field, _("not a date and time like 2026-03-02 10:30 (%(value)s)") % {"value": value}
            )
            return None
        if moment > self.now:
            self.error(line, field, _("the moment is in the future"))
            return None
        if moment.year < EARLIEST_YEAR:
            self.error(line, field, _("the moment is before %(year)d") % {"year": EARLIEST_YEAR})
            return None
        # A file of a million rows has a few hundred thousand distinct minutes: parse each once.
        self.moments[value] = moment
        self.local_dates[moment] = moment.astimezone(self.zone).date()
        return moment

    def _place(self, line: int, raw: dict[str, str]) -> tuple[Decimal | None, Decimal | None]:
        lat_text = (raw.get("latitude") or "").strip()
        lon_text = (raw.get("longitude") or "").strip()
        if not lat_text and not lon_text:
            return None, None
        if not lat_text or not lon_text:
            field = "longitude" if lat_text else "latitude"
            self.error(line, field, _("give both the latitude and the longitude, or neither"))
            return None, None
        latitude, longitude = _coordinate(lat_text, 40, 56), _coordinate(lon_text, 46, 88)
        if latitude is None:
            self.error(line, "latitude", _("a number from 40 to 56 (Kazakhstan)"))
        if longitude is None:
            self.error(line, "longitude", _("a number from 46 to 88 (Kazakhstan)"))
        return latitude, longitude


class _Numbers:
    """Registration numbers from the yearly counters, whose rows stay locked until the import commits."""

    def __init__(self) -> None:
        self.next: dict[int, int] = {}
        self.first: dict[int, int] = {}

    def take(self, year: int) -> str:
        sequence = self.next.get(year)
        if sequence is None:
            counter, _created = AppealNumber.objects.select_for_update().get_or_create(
                year=year, defaults={"last": 0}
            )
            sequence = self.first[year] = counter.last + 1
        self.next[year] = sequence + 1
        return format_number(year, sequence)

    def save(self) -> None:
        for year, sequence in self.next.items():
            AppealNumber.objects.filter(year=year).update(last=sequence - 1)


class _Writer:
    """Writes rows in bulk: COPY on PostgreSQL, executemany on SQLite (one transaction either way)."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.quote = connection.ops.quote_name
        self._next_id: int | None = None

    @contextmanager
    def large_cache(self) -> Iterator[None]:
        """On SQLite, a page cache of 512 MB for the import (index pages of a million rows stay in memory)."""
        if self.postgres:
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            previous = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {LARGE_CACHE_KIB}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(previous)}")

    def ids(self, count: int) -> list[int]:
        table = Appeal._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            if self._next_id is None:
                # The write lock is held (IMMEDIATE transaction); AUTOINCREMENT never reuses an id.
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.quote(table)}")  # noqa: S608  # nosec B608
                highest = cursor.fetchone()[0]
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                self._next_id = max(highest, row[0] if row else 0) + 1
        first, self._next_id = self._next_id, self._next_id + count
        return list(range(first, first + count))

    def rows(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        names = ", ".join(self.quote(column) for column in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {self.quote(table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {self.quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608  # nosec B608

    def add_counts(self, model: type, keys: list[str], counts: list[str], rows: list[tuple]) -> None:
        """Add `rows` (keys then counts) to the summary table: INSERT ... ON CONFLICT DO UPDATE, by bulk."""
        table = self.quote(model._meta.db_table)
        columns = ", ".join(self.quote(name) for name in keys + counts)
        sums = ", ".join(
            f"{self.quote(n)} = {table}.{self.quote(n)} + excluded.{self.quote(n)}" for n in counts
        )
        conflict = ", ".join(self.quote(name) for name in keys)
        with connection.cursor() as cursor:
            if self.postgres:
                # A temporary table filled by COPY, then one upsert: thousands of rows in one statement.
                types = {"scope": "varchar(9)", "month": "date", "category_id": "bigint", "days": "smallint"}
                definition = ", ".join(f"{self.quote(n)} {types.get(n, 'bigint')}" for n in keys + counts)
                cursor.execute(f"CREATE TEMPORARY TABLE esep_import_counts ({definition}) ON COMMIT DROP")
                with cursor.copy(f"COPY esep_import_counts ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {columns} FROM esep_import_counts "  # noqa: S608  # nosec B608
                    f"ON CONFLICT ({conflict}) DO UPDATE SET {sums}"
                )
                cursor.execute("DROP TABLE esep_import_counts")
                return
            marks = ", ".join(["%s"] * (len(keys) + len(counts)))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks}) "  # noqa: S608  # nosec B608
                f"ON CONFLICT ({conflict}) DO UPDATE SET {sums}",
                [self._sqlite_row(row) for row in rows],
            )

    @staticmethod
    def _sqlite_row(row: tuple) -> tuple:
        return tuple(value.isoformat() if isinstance(value, date) else value for value in row)


class _SQLiteValues:
    """Values as Django stores them on SQLite (UTC datetimes without offset, ISO dates, text decimals), with
    each distinct value converted once."""

    def __init__(self) -> None:
        self.cache: dict[object, str] = {}

    def __call__(self, row: list | tuple, columns: Sequence[int]) -> list:
        row = list(row)
        cache = self.cache
        for column in columns:
            value = row[column]
            if value is None:
                continue
            text = cache.get(value)
            if text is None:
                if isinstance(value, datetime):
                    text = value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
                elif isinstance(value, date):
                    text = value.isoformat()
                else:
                    text = str(value)
                cache[value] = text
            row[column] = text
        return row


def _file_digest(path: Path | str) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""  # read_csv_rows names the problem
    return digest.hexdigest()


def _chunks(
    rows: Iterator[tuple[int, dict[str, str]]], size: int
) -> Iterator[list[tuple[int, dict[str, str]]]]:
    chunk: list[tuple[int, dict[str, str]]] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@transaction.atomic
def appeals_import(
    *,
    path: Path | str,
    actor: AbstractBaseUser | None = None,
    source: str | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Import every request of the CSV at `path` or none (ImportFailed lists the errors by line and field)."""
    started = timezone.now()
    now = now or started
    source = source or str(path)
    digest = _file_digest(path)
    earlier = AuditEvent.objects.filter(action=ACTION, data__sha256=digest).first() if digest else None
    if earlier is not None:
        raise ImportFailed(
            source,
            [
                RowError(
                    0,
                    "",
                    _("this file was already imported (audit event #%(sequence)d on %(day)s)")
                    % {"sequence": earlier.sequence, "day": timezone.localdate(earlier.at).isoformat()},
                )
            ],
        )
    writer = _Writer()
    with writer.large_cache():
        return _write(
            path=path, source=source, digest=digest, actor=actor, writer=writer, now=now, started=started
        )


def _write(
    *,
    path: Path | str,
    source: str,
    digest: str,
    actor: AbstractBaseUser | None,
    writer: "_Writer",
    now: datetime,
    started: datetime,
) -> ImportReport:
    checker = _Rows(now=now)
    numbers = _Numbers()
    sqlite_values = _SQLiteValues() if not writer.postgres else None
    created = answered = 0
    first_number = last_number = ""
    rows = read_csv_rows(path, required=REQUIRED, source=source)
    for chunk in _chunks(rows, CHUNK):
        valid = [values for values in (checker.check(line, raw) for line, raw in chunk) if values is not None]
        if len(checker.errors) >= MAX_ERRORS:
            break
        if checker.errors or not valid:
            continue  # keep checking the rest, write nothing more: the transaction will roll back
        ids = writer.ids(len(valid))
        appeal_rows, event_rows = [], []
        for appeal_id, checked in zip(ids, valid, strict=True):
            number = numbers.take(checked.year)
            row = TEMPLATE.copy()
            for index, column in FIELD_COLUMNS:
                row[column] = checked[index]
            row[I_ID] = appeal_id
            row[I_NUMBER] = number
            event_rows.append(
                (appeal_id, checked.registered_at, None, ACTOR_LABEL, EventKind.REGISTERED, number)
            )
            if checked.answered_at is not None:
                answered += 1
                row[I_STATUS] = Status.ANSWERED
                row[I_UPDATED] = checked.answered_at
                event_rows.append((appeal_id, checked.answered_at, None, ACTOR_LABEL, EventKind.ANSWERED, ""))
            else:
                row[I_UPDATED] = checked.registered_at
            appeal_rows.append(row)
            first_number = first_number or number
            last_number = number
        if sqlite_values is not None:
            appeal_rows = [sqlite_values(row, DATE_COLUMNS) for row in appeal_rows]
            event_rows = [sqlite_values(row, (1,)) for row in event_rows]
        writer.rows(Appeal._meta.db_table, APPEAL_COLUMNS, appeal_rows)
        writer.rows(AppealEvent._meta.db_table, EVENT_COLUMNS, event_rows)
        created += len(valid)
    if checker.errors:
        raise ImportFailed(source, checker.errors[:MAX_ERRORS])
    if not created:
        raise ImportFailed(source, [RowError(1, "", _("the file has no requests"))])
    numbers.save()
    stat_rows = _add_counters(writer, checker)
    audit_record(
        actor=actor,
        actor_label="" if actor is not None else ACTOR_LABEL,
        action=ACTION,
        data={
            "file": Path(source).name,
            "sha256": digest,
            "count": created,
            "answered": answered,
            "first": first_number,
            "last": last_number,
        },
    )
    seconds = (timezone.now() - started).total_seconds()
    return ImportReport(created, answered, first_number, last_number, stat_rows, seconds)


def _add_counters(writer: _Writer, checker: _Rows) -> int:
    """The file's counts rolled up to unit, district, region and country, added to the summary tables."""
    scopes: dict[str, list[str]] = {}
    totals: dict[tuple[str, date, int], list[int]] = {}
    for (kato, month, category_id), counts in checker.counters.items():
        if kato not in scopes:
            scopes[kato] = scopes_of(kato)
        for scope in scopes[kato]:
            key = (scope, month, category_id)
            bucket = totals.get(key)
            totals[key] = (
                counts.copy() if bucket is None else [a + b for a, b in zip(bucket, counts, strict=True)]
            )
    histogram: dict[tuple[str, date, int], int] = defaultdict(int)
    for (kato, month, days), count in checker.histogram.items():
        for scope in scopes[kato]:
            histogram[(scope, month, days)] += count
    untouched = [name for name in COUNTERS if name not in IMPORT_COUNTERS]
    writer.add_counts(
        AppealStat,
        ["scope", "month", "category_id"],
        [*IMPORT_COUNTERS, *untouched],
        [(*key, *counts, *([0] * len(untouched))) for key, counts in totals.items()],
    )
    if histogram:
        writer.add_counts(
            AppealAnswerDays,
            ["scope", "month", "days"],
            ["count"],
            [(*key, count) for key, count in histogram.items()],
        )
    return len(totals)
