import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esep.core.imports import ImportFailed
from esep.training import services
from esep.training.models import Enrolment, EnrolmentStatus, Session
from tests.training.factories import make_session


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sheet.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_enrolments_import_enrols_the_sitting_akims_of_the_listed_units(
    tmp_path, catalogue, akim_a, akim_a2
) -> None:
    session = make_session(catalogue.courses["foundation"])
    result = services.enrolments_import(
        session=session, path=write(tmp_path, f"kato\n{akim_a.rural_unit.kato}\n{akim_a2.rural_unit.kato}\n")
    )
    assert {e.person_id for e in result.enrolled} == {akim_a.person_id, akim_a2.person_id}


def test_an_enrolment_file_with_any_bad_line_enrols_nobody_and_names_each_line(
    tmp_path, catalogue, akim_a
) -> None:
    session = make_session(catalogue.courses["foundation"])
    text = f"kato\n{akim_a.rural_unit.kato}\n12345\n{akim_a.rural_unit.kato}\n101010000\n"
    with pytest.raises(ImportFailed) as failed:
        services.enrolments_import(session=session, path=write(tmp_path, text))
    assert [(e.line, e.field) for e in failed.value.errors] == [(3, "kato"), (4, "kato"), (5, "kato")]
    assert "listed twice" in str(failed.value) and "no sitting akim" in str(failed.value)
    assert not Enrolment.objects.filter(session=session).exists()


def test_a_results_sheet_is_recorded_whole_or_not_at_all(tmp_path, catalogue, akim_a, akim_a2) -> None:
    session = make_session(catalogue.courses["foundation"])
    services.enrolment_bulk_create(session=session, mandates=[akim_a, akim_a2])
    today = timezone.localdate().isoformat()
    good_a = f"{akim_a.rural_unit.kato},88,{today}"
    bad = write(tmp_path, f"kato,score,completed_on\n{good_a}\n{akim_a2.rural_unit.kato},200,2026-13-01\n")
    with pytest.raises(ImportFailed) as failed:
        services.completions_import(session=session, path=bad)
    assert [(e.line, e.field) for e in failed.value.errors] == [(3, "score"), (3, "completed_on")]
    assert not Enrolment.objects.filter(session=session).exclude(status=EnrolmentStatus.ENROLLED).exists()
    # A row the service refuses (a date before the session) also rolls back the rows before it.
    early = write(tmp_path, f"kato,score,completed_on\n{good_a}\n{akim_a2.rural_unit.kato},70,2000-01-01\n")
    with pytest.raises(ImportFailed, match="before its session starts"):
        services.completions_import(session=session, path=early)
    assert not Enrolment.objects.filter(session=session, status=EnrolmentStatus.COMPLETED).exists()
    good = write(tmp_path, f"kato,score,completed_on\n{good_a}\n{akim_a2.rural_unit.kato},40,{today}\n")
    assert services.completions_import(session=session, path=good).created == 2
    statuses = dict(Enrolment.objects.filter(session=session).values_list("person_id", "status"))
    assert statuses == {
        akim_a.person_id: EnrolmentStatus.COMPLETED,
        akim_a2.person_id: EnrolmentStatus.FAILED,
    }


def test_the_command_wraps_the_imports_and_reports_errors(tmp_path, catalogue, akim_a, capsys) -> None:
    session = make_session(catalogue.courses["foundation"])
    call_command(
        "training", "enrol", str(write(tmp_path, f"kato\n{akim_a.rural_unit.kato}\n")), session=session.pk
    )
    assert "enrolled 1" in capsys.readouterr().out
    with pytest.raises(CommandError, match="line 2, field score"):
        call_command(
            "training",
            "results",
            str(write(tmp_path, f"kato,score,completed_on\n{akim_a.rural_unit.kato},x,\n")),
            session=session.pk,
        )
    with pytest.raises(CommandError, match="No session"):
        call_command("training", "enrol", "x.csv", session=999999)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    score=st.text(max_size=8), day=st.text(max_size=12), kato=st.text(alphabet="0123456789x ", max_size=10)
)
def test_any_cell_in_a_results_sheet_is_either_recorded_or_named_in_the_errors(
    tmp_path_factory, catalogue, akim_a, score, day, kato
) -> None:
    session = Session.objects.filter(course=catalogue.courses["foundation"]).first() or make_session(
        catalogue.courses["foundation"]
    )
    if not Enrolment.objects.filter(session=session).exists():
        services.enrolment_bulk_create(session=session, mandates=[akim_a])
    path = tmp_path_factory.mktemp("sheet") / "results.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [["kato", "score", "completed_on"], [kato or akim_a.rural_unit.kato, score, day]]
        )
    try:
        services.completions_import(session=session, path=path)
    except ImportFailed as failed:
        assert failed.errors and all(error.line >= 1 for error in failed.errors)
