"""program_publish: the check runs in the same transaction, and any error refuses publication."""

from datetime import date

import pytest

from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.elections.services import mandate_end
from esep.programs.models import Program, ProgramStatus
from esep.programs.services import program_publish, program_save_draft, program_start
from tests.programs.factories import candidacy_of, draft_program, failing_draft, promise_draft


@pytest.mark.django_db
def test_it_publishes_a_clean_draft_with_the_rule_set_it_was_checked_against(akim_a) -> None:
    program = draft_program(akim_a, promises=3)
    published = program_publish(program=program, actor=None)
    published.refresh_from_db()
    assert published.status == ProgramStatus.PUBLISHED
    assert published.published_at is not None
    assert (published.rule_set_version, published.check_ok) == ("T-1", True)
    assert published.check_report["totals"]["cost_kzt"] == 3_000_000
    event = AuditEvent.objects.filter(action="programs.program_publish").get()
    assert event.data["rule_set"] == "T-1" and event.data["promises"] == 3


@pytest.mark.django_db
def test_it_refuses_to_publish_while_an_error_remains_and_lists_the_findings(akim_a) -> None:
    program = draft_program(akim_a, promises=[promise_draft(1), failing_draft(2)])
    with pytest.raises(ApplicationError) as refused:
        program_publish(program=program, actor=None)
    assert refused.value.code == "check_failed"
    assert "FUNDING_MISSING" in {finding["code"] for finding in refused.value.extra["findings"]}
    assert "P2" in str(refused.value.message)
    program.refresh_from_db()
    assert program.status == ProgramStatus.DRAFT and program.published_at is None
    assert not AuditEvent.objects.filter(action="programs.program_publish").exists()


@pytest.mark.django_db
def test_warnings_do_not_stop_publication(akim_a) -> None:
    without_indicator = promise_draft(1)
    without_indicator = type(without_indicator)(**{**without_indicator.__dict__, "indicator_name": ""})
    program = draft_program(akim_a, promises=[without_indicator])
    published = program_publish(program=program, actor=None)
    assert [f["code"] for f in published.check_report["findings"]] == ["NO_INDICATOR"]


@pytest.mark.django_db
def test_it_refuses_a_program_without_promises(akim_a) -> None:
    program = program_start(candidacy=candidacy_of(akim_a), actor=None)
    with pytest.raises(ApplicationError) as refused:
        program_publish(program=program, actor=None)
    assert refused.value.code == "empty"


@pytest.mark.django_db
def test_it_refuses_when_no_rule_set_is_in_force(akim_a) -> None:
    program = draft_program(akim_a, promises=1)
    with pytest.raises(ApplicationError) as refused:
        program_publish(program=program, actor=None, on=date(1999, 1, 1))
    assert refused.value.code == "no_rule_set"


@pytest.mark.django_db
def test_a_program_whose_candidate_lost_the_mandate_can_no_longer_change(akim_a) -> None:
    program = draft_program(akim_a, promises=1)
    mandate_end(mandate=akim_a, reason="resignation", note="Ушёл в отставку.")
    with pytest.raises(ApplicationError) as refused:
        program_publish(program=program, actor=None)
    assert refused.value.code == "program_closed"
    with pytest.raises(ApplicationError):
        program_save_draft(program=program, promises=[promise_draft(1)], actor=None)


@pytest.mark.django_db
def test_a_candidacy_gets_one_program_only(akim_a) -> None:
    program_start(candidacy=candidacy_of(akim_a), actor=None)
    with pytest.raises(ApplicationError) as refused:
        program_start(candidacy=candidacy_of(akim_a), actor=None)
    assert refused.value.code == "duplicate"
    assert Program.objects.count() == 1
