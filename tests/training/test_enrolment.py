from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.core.models import Role
from esep.elections.models import EndReason
from esep.elections.services import mandate_end
from esep.training import services
from esep.training.models import Enrolment, EnrolmentStatus
from tests.training.factories import complete, make_session


def test_a_supervisor_enrols_the_akims_of_their_district_in_one_audited_batch(
    catalogue, akim_a, akim_a2, make_user
) -> None:
    supervisor = make_user(Role.DISTRICT_SUPERVISOR, akim_a.rural_unit.parent)
    session = make_session(catalogue.courses["foundation"])
    result = services.enrolment_bulk_create(session=session, mandates=[akim_a, akim_a2], actor=supervisor)
    assert {e.person_id for e in result.enrolled} == {akim_a.person_id, akim_a2.person_id}
    rows = Enrolment.objects.filter(session=session)
    assert {e.rural_unit_id for e in rows} == {akim_a.rural_unit_id, akim_a2.rural_unit_id}
    assert all(e.enrolled_by == supervisor and e.status == EnrolmentStatus.ENROLLED for e in rows)
    event = AuditEvent.objects.filter(action="training.enrol").get()
    assert event.data["persons"] == sorted([akim_a.person_id, akim_a2.person_id])


def test_one_akim_outside_the_supervisors_territory_refuses_the_whole_batch(
    catalogue, akim_a, akim_b, make_user
) -> None:
    supervisor = make_user(Role.DISTRICT_SUPERVISOR, akim_a.rural_unit.parent)
    session = make_session(catalogue.courses["foundation"])
    with pytest.raises(PermissionDenied):
        services.enrolment_bulk_create(session=session, mandates=[akim_a, akim_b], actor=supervisor)
    assert not Enrolment.objects.filter(session=session).exists()
    regional = make_user(Role.REGION_SUPERVISOR, akim_b.rural_unit.parent.parent)
    with pytest.raises(PermissionDenied):
        services.enrolment_bulk_create(session=session, mandates=[akim_a], actor=regional)
    assert services.enrolment_bulk_create(session=session, mandates=[akim_b], actor=regional).enrolled


def test_those_already_enrolled_or_through_the_course_are_skipped_and_counted(
    catalogue, akim_a, akim_a2
) -> None:
    course = catalogue.courses["foundation"]
    first = make_session(course)
    complete(first, akim_a)
    second = make_session(course)
    services.enrolment_bulk_create(session=second, mandates=[akim_a2])
    result = services.enrolment_bulk_create(session=second, mandates=[akim_a, akim_a2])
    assert result.enrolled == [] and result.already_enrolled == 1 and result.already_completed == 1


def test_seats_are_counted_and_a_batch_too_big_is_refused(catalogue, akim_a, akim_a2, akim_b) -> None:
    session = make_session(catalogue.courses["foundation"], capacity=2)
    services.enrolment_bulk_create(session=session, mandates=[akim_a])
    with pytest.raises(ApplicationError, match="Only 1 seats are left") as refused:
        services.enrolment_bulk_create(session=session, mandates=[akim_a2, akim_b])
    assert refused.value.code == "no_seats"
    assert Enrolment.objects.filter(session=session).count() == 1


def test_no_enrolment_in_a_session_that_has_ended_nor_of_an_akim_no_longer_in_office(
    catalogue, akim_a, akim_a2
) -> None:
    today = timezone.localdate()
    course = catalogue.courses["foundation"]
    past = make_session(course, starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=1))
    with pytest.raises(ApplicationError, match="has ended"):
        services.enrolment_bulk_create(session=past, mandates=[akim_a])
    ended = mandate_end(
        mandate=akim_a2, reason=EndReason.RESIGNATION, on=today, note="по собственному желанию"
    )
    with pytest.raises(ApplicationError, match="Only sitting akims"):
        services.enrolment_bulk_create(session=make_session(course), mandates=[ended])
    with pytest.raises(ApplicationError, match="at least one akim"):
        services.enrolment_bulk_create(session=make_session(course), mandates=[])


def test_a_withdrawn_akim_can_be_enrolled_again_but_a_result_cannot_be_withdrawn(
    catalogue, akim_a, make_user
) -> None:
    supervisor = make_user(Role.DISTRICT_SUPERVISOR, akim_a.rural_unit.parent)
    outsider = make_user(
        Role.DISTRICT_SUPERVISOR,
        akim_a.rural_unit.parent.parent.children.exclude(pk=akim_a.rural_unit.parent_id).first(),
    )
    session = make_session(catalogue.courses["foundation"])
    enrolment = services.enrolment_bulk_create(session=session, mandates=[akim_a]).enrolled[0]
    with pytest.raises(PermissionDenied):
        services.enrolment_withdraw(enrolment=enrolment, actor=outsider)
    services.enrolment_withdraw(enrolment=enrolment, actor=supervisor)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    again = services.enrolment_bulk_create(session=session, mandates=[akim_a], actor=supervisor)
    assert [e.pk for e in again.enrolled] == [enrolment.pk]
    done = complete(session, akim_a)
    with pytest.raises(ApplicationError, match="without a result"):
        services.enrolment_withdraw(enrolment=done)
