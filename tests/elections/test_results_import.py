"""`esep elections import results.csv`: all or nothing, idempotent, every error with its line and field."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from esep.core.imports import ImportFailed
from esep.elections.models import Election, ElectionStatus, Mandate, Nomination
from esep.elections.services import results_import
from tests.elections.factories import election_at_vote, ensure_voters, make_person

pytestmark = pytest.mark.django_db
HEADER = "kato,voting_date,voters_registered,ballots_cast,invalid_ballots,candidate,votes\n"


@pytest.fixture
def two_elections(unit, unit_a2, amanat, auyl, today):
    ensure_voters(unit_a2)
    voting = today - timedelta(days=1)
    first = election_at_vote(
        unit,
        [
            (make_person(party=amanat, full_name="Ахметов Нұрлан"), Nomination.PARTY, amanat),
            (make_person(full_name="Сапарова Айгүл", sex="F"), Nomination.SELF, None),
        ],
        voting_date=voting,
    )
    second = election_at_vote(
        unit_a2,
        [(make_person(party=auyl, full_name="Оспанов Ерік"), Nomination.PARTY, auyl)],
        voting_date=voting,
    )
    return first[0], second[0], voting


def write(tmp_path: Path, text: str, name: str = "results.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def good_file(tmp_path: Path, voting: date) -> Path:
    day = voting.isoformat()
    return write(
        tmp_path,
        HEADER
        + f"103230000,{day},2000,1210,10,Ахметов Нұрлан,700\n"
        + f"103230000,{day},2000,1210,10,  сапарова   айгүл ,500\n"
        + f"103233000,{day},2000,900,0,Оспанов Ерік,800\n",
    )


def test_results_are_registered_and_a_second_import_changes_nothing(tmp_path: Path, two_elections) -> None:
    first, second, voting = two_elections
    path = good_file(tmp_path, voting)
    result = results_import(path=str(path))
    assert (result.created, result.unchanged) == (2, 0)
    first.refresh_from_db()
    assert first.status == ElectionStatus.CERTIFIED
    assert Mandate.objects.get(election=first).person.full_name == "Ахметов Нұрлан"
    assert Mandate.objects.get(election=second).person.full_name == "Оспанов Ерік"
    again = results_import(path=str(path))
    assert (again.created, again.unchanged) == (0, 2)


def test_one_bad_election_stops_the_whole_file(tmp_path: Path, two_elections) -> None:
    first, second, voting = two_elections
    day = voting.isoformat()
    path = write(
        tmp_path,
        HEADER
        + f"103230000,{day},2000,1210,10,Ахметов Нұрлан,700\n"
        + f"103230000,{day},2000,1210,10,Сапарова Айгүл,500\n"
        + f"103233000,{day},2000,900,0,Оспанов Ерік,950\n",  # more votes than valid ballots
    )
    with pytest.raises(ImportFailed) as failed:
        results_import(path=str(path))
    assert [(e.line, e.field) for e in failed.value.errors] == [(4, "votes")]
    assert not Election.objects.filter(status=ElectionStatus.CERTIFIED).exists()
    assert not Mandate.objects.exists()


def test_errors_name_their_line_and_field(tmp_path: Path, two_elections) -> None:
    _first, _second, voting = two_elections
    day = voting.isoformat()
    path = write(
        tmp_path,
        HEADER
        + "10323000,2025-13-01,lots,1,0,Кто-то,1\n"
        + f"103230000,{day},2000,1210,10,Ахметов Нұрлан,700\n"
        + f"103230000,{day},2001,1210,10,Незнакомец,500\n"
        + f"103235000,{day},100,50,0,Никто,50\n",
    )
    with pytest.raises(ImportFailed) as failed:
        results_import(path=str(path))
    found = [(e.line, e.field) for e in failed.value.errors]
    assert (2, "kato") in found and (2, "voting_date") in found and (2, "voters_registered") in found
    assert (4, "voters_registered") in found  # differs from line 3 of the same election
    assert (4, "candidate") in found  # nobody of that name is registered
    assert (5, "voting_date") in found  # no election in that unit on that day
    assert "line 4" in str(failed.value) and "results.csv" in str(failed.value)


def test_a_missing_candidate_is_named(tmp_path: Path, two_elections) -> None:
    _first, _second, voting = two_elections
    path = write(tmp_path, HEADER + f"103230000,{voting.isoformat()},2000,710,10,Ахметов Нұрлан,700\n")
    with pytest.raises(ImportFailed, match="Сапарова Айгүл"):
        results_import(path=str(path))


def test_results_that_differ_from_the_registered_ones_are_refused(tmp_path: Path, two_elections) -> None:
    _first, _second, voting = two_elections
    results_import(path=str(good_file(tmp_path, voting)))
    changed = (tmp_path / "results.csv").read_text().replace(",800\n", ",799\n").replace(",900,0,", ",899,0,")
    with pytest.raises(ImportFailed, match="registered already, and differ"):
        results_import(path=str(write(tmp_path, changed, "changed.csv")))


def test_a_file_without_the_columns_is_refused(tmp_path: Path, db: None) -> None:
    with pytest.raises(ImportFailed, match="the header has no column votes"):
        results_import(
            path=str(
                write(tmp_path, "kato,voting_date,voters_registered,ballots_cast,invalid_ballots,candidate\n")
            )
        )


def test_the_command_wraps_the_service(tmp_path: Path, two_elections, capsys) -> None:
    _first, _second, voting = two_elections
    call_command("elections", "import", str(good_file(tmp_path, voting)))
    assert "2 elections registered" in capsys.readouterr().out
    with pytest.raises(CommandError, match="line 2"):
        call_command("elections", "import", str(write(tmp_path, HEADER + "1,2,3,4,5,6,7\n", "bad.csv")))


def test_the_documented_example_file_parses(db: None) -> None:
    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "results.csv"
    with pytest.raises(ImportFailed) as failed:
        results_import(path=str(example))
    # With no election in the database every group is unknown, but no row is malformed.
    assert {error.field for error in failed.value.errors} == {"voting_date"}
