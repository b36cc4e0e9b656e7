import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from esep.core.audit.models import AuditEvent
from esep.core.imports import ImportFailed
from esep.territory.kato import parse_kato_csv, sub_district_kind
from esep.territory.models import District, Kind, Level, Region, RuralUnit, Settlement, Territory
from esep.territory.services import territory_import
from tests.conftest import KATO_CSV

HEADER = "kato,kato_version,level,type_code,name_ru,name_kk\n"


def write(tmp_path: Path, body: str, name: str = "kato.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_the_real_classifier_gives_the_published_counts() -> None:
    assert Region.objects.count() == 20
    assert District.objects.count() == 209
    assert RuralUnit.objects.count() == 2321
    assert Settlement.objects.count() == 12986
    assert Territory.objects.filter(level=Level.UNIT).count() == 2379


@pytest.mark.django_db
def test_sub_district_kinds_match_the_classifier_notes() -> None:
    counts = {kind: Territory.objects.filter(kind=kind).count() for kind in Kind.values}
    assert counts[Kind.RURAL_OKRUG] == 2108
    assert counts[Kind.VILLAGE_ADMINISTRATION] == 110
    assert counts[Kind.SETTLEMENT_ADMINISTRATION] == 71
    assert counts[Kind.CITY_ADMINISTRATION] == 32
    assert counts[Kind.CITY] == 39
    assert counts[Kind.CITY_DISTRICT] == 19
    assert counts[Kind.CITY_OF_REPUBLICAN_SIGNIFICANCE] == 3


@pytest.mark.django_db
def test_parents_come_from_the_code_digits() -> None:
    unit = Territory.objects.select_related("parent__parent").get(kato="103230000")
    assert unit.parent.kato == "103200000"
    assert unit.parent.parent.kato == "100000000"
    settlement = Territory.objects.get(kato="103230100")
    assert settlement.parent_id == unit.pk
    under_district = Territory.objects.filter(level=Level.SETTLEMENT).exclude(parent__level=Level.UNIT)
    assert not under_district.exclude(parent__level=Level.DISTRICT).exists()
    # The classifier notes: 20 settlements have no sub-district code at all (ABCDEF000 is absent);
    # the others under a district carry EF = 00, the district's own code.
    codes = set(Territory.objects.values_list("kato", flat=True))
    without_unit_code = [t.kato for t in under_district if t.kato[:6] + "000" not in codes]
    assert len(without_unit_code) == 20
    assert all(t.kato[4:6] == "00" for t in under_district if t.kato not in without_unit_code)
    assert not Territory.objects.exclude(level=Level.REGION).filter(parent__isnull=True).exists()


@pytest.mark.django_db
def test_a_second_import_changes_nothing_and_says_so(capsys: pytest.CaptureFixture) -> None:
    events = AuditEvent.objects.count()
    result = territory_import(path=KATO_CSV)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 15594)
    assert AuditEvent.objects.count() == events
    call_command("territory", "import", str(KATO_CSV), "--quiet-progress")
    assert "nothing changed" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_import_command_shows_its_progress_on_stderr(capsys: pytest.CaptureFixture) -> None:
    call_command("territory", "import", str(KATO_CSV))
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.startswith("KATO [")]
    assert len(lines) >= 10  # a line every tenth when stderr is not a terminal
    assert lines[-1] == "KATO [" + "#" * 30 + "] 15594/15594"
    assert "15594/15594" not in captured.out  # stdout stays the summary, for scripts


@pytest.mark.django_db
def test_a_renamed_unit_is_updated_and_audited(tmp_path: Path) -> None:
    text = KATO_CSV.read_text(encoding="utf-8").replace(
        "103230000,NK RK 11-2025,sub_district,2,Карааульский с.о.,Қараауыл а.о.",
        "103230000,NK RK 11-2025,sub_district,2,Карааульский с.о.,Жаңа Қараауыл а.о.",
    )
    path = tmp_path / "kato.csv"
    path.write_text(text, encoding="utf-8")
    result = territory_import(path=path)
    assert (result.created, result.updated) == (0, 1)
    unit = Territory.objects.get(kato="103230000")
    assert unit.name_kk == "Жаңа Қараауыл а.о."
    assert "жаңа қараауыл" in unit.search_text
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.action == "territory.import" and event.data["updated"] == 1


@pytest.mark.django_db
def test_a_malformed_file_names_line_and_field_and_writes_nothing(tmp_path: Path) -> None:
    body = (
        "100000000,NK RK 11-2025,oblast,0,область Абай,Абай облысы\n"
        "10320000,NK RK 11-2025,district,2,Абайский район,Абай ауданы\n"
        "103230000,NK RK 11-2025,okrug,2,Карааульский с.о.,Қараауыл а.о.\n"
        "103233000,NK RK 11-2025,sub_district,9,,Кеңгірбай би а.о.\n"
        "103230000,NK RK 11-2025,sub_district,2,Дубль,Дубль а.о.\n"
    )
    before = (Territory.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ImportFailed) as caught:
        territory_import(path=write(tmp_path, body))
    found = {(e.line, e.field) for e in caught.value.errors}
    assert {(3, "kato"), (4, "level"), (5, "type_code"), (5, "name_ru")} <= found
    assert "line 3, field kato" in str(caught.value)
    assert (Territory.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_a_duplicate_code_is_reported_with_its_first_line(tmp_path: Path) -> None:
    body = (
        "100000000,NK RK 11-2025,oblast,0,область Абай,Абай облысы\n"
        "100000000,NK RK 11-2025,oblast,0,область Абай,Абай облысы\n"
    )
    with pytest.raises(ImportFailed) as caught:
        parse_kato_csv(write(tmp_path, body))
    assert caught.value.errors[0].line == 3
    assert "repeats line 2" in caught.value.errors[0].message


@pytest.mark.django_db
def test_a_unit_without_a_region_is_refused(tmp_path: Path) -> None:
    body = "103230000,NK RK 11-2025,sub_district,2,Карааульский с.о.,Қараауыл а.о.\n"
    with pytest.raises(ImportFailed) as caught:
        parse_kato_csv(write(tmp_path, body))
    assert caught.value.errors[0].field == "kato"
    assert "no parent region" in caught.value.errors[0].message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"kato,level\n100000000,oblast\n", "the header has no column kato_version"),
        (
            b"kato,kato_version,level,type_code,name_ru,name_kk\n" + "область".encode("cp1251"),
            "UTF-8",
        ),
        (b"", "the header has no column kato"),
        (HEADER.encode(), "the file has no rows"),
        (HEADER.encode() + b"100000000,v,oblast,0,a,b,EXTRA\n", "more fields than the header"),
    ],
)
@pytest.mark.django_db
def test_files_that_are_not_a_kato_csv_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=message):
        parse_kato_csv(path)


@pytest.mark.django_db
def test_the_command_exits_with_the_error_and_nothing_written(tmp_path: Path) -> None:
    bad = tmp_path / "kato.csv"
    shutil.copy(KATO_CSV, bad)
    with bad.open("a", encoding="utf-8") as handle:
        handle.write("999999999,NK RK 11-2025,settlement,2,Нигде,Еш жерде\n")
    before = Territory.objects.count()
    with pytest.raises(CommandError, match=r"line 15596, field kato"):
        call_command("territory", "import", str(bad), "--quiet-progress")
    assert Territory.objects.count() == before


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="cannot read the file"):
        parse_kato_csv(tmp_path / "absent.csv")


@pytest.mark.parametrize(
    ("name_ru", "name_kk", "kind"),
    [
        ("Карааульский с.о.", "Қараауыл а.о.", Kind.RURAL_OKRUG),
        ("с.о.им.Койгельды Аухадиева", "Қойгелді Аухадиев атын. а.о.", Kind.RURAL_OKRUG),
        ("с.а.Тайтобе", "Тайтөбе а.ә.", Kind.VILLAGE_ADMINISTRATION),
        ("Чаганская п.а.", "Шаған к.ә.", Kind.SETTLEMENT_ADMINISTRATION),
        ("Аягоз г.а.", "Аягөз қ.ә.", Kind.CITY_ADMINISTRATION),
        ("г.Аксу", "Ақсу қ.", Kind.CITY),
        ("Алмалинский район", "Алмалы ауданы", Kind.CITY_DISTRICT),
    ],
)
def test_kind_is_read_from_the_name_abbreviations(name_ru: str, name_kk: str, kind: str) -> None:
    assert sub_district_kind(name_ru.lower(), name_kk.lower()) == kind
