from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from esep.core.errors import ApplicationError
from esep.core.models import Role
from esep.training import services
from esep.training.models import Competence, EnrolmentStatus
from tests.training.factories import complete, enrol, make_session


def test_a_passing_score_completes_the_course_with_a_certificate_and_its_modules(catalogue, akim_a) -> None:
    session = make_session(catalogue.courses["foundation"])
    enrolment = complete(session, akim_a, score=85)
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.certificate_number == f"SCHOOL-OF-AKIMS-{enrolment.completed_on.year}-{enrolment.pk:06d}"
    held = Competence.objects.filter(person_id=akim_a.person_id)
    assert {c.module.code for c in held} == {"law", "budget"}
    assert all(c.enrolment_id == enrolment.pk for c in held)


def test_a_score_below_the_pass_mark_fails_without_certificate_or_competences(catalogue, akim_a) -> None:
    enrolment = complete(make_session(catalogue.courses["foundation"]), akim_a, score=59)
    assert enrolment.status == EnrolmentStatus.FAILED and enrolment.certificate_number is None
    assert not Competence.objects.filter(person_id=akim_a.person_id).exists()


def test_a_module_already_held_keeps_its_first_completion(catalogue, akim_a) -> None:
    first = complete(make_session(catalogue.courses["foundation"]), akim_a)
    second = complete(make_session(catalogue.courses["procurement"]), akim_a)
    budget = Competence.objects.get(person_id=akim_a.person_id, module__code="budget")
    assert budget.enrolment_id == first.pk
    assert (
        Competence.objects.get(person_id=akim_a.person_id, module__code="procurement").enrolment_id
        == second.pk
    )


@pytest.mark.parametrize(
    ("score", "days_from_today", "message"),
    [(101, 0, "0 to 100"), (-1, 0, "0 to 100"), (80, 1, "future"), (80, -20, "before its session starts")],
)
def test_the_score_and_date_are_checked(catalogue, akim_a, score, days_from_today, message) -> None:
    session = make_session(
        catalogue.courses["foundation"], starts_on=timezone.localdate() - timedelta(days=10)
    )
    enrolment = enrol(session, akim_a)[0]
    with pytest.raises(ApplicationError, match=message):
        services.enrolment_complete(
            enrolment=enrolment,
            score=score,
            completed_on=timezone.localdate() + timedelta(days=days_from_today),
        )


def test_a_result_is_recorded_once(catalogue, akim_a) -> None:
    enrolment = complete(make_session(catalogue.courses["foundation"]), akim_a)
    with pytest.raises(ApplicationError, match="already recorded") as refused:
        services.enrolment_complete(enrolment=enrolment, score=99, completed_on=enrolment.completed_on)
    assert refused.value.code == "duplicate"


def test_results_are_recorded_by_analysts_covering_the_unit(catalogue, akim_a, akim_b, make_user) -> None:
    session = make_session(catalogue.courses["foundation"])
    enrolment_a, enrolment_b = enrol(session, akim_a, akim_b)
    today = timezone.localdate()
    abay_analyst = make_user(Role.ANALYST, akim_a.rural_unit.parent.parent)
    supervisor = make_user(Role.DISTRICT_SUPERVISOR, akim_a.rural_unit.parent)
    with pytest.raises(PermissionDenied):
        services.enrolment_complete(enrolment=enrolment_a, score=90, completed_on=today, actor=supervisor)
    with pytest.raises(PermissionDenied):
        services.enrolment_complete(enrolment=enrolment_b, score=90, completed_on=today, actor=abay_analyst)
    done = services.enrolment_complete(
        enrolment=enrolment_a, score=90, completed_on=today, actor=abay_analyst
    )
    assert done.status == EnrolmentStatus.COMPLETED
