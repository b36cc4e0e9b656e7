"""Catalogue import and export, CSV and XLSX: all or nothing, errors by line and field, idempotent."""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from esep.core.audit.models import AuditEvent
from esep.core.imports import ImportFailed
from esep.powers import services
from esep.powers.catalogue_io import catalogue_csv, catalogue_xlsx, neutralise, restore
from esep.powers.models import Power
from esep.powers.seed import COLUMNS


def row(**values: str) -> dict[str, str]:
    base = {
        **dict.fromkeys(COLUMNS, ""),
        "code": "sport.village_games",
        "level": "rural",
        "sector": "sport",
        "act": "Test act",
        "article": "35",
        "status": "in_force",
        "wording": "paraphrase",
        "text_ru": "Проводит сельские спортивные игры.",
        "text_kk": "Ауылдық спорт ойындарын өткізеді.",
        "text_en": "Holds village games.",
    }
    return {**base, **values}


def write_csv(path, rows: list[dict[str, str]], columns: list[str] = COLUMNS) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def write_xlsx(path, rows: list[dict[str, str]]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for values in rows:
        sheet.append([values[column] for column in COLUMNS])
    workbook.save(path)


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_an_import_creates_and_updates_then_changes_nothing_the_second_time(
    tmp_path, analyst, suffix
) -> None:
    path = tmp_path / f"powers.{suffix}"
    changed = row(code="roads.maintenance", level="rural", sector="roads", text_ru="Новый текст о дорогах.")
    (write_csv if suffix == "csv" else write_xlsx)(path, [row(), changed])
    before = AuditEvent.objects.filter(action="powers.import").count()
    result = services.catalogue_import(path=path, actor=analyst)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert Power.objects.get(code="roads.maintenance").text_ru == "Новый текст о дорогах."
    assert "спортивные" in Power.objects.get(code="sport.village_games").search_text
    assert "not in the file and were kept" in result.notes[0]
    event = AuditEvent.objects.filter(action="powers.import").latest("sequence")
    assert event.data["created"] == ["sport.village_games"] and event.data["updated"] == ["roads.maintenance"]
    again = services.catalogue_import(path=path, actor=analyst)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AuditEvent.objects.filter(action="powers.import").count() == before + 1


@pytest.mark.django_db
def test_errors_name_the_line_and_field_and_nothing_is_written(tmp_path, analyst) -> None:
    path = tmp_path / "bad.csv"
    write_csv(
        path,
        [
            row(),  # line 2, fine
            row(code="Bad Code", level="moon"),  # line 3
            row(code="sport.other", text_ru=""),  # line 4
            row(code="sport.village_games"),  # line 5: the code again
            row(code="roads.x", level="other", body=""),  # line 6: 'other' without a body
        ],
    )
    count = Power.objects.count()
    with pytest.raises(ImportFailed) as failed:
        services.catalogue_import(path=path, actor=analyst)
    found = {(error.line, error.field) for error in failed.value.errors}
    assert {(3, "code"), (3, "level"), (4, "text_ru"), (5, "code"), (6, "body")} <= found
    assert not any(line == 2 for line, _field in found)
    assert "bad.csv: line 3, field code" in str(failed.value)
    assert Power.objects.count() == count and not Power.objects.filter(code="sport.village_games").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("powers.csv", "code,level\nx,y\n", "the header has no column sector"),
        ("powers.csv", b"\xff\xfe\x00bad", "not UTF-8"),
        ("powers.xlsx", b"not a zip", "not an XLSX workbook"),
        ("powers.txt", "code\n", "must be .csv or .xlsx"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused_whole(tmp_path, name, content, message) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ImportFailed, match=message):
        services.catalogue_import(path=path)


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(tmp_path, suffix) -> None:
    power = Power.objects.get(code="roads.maintenance")
    power.text_en = '=HYPERLINK("http://evil")'  # what a malicious edit would leave; neutralised on export
    power.save(update_fields=["text_en"])
    powers = Power.objects.order_by("code")
    path = tmp_path / f"powers.{suffix}"
    if suffix == "csv":
        path.write_text(catalogue_csv(powers), encoding="utf-8")
        assert "'=HYPERLINK" in path.read_text(encoding="utf-8")
    else:
        path.write_bytes(catalogue_xlsx(powers))
        sheet = load_workbook(path).active
        assert sheet.max_row == powers.count() + 1
        cells = [cell.value for line in sheet.iter_rows() for cell in line]
        assert '\'=HYPERLINK("http://evil")' in cells and not any(str(c).startswith("=") for c in cells if c)
    result = services.catalogue_import(path=path)
    assert (result.created, result.updated) == (0, 0)
    assert Power.objects.get(code="roads.maintenance").text_en == '=HYPERLINK("http://evil")'


@pytest.mark.django_db
def test_a_file_without_the_checked_column_keeps_the_marks(tmp_path) -> None:
    assert Power.objects.get(code="governance.appeals").basis_checked
    buffer = io.StringIO(catalogue_csv(Power.objects.filter(code="governance.appeals")))
    rows = list(csv.DictReader(buffer))
    path = tmp_path / "powers.csv"
    write_csv(path, rows, [column for column in COLUMNS if column != "basis_checked"])
    assert services.catalogue_import(path=path).updated == 0
    assert Power.objects.get(code="governance.appeals").basis_checked


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_neutralise_and_restore_round_trip_any_text(text: str) -> None:
    stored = neutralise(text)
    assert not stored.startswith(("=", "+", "-", "@", "\t", "\r"))
    ambiguous = text.startswith("'") and text[1:].startswith(("=", "+", "-", "@", "\t", "\r"))
    if not ambiguous:  # a text that itself looks neutralised is the one case that cannot round-trip
        assert restore(stored) == text


def test_restore_only_strips_an_apostrophe_before_a_formula_character() -> None:
    assert restore("'=1+1") == "=1+1" and restore("'quoted'") == "'quoted'"
