"""`esep appeals import`: requests in bulk, all or nothing, kept exactly as the services keep them.

These run on SQLite in the main suite (executemany); run them on PostgreSQL (COPY) with
`python -m tests.pgserver run -- pytest tests/appeals/test_appeals_import.py`.
"""

from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esep.appeals import deadlines, stats
from esep.appeals.importer import _Rows, appeals_import
from esep.appeals.models import (
    Appeal,
    AppealAnswerDays,
    AppealEvent,
    AppealNumber,
    AppealStat,
    EventKind,
    Status,
)
from esep.core.audit.chain import audit_verify
from esep.core.audit.models import AuditEvent
from esep.core.imports import ImportFailed

from .conftest import at

HEADER = "unit,category,registered_at,text,address,latitude,longitude,answered_at,answer\n"
NOW = at(date(2026, 6, 1), 12)


def write(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "requests.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def counters() -> tuple[set, set]:
    stat_fields = ["scope", "month", "category_id", *stats.COUNTERS]
    return (
        set(AppealStat.objects.values_list(*stat_fields)),
        set(AppealAnswerDays.objects.values_list("scope", "month", "days", "count")),
    )


def test_it_imports_every_row_with_number_deadline_history_and_counters(
    db, tmp_path, unit_a, unit_a2
) -> None:
    path = write(
        tmp_path,
        f'{unit_a.kato},roads,2026-03-02 10:30,Ямы на улице Абая,"ул. Абая, 3",49.1,80.25,,',
        f"{unit_a2.kato},water,2026-03-03T11:00:00+05:00,Нет воды в колонке,,,,2026-03-06 09:00,Починили",
        f'{unit_a.kato},water,2026-02-02 09:00,Нет воды,,,,2026-04-20 09:00,"Поздно, но починили"',
    )
    report = appeals_import(path=path, now=NOW)

    assert (report.created, report.answered) == (3, 2)
    appeals = {a.text: a for a in Appeal.private_objects.order_by("number")}
    pothole = appeals["Ямы на улице Абая"]
    assert [a.number for a in Appeal.private_objects.order_by("pk")] == [
        "AP-2026-0000001",
        "AP-2026-0000002",
        "AP-2026-0000003",
    ]
    assert AppealNumber.objects.get(year=2026).last == 3
    assert pothole.status == Status.REGISTERED and pothole.kato == unit_a.kato
    assert pothole.deadline == deadlines.answer_deadline(pothole.registered_at)
    assert str(pothole.latitude) == "49.100000" and pothole.address == "ул. Абая, 3"
    water = appeals["Нет воды в колонке"]
    assert water.status == Status.ANSWERED and water.answer == "Починили" and not water.missed
    assert water.registered_at == datetime.fromisoformat("2026-03-03T11:00:00+05:00")
    late = appeals["Нет воды"]
    assert late.missed and late.updated_at == late.answered_at
    kinds = sorted(AppealEvent.objects.filter(appeal=water).values_list("kind", flat=True))
    assert kinds == sorted([EventKind.REGISTERED, EventKind.ANSWERED])
    # The counters the import added are exactly those a recount from the requests gives.
    imported = counters()
    assert imported[0] and imported[1]
    stats.stats_rebuild()
    assert counters() == imported


def test_it_continues_the_counters_of_requests_made_through_the_services(db, tmp_path, make_appeal, unit_a):
    make_appeal("roads", now=at(date(2026, 3, 2)))
    path = write(tmp_path, f"{unit_a.kato},roads,2026-03-05 10:00,Ещё ямы,,,,,")
    appeals_import(path=path, now=NOW)

    assert set(Appeal.private_objects.values_list("number", flat=True)) == {
        "AP-2026-0000001",
        "AP-2026-0000002",
    }
    country = AppealStat.objects.get(scope="", month=date(2026, 3, 1), category__code="roads")
    assert country.registered == 2
    imported = counters()
    stats.stats_rebuild()
    assert counters() == imported


def test_it_writes_nothing_and_names_every_error_by_line_and_field(db, tmp_path, unit_a) -> None:
    path = write(
        tmp_path,
        f"{unit_a.kato},roads,2026-03-02 10:30,Хорошая строка,,,,,",
        "999999999,roads,2026-03-02 10:30,Нет такого округа,,,,,",
        f"{unit_a.kato},no-such,2026-03-02 10:30,Нет такой категории,,,,,",
        f"{unit_a.kato},roads,2 марта,Плохая дата,,,,,",
        f"{unit_a.kato},roads,2027-01-01 10:00,Из будущего,,,,,",
        f"{unit_a.kato},roads,2026-03-02 10:30,,,,,,",
        f"{unit_a.kato},roads,2026-03-02 10:30,Одна координата,,49.1,,,",
        f"{unit_a.kato},roads,2026-03-02 10:30,Не в Казахстане,,10,80,,",
        f"{unit_a.kato},roads,2026-03-02 10:30,Ответ без текста,,,,2026-03-03 10:00,",
        f"{unit_a.kato},roads,2026-03-02 10:30,Ответ раньше,,,,2026-03-01 10:00,Готово",
    )
    with pytest.raises(ImportFailed) as failed:
        appeals_import(path=path, now=NOW)

    found = {(error.line, error.field) for error in failed.value.errors}
    assert found == {
        (3, "unit"),
        (4, "category"),
        (5, "registered_at"),
        (6, "registered_at"),
        (7, "text"),
        (8, "longitude"),
        (9, "latitude"),
        (10, "answer"),
        (11, "answered_at"),
    }
    assert "line 3, field unit" in str(failed.value)
    assert not Appeal.private_objects.exists()
    assert not AppealEvent.objects.exists() and not AppealStat.objects.exists()
    assert not AppealNumber.objects.filter(last__gt=0).exists()


def test_it_refuses_a_file_without_the_required_columns(db, tmp_path, unit_a) -> None:
    path = write(tmp_path, f"{unit_a.kato},roads,Текст", header="unit,category,text\n")
    with pytest.raises(ImportFailed) as failed:
        appeals_import(path=path, now=NOW)
    assert [(e.line, e.field) for e in failed.value.errors] == [(1, "registered_at")]


def test_it_refuses_a_file_already_imported_and_records_one_audit_event(db, tmp_path, unit_a) -> None:
    path = write(
        tmp_path,
        f"{unit_a.kato},roads,2026-03-02 10:30,Ямы,,,,,",
        f"{unit_a.kato},waste,2026-03-02 11:30,Мусор,,,,,",
    )
    events_before = AuditEvent.objects.count()
    appeals_import(path=path, now=NOW)

    event = AuditEvent.objects.get(action="appeals.import")
    assert AuditEvent.objects.count() == events_before + 1
    assert event.data["count"] == 2 and event.data["first"] == "AP-2026-0000001"
    assert audit_verify().intact
    with pytest.raises(ImportFailed, match="already imported"):
        appeals_import(path=path, now=NOW)
    assert Appeal.private_objects.count() == 2


def test_the_command_imports_and_reports_failures(db, tmp_path, unit_a, capsys) -> None:
    good = write(tmp_path, f"{unit_a.kato},roads,2026-03-02 10:30,Ямы,,,,,", name="good.csv")
    call_command("appeals", "import", str(good))
    assert "1 requests imported" in capsys.readouterr().out
    bad = write(tmp_path, "123,roads,2026-03-02 10:30,Ямы,,,,,", name="bad.csv")
    with pytest.raises(CommandError, match="line 2, field unit"):
        call_command("appeals", "import", str(bad))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    moment=st.text(max_size=30),
    latitude=st.text(max_size=12),
    longitude=st.text(max_size=12),
    publish=st.text(max_size=6),
    email=st.text(max_size=20),
)
def test_any_cell_is_accepted_or_named_never_a_crash(db, moment, latitude, longitude, publish, email) -> None:
    rows = _Rows(now=timezone.now())
    raw = {
        "unit": "103230000",
        "category": "roads",
        "registered_at": moment,
        "text": "Текст",
        "latitude": latitude,
        "longitude": longitude,
        "publish_text": publish,
        "contact_email": email,
    }
    checked = rows.check(2, raw)
    assert (checked is None) == bool(rows.errors)
    assert all(error.line == 2 and error.field in raw for error in rows.errors)
    if checked is not None:
        assert checked.registered_at <= timezone.now() and checked.registered_at.tzinfo is not None
        assert checked.latitude is None or 40 <= checked.latitude <= 56
