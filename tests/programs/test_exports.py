"""CSV and XLSX downloads of the tracked promises, with formula injection neutralised."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from esep.programs.exports import FORMULA_STARTS, neutralise
from tests.elections.factories import make_sitting_akim
from tests.programs.factories import promise_draft, published_program

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DANGEROUS = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def programs(akim_a, unit_b):
    published_program(
        akim_a, promises=[promise_draft(1, title=DANGEROUS), promise_draft(2, title="@SUM(A1)")]
    )
    published_program(make_sitting_akim(unit_b), promises=3)


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.django_db
def test_the_csv_lists_the_promises_of_a_unit_with_formulas_neutralised(client, programs, unit_a) -> None:
    response = client.get(f"/programs/promises.csv?territory={unit_a.kato}", **EN)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:8] == [
        "region",
        "district",
        "KATO code",
        "rural unit",
        "akim",
        "program version",
        "promise",
        "title",
    ]
    assert [(row[2], row[6], row[7]) for row in rows] == [
        (unit_a.kato, "P1", "'" + DANGEROUS),
        (unit_a.kato, "P2", "'@SUM(A1)"),
    ]
    assert rows[0][header.index("cost, tenge")] == "1000000"
    assert rows[0][header.index("funding: budget of the rural unit, tenge")] == "1000000"
    assert rows[0][header.index("status")] == "not yet rated"


@pytest.mark.django_db
def test_the_xlsx_opens_with_openpyxl_and_holds_the_same_rows(client, programs, unit_a, unit_b) -> None:
    response = client.get("/programs/promises.xlsx", **EN)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(rows) == 5
    assert {row[2] for row in rows} == {unit_a.kato, unit_b.kato}
    titles = [row[7] for row in rows]
    assert "'" + DANGEROUS in titles and not any(str(title).startswith("=") for title in titles)
    assert rows[0][header.index("cost, tenge")] == 1_000_000  # numbers stay numbers


@pytest.mark.django_db
def test_a_region_download_leaves_out_other_regions_and_runs_one_query(client, programs, unit_a) -> None:
    with CaptureQueriesContext(connection) as queries:
        rows = csv_rows(client.get(f"/programs/promises.csv?territory={unit_a.region_code}"))[1:]
    assert {row[2] for row in rows} == {unit_a.kato}
    assert len(queries) == 2  # the territory, then the rows


@pytest.mark.django_db
def test_a_bad_territory_is_a_clear_400_or_404(client, programs, unit_a) -> None:
    assert client.get("/programs/promises.csv?territory=12ab").status_code == 400
    assert client.get("/programs/promises.csv?territory=999999999").status_code == 404
    assert client.get(f"/programs/promises.xlsx?territory={unit_a.children.first().kato}").status_code == 404


@given(st.text(max_size=20))
def test_no_text_leaves_neutralise_starting_like_a_formula(text) -> None:
    safe = neutralise(text)
    assert not safe.startswith(FORMULA_STARTS)
    assert safe in (text, "'" + text)


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.none()))
def test_neutralise_leaves_numbers_alone(value) -> None:
    assert neutralise(value) == value
