"""Regressions found by tests/security/test_bad_input_imports.py: a vote count of 100,000 digits passed the
digits-only check and made int() raise, and a short row crashed on a missing cell; both a crash of
`esep elections import` instead of an error by line."""

from pathlib import Path

import pytest

from esep.core.imports import ImportFailed
from esep.elections.services import results_import

HEADER = "kato,voting_date,voters_registered,ballots_cast,invalid_ballots,candidate,votes\n"


@pytest.mark.django_db
@pytest.mark.parametrize("count", ["9" * 13, "9" * 100_000, "²"])
def test_a_count_that_is_no_plausible_number_is_an_error_of_its_line_and_field(tmp_path: Path, count) -> None:
    path = tmp_path / "results.csv"
    path.write_text(HEADER + f"103230000,2027-11-07,1917,1204,14,Қасымов Ерлан,{count}\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        results_import(path=str(path))
    assert [(error.line, error.field) for error in caught.value.errors] == [(2, "votes")]


@pytest.mark.django_db
def test_a_short_row_is_an_error_of_its_line_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    path.write_text(HEADER + "103230000,2027-11-07,1917\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        results_import(path=str(path))
    assert {error.line for error in caught.value.errors} == {2}
    assert {error.field for error in caught.value.errors} >= {"ballots_cast", "votes"}
