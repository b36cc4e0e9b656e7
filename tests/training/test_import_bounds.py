"""Regressions found by tests/security/test_bad_input_imports.py: a score "²" passed str.isdigit() and made
int() raise (as did a score of 100,000 digits), and a short row crashed on a missing cell; both a crash of
the results import instead of an error by line."""

from pathlib import Path

import pytest
from django.utils import timezone

from esep.core.imports import ImportFailed
from esep.training import services
from esep.training.models import Enrolment, EnrolmentStatus
from tests.training.factories import enrol, make_session


@pytest.mark.parametrize("score", ["²", "٣", "9" * 100_000])
def test_a_score_other_than_plain_digits_is_an_error_of_its_line(
    tmp_path: Path, catalogue, akim_a, score: str
) -> None:
    session = make_session(catalogue.courses["foundation"])
    enrol(session, akim_a)
    path = tmp_path / "results.csv"
    today = timezone.localdate().isoformat()
    path.write_text(f"kato,score,completed_on\n{akim_a.rural_unit.kato},{score},{today}\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        services.completions_import(session=session, path=path)
    assert [(error.line, error.field) for error in caught.value.errors] == [(2, "score")]
    assert Enrolment.objects.get(session=session).status == EnrolmentStatus.ENROLLED


def test_a_short_row_is_an_error_of_its_line_not_a_crash(tmp_path: Path, catalogue, akim_a) -> None:
    session = make_session(catalogue.courses["foundation"])
    enrol(session, akim_a)
    path = tmp_path / "results.csv"
    path.write_text(f"kato,score,completed_on\n{akim_a.rural_unit.kato},80\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        services.completions_import(session=session, path=path)
    assert [(error.line, error.field) for error in caught.value.errors] == [(2, "completed_on")]
