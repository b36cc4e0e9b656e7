from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from esep.elections.models import EndReason
from esep.elections.services import mandate_end
from esep.training import selectors
from tests.elections.factories import make_person, make_sitting_akim
from tests.training.factories import complete, enrol, make_session


def test_the_profile_lists_the_record_the_modules_held_and_the_gaps(catalogue, akim_a) -> None:
    complete(make_session(catalogue.courses["foundation"]), akim_a, score=90)
    complete(make_session(catalogue.courses["leadership"]), akim_a, score=30)
    profile = selectors.akim_profile(akim_a.person_id)
    assert profile.mandate == akim_a
    # Latest session first; the same start day: the later enrolment first.
    assert [e.session.course.code for e in profile.enrolments] == ["leadership", "foundation"]
    assert {c.module.code for c in profile.held} == {"law", "budget"}
    assert [m.code for m in profile.gaps] == ["procurement", "leadership"]
    assert profile.required_count == 4 and profile.held_required == 2


def test_a_first_time_akim_gets_a_recommended_path_opening_with_the_foundation_course(
    catalogue, akim_a
) -> None:
    profile = selectors.akim_profile(akim_a.person_id)
    assert profile.first_time and not profile.no_civil_service and profile.path_recommended
    # After the foundation course two courses close one gap each: the shorter (leadership, 24 h) goes first.
    assert [step.course.code for step in profile.path] == ["foundation", "leadership", "procurement"]
    assert [m.code for m in profile.path[0].closes] == ["law", "budget"]
    assert [m.code for m in profile.path[2].closes] == ["procurement"]


def test_a_returning_akim_with_civil_service_has_no_recommended_path_but_still_sees_courses(
    catalogue, unit_a, unit_a2
) -> None:
    person = make_person(full_name="Бекенов Марат Қайратұлы", civil_service_years=12)
    today = timezone.localdate()
    earlier = make_sitting_akim(unit_a2, person=person, starts_on=today - timedelta(days=3 * 365))
    mandate_end(
        mandate=earlier, reason=EndReason.RESIGNATION, on=today - timedelta(days=2 * 365), note="ауысу"
    )
    make_sitting_akim(unit_a, person=person, starts_on=today - timedelta(days=300))
    profile = selectors.akim_profile(person.pk)
    assert not profile.first_time and not profile.no_civil_service and not profile.path_recommended
    # Without the foundation-first rule the greedy cover picks the widest course first.
    assert profile.path[0].course.code in {"foundation", "procurement"}
    assert {m.code for step in profile.path for m in step.closes} == {
        "law",
        "budget",
        "procurement",
        "leadership",
    }


def test_an_akim_without_civil_service_gets_a_path_even_when_re_elected(catalogue, akim_a) -> None:
    akim_a.person.civil_service_years = 0
    akim_a.person.save(update_fields=["civil_service_years"])
    profile = selectors.akim_profile(akim_a.person_id)
    assert profile.no_civil_service and profile.path_recommended


def test_the_path_shows_an_open_enrolment_and_the_next_session(catalogue, akim_a) -> None:
    upcoming = make_session(
        catalogue.courses["procurement"], starts_on=timezone.localdate() + timedelta(days=5)
    )
    foundation = make_session(catalogue.courses["foundation"])
    enrol(foundation, akim_a)
    profile = selectors.akim_profile(akim_a.person_id)
    steps = {step.course.code: step for step in profile.path}
    assert steps["foundation"].enrolment is not None and steps["procurement"].enrolment is None
    assert steps["procurement"].next_session == upcoming


def test_the_profile_query_count_does_not_grow_with_the_record(catalogue, akim_a) -> None:
    complete(make_session(catalogue.courses["foundation"]), akim_a)
    with CaptureQueriesContext(connection) as few:
        selectors.akim_profile(akim_a.person_id)
    for code in ["procurement", "leadership", "digital"]:
        complete(make_session(catalogue.courses[code]), akim_a, score=40)
    with CaptureQueriesContext(connection) as more:
        selectors.akim_profile(akim_a.person_id)
    assert len(more) == len(few) <= 10
