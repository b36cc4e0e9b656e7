"""Every file import of esep under hostile files: a clear error naming line and field, and nothing written.

The entry points (IMPORTERS): development plans and local budgets (programs), enrolments and results
(training), election results (elections), requests in bulk (appeals), the catalogue of powers as CSV and as
XLSX (powers), the KATO classifier (territory), and a paper signature sheet (recall, read by its command).

Each gets two kinds of files.
- Catalogued files (`hostile_csv_files`: 17, `hostile_xlsx_files`: 8) that no reading can accept: cp1251 and
  UTF-16 (with and without BOM) text, binary garbage, a UTF-8 BOM followed by semicolons, a semicolon or tab
  delimiter, a missing column, a short row, a row with more fields than the header, every cell 100,000
  characters, every cell a formula (`=cmd|...`, `+`, `-`, `@`), a NUL byte, "²" where digits belong, an empty
  file, a header only; for XLSX a CSV or garbage named .xlsx, a zip that is no workbook, a sheet missing a
  column, a value right of the named columns, formula and 32,767-character cells, an empty workbook. Each must
  raise ImportFailed whose errors name a line (and a field where there is one) — for the paper sheet the
  service's ApplicationError — and leave every table as it was (tests/security/writes.py: the count of every
  table and the content of every table of up to 3,000 rows). A file of the same rows without the damage is
  accepted.
- Generated files (Hypothesis, `EXAMPLES_PER_IMPORTER` each, derandomized): that valid file with cells
  replaced by hostile values (100k characters, control characters, lone surrogates, formulas, Unicode digits,
  40-digit and negative numbers, impossible dates, HTML, paths, emoji), a column dropped or an unknown one
  added, a short row, a row with an extra field, in UTF-8, UTF-8 with BOM, cp1251 or UTF-16, with comma,
  semicolon or tab. The import either succeeds (the file was valid after all) or raises the clear error and
  writes nothing; a file that cannot be read (not UTF-8, NUL, a missing column, an extra field, the wrong
  delimiter) must fail. Any other exception fails the test.
Decisions: an unknown column in the header is ignored (spreadsheets carry note columns), an extra field in a
row is refused; a file with a header and no rows is refused, except by the catalogue of powers and the
election results, where it changes nothing and says so (asserted: nothing written); a formula in a free-text
cell is kept as text, and exports neutralise it (tests/powers/test_catalogue_import.py,
tests/dashboard/test_exports.py).
The commands that wrap the imports turn the same errors into a CommandError naming the line (`COMMAND_CASES`).

Cases tried: 9 CSV imports x (17 catalogued + 30 generated) + the XLSX catalogue x (8 + 30) = 461 files, and
9 commands x 3 catalogued files = 27.
"""

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from esep.appeals.importer import REQUIRED as APPEAL_COLUMNS
from esep.appeals.importer import appeals_import
from esep.core.errors import ApplicationError
from esep.core.imports import ImportFailed
from esep.core.models import Role
from esep.elections.models import Nomination
from esep.elections.services import RESULT_COLUMNS, results_import
from esep.powers.seed import COLUMNS as POWER_COLUMNS
from esep.powers.services import catalogue_import
from esep.programs.services import BUDGET_COLUMNS, PLAN_COLUMNS, budget_import_csv, plan_import_csv
from esep.recall.management.commands.recall import read_sheet
from esep.recall.services import paper_sheet_enter
from esep.territory.kato import COLUMNS as KATO_COLUMNS
from esep.territory.models import Territory
from esep.territory.services import territory_import, unit_set_figures
from esep.training import services as training
from tests.conftest import UNIT_A, UNIT_A2
from tests.elections.factories import election_at_vote, ensure_voters, make_person, make_sitting_akim
from tests.recall.factories import collecting_initiative, register_resident
from tests.security.writes import rolled_back, snapshot
from tests.training.factories import make_catalogue, make_session

EXAMPLES_PER_IMPORTER = 30
FORMULA = "=cmd|' /C calc'!A0"
PREFIXED = ("+1+1", "-2+3", "@SUM(1)", "=1+1")
HOSTILE_CELLS = (
    "",
    " ",
    "x" * 100_000,
    "\x01\x1b[2J\x7f",
    "\ud800",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    FORMULA,
    "+1+1",
    "-1",
    "@SUM(1)",
    "²",
    "１２３",
    "٣",
    "9" * 40,
    "-" + "9" * 40,
    "1e400",
    "NaN",
    "2026-02-30",
    "0000-00-00",
    "31.12.2026",
    'a "quoted" value, with a comma',
    "line\nbreak\rreturn",
    "\ufeff",
    "😀" * 3,
)


@dataclass
class Importer:
    name: str
    columns: list[str]
    prepare: Callable[[], dict[str, Any]]
    rows: Callable[[dict[str, Any]], list[dict[str, str]]]
    run: Callable[[dict[str, Any], Path], object]
    command: Callable[[dict[str, Any], Path], list[str]]
    suffix: str = ".csv"
    refusal: type[Exception] = ImportFailed
    empty_is_a_no_op: bool = False  # a file without rows changes nothing, and the import says so


# --- what each import needs, made through the services ----------------------------------------------------


def nothing() -> dict[str, Any]:
    return {"unit": Territory.objects.get(kato=UNIT_A)}


def training_session() -> dict[str, Any]:
    unit = Territory.objects.get(kato=UNIT_A)
    mandate = make_sitting_akim(unit)
    session = make_session(make_catalogue().courses["foundation"])
    training.enrolment_bulk_create(session=session, mandates=[mandate])
    return {"unit": unit, "session": session}


def election_at_the_vote() -> dict[str, Any]:
    unit = ensure_voters(Territory.objects.get(kato=UNIT_A2))
    people = [make_person(full_name="Қасымов Ерлан"), make_person(full_name="Сапарова Айгүл", sex="F")]
    election, _candidacies = election_at_vote(
        unit,
        [(person, Nomination.SELF, None) for person in people],
        voting_date=timezone.localdate() - timedelta(days=1),
    )
    return {"unit": unit, "election": election, "people": people}


def recall_collecting(make_user: Callable) -> dict[str, Any]:
    unit = Territory.objects.get(kato=UNIT_A)
    unit_set_figures(unit=unit, voters=100, population=200)
    unit.refresh_from_db()
    make_sitting_akim(unit, starts_on=timezone.localdate() - timedelta(days=800))
    residents = [make_user(Role.RESIDENT, unit, username=f"sheet.resident{n}") for n in range(10)]
    commission = make_user(
        Role.COMMISSION, Territory.objects.get(kato=unit.district_code), username="sheet.cec"
    )
    initiative = collecting_initiative(unit, residents, commission)
    return {
        "unit": unit,
        "initiative": initiative,
        "commission": commission,
        "iin": register_resident(unit.kato),
    }


# --- the importers --------------------------------------------------------------------------------------


def plan_rows(context: dict[str, Any]) -> list[dict[str, str]]:
    unit = context["unit"]
    return [
        {
            "region": unit.region_code,
            "plan_title": "План развития области на 2026-2030 годы",
            "plan_years": "2026-2030",
            "code": "TST-2026-900",
            "title": "Ремонт дорог",
            "sector": "roads",
            "territories": unit.district_code,
            "year": "2027",
            "allocation_kzt": "500000000",
            "committed_kzt": "0",
        }
    ]


def result_rows(context: dict[str, Any]) -> list[dict[str, str]]:
    election = context["election"]
    common = {
        "kato": context["unit"].kato,
        "voting_date": election.voting_date.isoformat(),
        "voters_registered": "2000",
        "ballots_cast": "1000",
        "invalid_ballots": "0",
    }
    return [
        {**common, "candidate": person.full_name, "votes": str(votes)}
        for person, votes in zip(context["people"], (600, 400), strict=True)
    ]


def power_rows(context: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "code": "roads.bad_input_test",
            "level": "rural",
            "body": "",
            "sector": "roads",
            "act": "Закон о местном государственном управлении",
            "article": "35",
            "item": "2",
            "status": "in_force",
            "wording": "paraphrase",
            "text_ru": "Содержит дороги села.",
            "text_kk": "Ауыл жолдарын ұстайды.",
            "text_en": "Keeps the village roads.",
            "basis_checked": "",
        }
    ]


def sheet_command(context: dict[str, Any], path: Path) -> list[str]:
    return [
        "recall",
        "paper-sheet",
        str(context["initiative"].pk),
        "7",
        str(path),
        "--user",
        context["commission"].username,
    ]


def sheet_enter(context: dict[str, Any], path: Path) -> object:
    return paper_sheet_enter(
        initiative=context["initiative"], number=7, lines=read_sheet(str(path)), actor=context["commission"]
    )


IMPORTERS = {
    "programs.plan_import_csv": Importer(
        "programs.plan_import_csv",
        PLAN_COLUMNS,
        nothing,
        plan_rows,
        lambda context, path: plan_import_csv(path=path),
        lambda context, path: ["programs", "import-plans", str(path)],
    ),
    "programs.budget_import_csv": Importer(
        "programs.budget_import_csv",
        BUDGET_COLUMNS,
        nothing,
        lambda context: [{"unit": UNIT_A, "year": "2026", "source": "income_tax", "amount_kzt": "1000000"}],
        lambda context, path: budget_import_csv(path=path),
        lambda context, path: ["programs", "import-budgets", str(path)],
    ),
    "training.enrolments_import": Importer(
        "training.enrolments_import",
        ["kato"],
        training_session,
        lambda context: [{"kato": UNIT_A}],
        lambda context, path: training.enrolments_import(session=context["session"], path=path),
        lambda context, path: ["training", "enrol", str(path), "--session", str(context["session"].pk)],
    ),
    "training.completions_import": Importer(
        "training.completions_import",
        ["kato", "score", "completed_on"],
        training_session,
        lambda context: [{"kato": UNIT_A, "score": "80", "completed_on": timezone.localdate().isoformat()}],
        lambda context, path: training.completions_import(session=context["session"], path=path),
        lambda context, path: ["training", "results", str(path), "--session", str(context["session"].pk)],
    ),
    "elections.results_import": Importer(
        "elections.results_import",
        RESULT_COLUMNS,
        election_at_the_vote,
        result_rows,
        lambda context, path: results_import(path=str(path)),
        lambda context, path: ["elections", "import", str(path)],
        empty_is_a_no_op=True,  # it reports 0 elections registered
    ),
    "appeals.appeals_import": Importer(
        "appeals.appeals_import",
        APPEAL_COLUMNS,
        nothing,
        lambda context: [
            {"unit": UNIT_A, "category": "roads", "registered_at": "2026-03-02 10:30", "text": "Ямы на улице"}
        ],
        lambda context, path: appeals_import(path=path),
        lambda context, path: ["appeals", "import", str(path)],
    ),
    "powers.catalogue_import": Importer(
        "powers.catalogue_import",
        POWER_COLUMNS,
        nothing,
        power_rows,
        lambda context, path: catalogue_import(path=path),
        lambda context, path: ["powers", "import", str(path)],
        empty_is_a_no_op=True,  # powers absent from a file are kept and named in the result's notes
    ),
    "territory.territory_import": Importer(
        "territory.territory_import",
        KATO_COLUMNS,
        nothing,
        lambda context: [
            {
                "kato": "100000000",
                "kato_version": "NK RK 11-2025",
                "level": "oblast",
                "type_code": "0",
                "name_ru": "область Абай",
                "name_kk": "Абай облысы",
            }
        ],
        lambda context, path: territory_import(path=path),
        lambda context, path: ["territory", "import", str(path), "--quiet-progress"],
    ),
    "recall.paper_sheet": Importer(
        "recall.paper_sheet",
        ["line", "iin", "signed_on"],
        lambda: {},  # made by the test with make_user
        lambda context: [{"line": "1", "iin": context["iin"], "signed_on": timezone.localdate().isoformat()}],
        sheet_enter,
        sheet_command,
        refusal=ApplicationError,  # a format error is ImportFailed; the service's own refusals too are clear
    ),
}
XLSX = Importer(
    "powers.catalogue_import (xlsx)",
    POWER_COLUMNS,
    nothing,
    power_rows,
    lambda context, path: catalogue_import(path=path),
    lambda context, path: ["powers", "import", str(path)],
    suffix=".xlsx",
    empty_is_a_no_op=True,
)


# --- files ------------------------------------------------------------------------------------------------


def csv_text(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def table(
    importer: Importer, context: dict[str, Any], value: Callable[[str, str], str] | None = None
) -> tuple:
    header = list(importer.columns)
    rows = [
        [(value(name, row[name]) if value else row[name]) for name in header]
        for row in importer.rows(context)
    ]
    return header, rows


def hostile_csv_files(importer: Importer, context: dict[str, Any]) -> dict[str, bytes]:
    header, rows = table(importer, context)
    valid = csv_text(header, rows)
    note = csv_text([*header, "примечание"], [[*row, "Письмо в акимат"] for row in rows])
    first = header[0]
    return {
        "cp1251": note.encode("cp1251", "replace"),
        "UTF-16 with BOM": valid.encode("utf-16"),
        "UTF-16 without BOM": valid.encode("utf-16-le"),
        "binary garbage": bytes(range(256)) * 8,
        "UTF-8 BOM and semicolons": (
            "\ufeff" + csv_text([*header, "note"], [[*r, "x"] for r in rows], ";")
        ).encode(),
        "semicolon delimiter": csv_text([*header, "note"], [[*r, "x"] for r in rows], ";").encode(),
        "tab delimiter": csv_text([*header, "note"], [[*r, "x"] for r in rows], "\t").encode(),
        "missing column": csv_text(header[1:], [row[1:] for row in rows]).encode(),
        "extra field in a row": (valid + ",".join([*rows[0], "surplus"]) + "\n").encode(),
        "short row": (csv_text(header, []) + rows[0][0] + "\n").encode() if len(header) > 1 else b"",
        "100,000-character cells": csv_text(*table(importer, context, lambda n, v: "9" * 100_000)).encode(),
        "formula in every cell": csv_text(*table(importer, context, lambda n, v: FORMULA)).encode(),
        "formula prefixes in every cell": csv_text(
            header, [[PREFIXED[i % 4] for i in range(len(header))]]
        ).encode(),
        "NUL byte": valid.replace(rows[0][0], rows[0][0] + "\x00", 1).encode(),
        "superscript digits": csv_text(
            *table(importer, context, lambda n, v: "²" if n != first else v)
        ).encode()
        if len(header) > 1
        else csv_text(header, [["²"]]).encode(),
        "empty file": b"",
        "header only": csv_text(header, []).encode(),
    }


def xlsx_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def hostile_xlsx_files(importer: Importer, context: dict[str, Any]) -> dict[str, bytes]:
    header, rows = table(importer, context)
    not_a_workbook = io.BytesIO()
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("../../evil.txt", "path in a zip")
    return {
        "CSV named .xlsx": csv_text(header, rows).encode(),
        "garbage named .xlsx": bytes(range(256)) * 8,
        "zip that is no workbook": not_a_workbook.getvalue(),
        "missing column": xlsx_bytes(header[1:], [row[1:] for row in rows]),
        "extra field in a row": xlsx_bytes(header, [[*row, "surplus"] for row in rows]),
        # A formula written without a cached value reads as an empty cell: the other cells are formulas.
        "formula in every cell": xlsx_bytes(header, [[rows[0][0]] + [FORMULA] * (len(header) - 1)]),
        "32,767-character cells": xlsx_bytes(header, [["9" * 32_767] * len(header)]),
        "empty workbook": xlsx_bytes([], []),
    }


@st.composite
def generated_csv(draw: st.DrawFn, importer: Importer, context: dict[str, Any]) -> tuple[bytes, str]:
    """A file of this import with hostile changes; the second value names why it cannot be read, or ""."""
    header, rows = table(importer, context)
    rows = rows * draw(st.integers(min_value=1, max_value=2))
    unreadable = ""
    shape = draw(st.sampled_from(["same", "same", "same", "missing", "unknown column"]))
    if shape == "missing":
        drop = draw(st.integers(min_value=0, max_value=len(header) - 1))
        header, rows = header[:drop] + header[drop + 1 :], [row[:drop] + row[drop + 1 :] for row in rows]
        unreadable = "a missing column"
    elif shape == "unknown column":
        header, rows = [*header, "zz_note"], [[*row, "note"] for row in rows]
    cells = st.one_of(
        st.sampled_from(HOSTILE_CELLS), st.text(max_size=20), st.text(st.characters(), max_size=5)
    )
    rows = [[draw(cells) if draw(st.integers(0, 3)) == 0 else cell for cell in row] for row in rows]
    if draw(st.integers(0, 5)) == 0:
        rows[-1] = rows[-1][: draw(st.integers(min_value=1, max_value=len(rows[-1])))]  # a short row
    if draw(st.integers(0, 5)) == 0:
        rows[0] = [*rows[0], "surplus"]
        unreadable = unreadable or "an extra field"
    delimiter = draw(st.sampled_from([",", ",", ",", ";", "\t"]))
    if delimiter != "," and len(header) > 1:
        unreadable = unreadable or "the wrong delimiter"
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1251", "utf-16"]))
    text = csv_text(header, rows, delimiter)
    raw = text.encode(encoding, "replace" if encoding == "cp1251" else "surrogatepass")
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        unreadable = "not UTF-8"
    else:
        if "\x00" in decoded:
            unreadable = "a NUL byte"
    return raw, unreadable


@st.composite
def generated_xlsx(draw: st.DrawFn, importer: Importer, context: dict[str, Any]) -> tuple[bytes, str]:
    header, rows = table(importer, context)
    printable = st.text(st.characters(exclude_categories=["Cc", "Cs"]), max_size=20)
    cells = st.one_of(
        st.sampled_from([c for c in HOSTILE_CELLS if c.isprintable() and "\ud800" not in c]),
        printable,
        st.integers(min_value=-(10**15), max_value=10**15),
        st.floats(allow_nan=False, allow_infinity=False),
        st.dates(),
        st.booleans(),
    )
    rows = [[draw(cells) if draw(st.integers(0, 3)) == 0 else cell for cell in row] for row in rows]
    unreadable = ""
    if draw(st.integers(0, 4)) == 0:
        drop = draw(st.integers(min_value=0, max_value=len(header) - 1))
        header, rows = header[:drop] + header[drop + 1 :], [row[:drop] + row[drop + 1 :] for row in rows]
        unreadable = "a missing column"
    return xlsx_bytes(header, rows), unreadable


# --- checks -----------------------------------------------------------------------------------------------


def write(tmp_path: Path, importer: Importer, raw: bytes) -> Path:
    path = tmp_path / f"upload{importer.suffix}"
    path.write_bytes(raw)
    return path


def assert_refused_and_nothing_written(importer: Importer, context: dict, path: Path, why: str) -> None:
    with rolled_back():
        before = snapshot()
        with pytest.raises(importer.refusal) as caught:
            importer.run(context, path)
        assert_clear(caught.value, why)
        assert snapshot() == before, f"{importer.name}, {why}: a refused file wrote rows"


def assert_clear(error: Exception, why: str) -> None:
    assert str(error).strip(), why
    if isinstance(error, ImportFailed):
        assert error.errors, why
        assert all(isinstance(row.line, int) and row.line >= 0 and row.message for row in error.errors), why
        assert "line" in str(error), why


def try_generated(importer: Importer, context: dict, path: Path, unreadable: str) -> None:
    with rolled_back():
        before = snapshot()
        try:
            importer.run(context, path)
        except importer.refusal as error:
            assert_clear(error, unreadable or "generated")
            assert snapshot() == before, f"{importer.name}: a refused file wrote rows"
        else:
            assert not unreadable, f"{importer.name} accepted a file with {unreadable}"


@pytest.fixture
def context_of(make_user: Callable) -> Callable[[Importer], dict[str, Any]]:
    def make(importer: Importer) -> dict[str, Any]:
        if importer.name == "recall.paper_sheet":
            return recall_collecting(make_user)
        return importer.prepare()

    return make


ALL = [*IMPORTERS.values(), XLSX]


@pytest.mark.django_db
@pytest.mark.parametrize("importer", ALL, ids=[importer.name for importer in ALL])
def test_a_catalogued_hostile_file_is_refused_by_line_and_writes_nothing(
    importer, context_of, tmp_path
) -> None:
    context = context_of(importer)
    files = (hostile_xlsx_files if importer.suffix == ".xlsx" else hostile_csv_files)(importer, context)
    for why, raw in files.items():
        path = write(tmp_path, importer, raw)
        if why == "header only" and importer.empty_is_a_no_op:
            with rolled_back():
                before = snapshot()
                result = importer.run(context, path)
                assert not result.changed and snapshot() == before
            continue
        assert_refused_and_nothing_written(importer, context, path, why)
    # The file these were made from is accepted: the refusals above are about the damage, not the rows.
    header, rows = table(importer, context)
    valid = xlsx_bytes(header, rows) if importer.suffix == ".xlsx" else csv_text(header, rows).encode()
    with rolled_back():
        importer.run(context, write(tmp_path, importer, valid))


@pytest.mark.django_db
@pytest.mark.parametrize("importer", ALL, ids=[importer.name for importer in ALL])
def test_a_generated_file_is_imported_whole_or_refused_by_line_with_nothing_written(
    importer, context_of, tmp_path
) -> None:
    context = context_of(importer)
    strategy = (generated_xlsx if importer.suffix == ".xlsx" else generated_csv)(importer, context)

    @given(file=strategy)
    @settings(
        max_examples=EXAMPLES_PER_IMPORTER,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(file: tuple[bytes, str]) -> None:
        raw, unreadable = file
        try_generated(importer, context, write(tmp_path, importer, raw), unreadable)

    check()


COMMAND_CASES = ("missing column", "formula in every cell", "cp1251")


@pytest.mark.django_db
@pytest.mark.parametrize("importer", IMPORTERS.values(), ids=list(IMPORTERS))
def test_the_command_names_the_line_of_a_refused_file_and_writes_nothing(
    importer, context_of, tmp_path
) -> None:
    context = context_of(importer)
    files = hostile_csv_files(importer, context)
    for why in COMMAND_CASES:
        path = write(tmp_path, importer, files[why])
        with rolled_back():
            before = snapshot()
            with pytest.raises(CommandError, match="line") as caught:
                call_command(*importer.command(context, path), stdout=io.StringIO(), stderr=io.StringIO())
            assert str(caught.value).strip(), why
            assert snapshot() == before, f"{importer.name}, {why}: the command wrote rows"
