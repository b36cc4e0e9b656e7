from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.core.models import Role
from esep.territory.models import Territory
from esep.training import services
from esep.training.models import AssigneeKind, DeadlineRule, InstructionStatus, ReportDecision
from tests.training.factories import make_body, make_instruction

ABAY = "100000000"


def test_within_a_month_computes_the_deadline_and_the_issue_is_audited(db) -> None:
    instruction = make_instruction(
        bodies=("government", "acsa"), issued_on=date(2025, 11, 28), within_month=True
    )
    assert instruction.deadline == date(2025, 12, 29)
    assert instruction.deadline_rule == DeadlineRule.WITHIN_A_MONTH
    assert {a.body.code for a in instruction.assignments.all()} == {"government", "acsa"}
    event = AuditEvent.objects.get(action="training.instruction_issue", subject_id=str(instruction.pk))
    assert event.data["assignees"] == ["body:government", "body:acsa"] and event.data["rule"] == "month"


def test_assignees_are_bodies_regions_or_units_with_an_elected_akim_each_once(unit_a) -> None:
    region = Territory.objects.get(kato=ABAY)
    instruction = make_instruction(regions=(region,), units=(unit_a,))
    assert {(a.kind, a.territory.kato) for a in instruction.assignments.all()} == {
        (AssigneeKind.REGION, ABAY),
        (AssigneeKind.AKIM, unit_a.kato),
    }
    with pytest.raises(ApplicationError, match="names a region"):
        make_instruction(regions=(unit_a,))
    with pytest.raises(ApplicationError, match="not a rural unit"):
        make_instruction(units=(Territory.objects.get(kato="101010000"),))
    with pytest.raises(ApplicationError, match="listed twice"):
        make_instruction(units=(unit_a, unit_a))
    with pytest.raises(ApplicationError, match="at least one assignee"):
        make_instruction()


def test_the_deadline_is_a_date_or_within_a_month_and_not_before_the_issue(db) -> None:
    with pytest.raises(ApplicationError, match="either a deadline"):
        make_instruction(bodies=("government",), deadline=date(2026, 1, 1), within_month=True)
    with pytest.raises(ApplicationError, match="before the day of issue"):
        make_instruction(bodies=("government",), issued_on=date(2026, 1, 10), deadline=date(2026, 1, 9))


def test_a_region_analyst_issues_only_to_their_region_and_never_to_bodies(unit_a, unit_b, make_user) -> None:
    analyst = make_user(Role.ANALYST, Territory.objects.get(kato=ABAY))
    assert make_instruction(units=(unit_a,), actor=analyst).assignments.count() == 1
    with pytest.raises(PermissionDenied):
        make_instruction(units=(unit_b,), actor=analyst)
    with pytest.raises(PermissionDenied):
        make_instruction(bodies=("government",), actor=analyst)


def test_reports_move_the_assignee_through_reported_to_accepted(unit_a, make_user) -> None:
    akim = make_user(Role.AKIM, unit_a)
    reviewer = make_user(Role.ANALYST, None)
    instruction = make_instruction(units=(unit_a,), bodies=("government",))
    mine = instruction.assignments.get(territory=unit_a)
    services.report_file(assignment=mine, text="Начали работу", is_final=False, actor=akim)
    mine.refresh_from_db()
    assert mine.status == InstructionStatus.OPEN
    final = services.report_file(assignment=mine, text="Сделано", is_final=True, actor=akim)
    mine.refresh_from_db()
    instruction.refresh_from_db()
    assert mine.status == InstructionStatus.REPORTED and mine.reported_at is not None
    assert instruction.status == InstructionStatus.OPEN  # the government has not reported
    with pytest.raises(ApplicationError, match="awaiting review"):
        services.report_file(assignment=mine, text="Ещё раз", is_final=True, actor=akim)
    services.report_review(report=final, accept=True, actor=reviewer)
    mine.refresh_from_db()
    assert mine.status == InstructionStatus.ACCEPTED
    with pytest.raises(ApplicationError, match="already accepted"):
        services.report_file(assignment=mine, text="После", is_final=False, actor=akim)
    government = instruction.assignments.get(body__code="government")
    report = services.report_file(assignment=government, text="Готово", is_final=True)
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.REPORTED
    services.report_review(report=report, accept=True, actor=reviewer)
    instruction.refresh_from_db()
    assert instruction.status == InstructionStatus.ACCEPTED


def test_a_returned_report_needs_a_reason_and_reopens_the_assignee(unit_a, make_user) -> None:
    instruction = make_instruction(units=(unit_a,))
    assignment = instruction.assignments.get()
    report = services.report_file(assignment=assignment, text="Сделано", is_final=True)
    reviewer = make_user(Role.ANALYST, None)
    with pytest.raises(ApplicationError, match="why the report is returned"):
        services.report_review(report=report, accept=False, actor=reviewer)
    services.report_review(report=report, accept=False, note="Нет приложений", actor=reviewer)
    report.refresh_from_db()
    assignment.refresh_from_db()
    assert report.decision == ReportDecision.RETURNED and assignment.status == InstructionStatus.OPEN
    with pytest.raises(ApplicationError, match="already reviewed"):
        services.report_review(report=report, accept=True, actor=reviewer)


def test_who_reports_and_who_reviews(unit_a, unit_a2, make_user) -> None:
    region = Territory.objects.get(kato=ABAY)
    instruction = make_instruction(units=(unit_a,), regions=(region,), bodies=("government",))
    unit_assignee = instruction.assignments.get(territory=unit_a)
    region_assignee = instruction.assignments.get(territory=region)
    body_assignee = instruction.assignments.get(body__code="government")
    colleague = make_user(Role.AKIM, unit_a2)
    with pytest.raises(PermissionDenied):
        services.report_file(assignment=unit_assignee, text="x", is_final=False, actor=colleague)
    district = make_user(Role.DISTRICT_SUPERVISOR, unit_a.parent)
    services.report_file(assignment=unit_assignee, text="x", is_final=False, actor=district)
    with pytest.raises(PermissionDenied):
        services.report_file(assignment=region_assignee, text="x", is_final=False, actor=district)
    services.report_file(
        assignment=region_assignee, text="x", is_final=False, actor=make_user(Role.REGION_SUPERVISOR, region)
    )
    with pytest.raises(PermissionDenied):
        services.report_file(
            assignment=body_assignee, text="x", is_final=False, actor=make_user(Role.ANALYST, region)
        )
    analyst = make_user(Role.ANALYST, None)
    final = services.report_file(assignment=body_assignee, text="Готово", is_final=True, actor=analyst)
    with pytest.raises(ApplicationError, match="someone other than its author") as refused:
        services.report_review(report=final, accept=True, actor=analyst)
    assert refused.value.code == "four_eyes"
    with pytest.raises(PermissionDenied):
        services.report_review(report=final, accept=True, actor=district)
    services.report_review(report=final, accept=True, actor=make_user(Role.ADMINISTRATOR, None))


def test_an_empty_or_interim_report_cannot_be_reviewed(unit_a) -> None:
    assignment = make_instruction(units=(unit_a,)).assignments.get()
    with pytest.raises(ApplicationError, match="Write what has been done"):
        services.report_file(assignment=assignment, text="   ", is_final=False)
    interim = services.report_file(assignment=assignment, text="Идёт работа", is_final=False)
    with pytest.raises(ApplicationError, match="Only a final report"):
        services.report_review(report=interim, accept=True)


def test_a_body_cannot_be_created_twice(db) -> None:
    make_body("government")
    with pytest.raises(ApplicationError, match="exists"):
        services.body_create(code="government", name_kk="x", name_ru="x", name_en="x")
