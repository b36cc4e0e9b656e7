from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.core.models import Role
from esep.territory.models import Territory
from esep.training import services
from tests.training.factories import make_session


def test_a_course_is_created_with_its_modules_and_audited(catalogue) -> None:
    course = catalogue.courses["procurement"]
    assert {m.code for m in course.modules.all()} == {"procurement", "budget"}
    event = AuditEvent.objects.filter(action="training.course_create", subject_id=str(course.pk)).get()
    assert event.data["modules"] == ["budget", "procurement"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"modules": []}, "at least one module"),
        ({"hours": 0}, "at least one academic hour"),
        ({"pass_score": 101}, "pass score"),
        ({"code": "foundation"}, "exists"),
    ],
)
def test_a_course_needs_modules_hours_a_sane_pass_score_and_a_new_code(catalogue, changes, message) -> None:
    values = {
        "code": "new-course",
        "provider": catalogue.provider,
        "title_kk": "a",
        "title_ru": "a",
        "title_en": "a",
        "modules": [catalogue.modules["law"]],
        "hours": 10,
    }
    values.update(changes)
    with pytest.raises(ApplicationError, match=message):
        services.course_create(**values)


def test_only_nationwide_analysts_and_administrators_edit_the_catalogue(catalogue, make_user) -> None:
    region = Territory.objects.get(kato="100000000")
    values = {"code": "x", "kind": "other", "name_kk": "x", "name_ru": "x", "name_en": "x"}
    with pytest.raises(PermissionDenied):
        services.provider_create(actor=make_user(Role.ANALYST, region), **values)
    with pytest.raises(PermissionDenied):
        services.provider_create(actor=make_user(Role.REGION_SUPERVISOR, region), **values)
    assert services.provider_create(actor=make_user(Role.ANALYST, None), **values).code == "x"


def test_a_session_has_sane_dates_a_region_and_seats(catalogue) -> None:
    course = catalogue.courses["foundation"]
    today = timezone.localdate()
    with pytest.raises(ApplicationError, match="end before it starts"):
        make_session(course, starts_on=today, ends_on=today - timedelta(days=1))
    with pytest.raises(ApplicationError, match="at most a year"):
        make_session(course, starts_on=today, ends_on=today + timedelta(days=400))
    with pytest.raises(ApplicationError, match="region"):
        make_session(course, region=Territory.objects.get(kato="103200000"))
    with pytest.raises(ApplicationError, match="at least one seat"):
        make_session(course, capacity=0)
    session = make_session(course, region=Territory.objects.get(kato="100000000"), capacity=30)
    assert session.capacity == 30 and session.region.kato == "100000000"


def test_a_region_analyst_schedules_sessions_in_their_region_only(catalogue, make_user) -> None:
    abay, akmola = Territory.objects.get(kato="100000000"), Territory.objects.get(kato="110000000")
    analyst = make_user(Role.ANALYST, abay)
    course = catalogue.courses["foundation"]
    today = timezone.localdate()
    kwargs = {"course": course, "starts_on": today, "ends_on": today, "place": "Семей"}
    assert services.session_create(actor=analyst, region=abay, **kwargs).region == abay
    with pytest.raises(PermissionDenied):
        services.session_create(actor=analyst, region=akmola, **kwargs)
    with pytest.raises(PermissionDenied):
        services.session_create(actor=analyst, region=None, **kwargs)
