from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from esep.core.models import Role
from esep.training.models import Enrolment, EnrolmentStatus
from tests.training.factories import complete, enrol, make_session


def test_the_catalogue_lists_courses_with_modules_and_paginates_in_fixed_queries(client, catalogue) -> None:
    make_session(catalogue.courses["foundation"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("training:catalogue"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "foundation en" in body and "law en; budget en" in body
    assert len(queries) <= 5, [q["sql"] for q in queries.captured_queries]


def test_the_course_page_lists_its_sessions_with_counts(client, catalogue, akim_a) -> None:
    session = make_session(catalogue.courses["foundation"])
    complete(session, akim_a)
    response = client.get(reverse("training:course", args=["foundation"]))
    page = list(response.context["page"])
    assert [(s.pk, s.taken, s.completed) for s in page] == [(session.pk, 1, 1)]
    assert client.get(reverse("training:course", args=["nope"])).status_code == 404


def test_the_session_page_lists_participants_in_fixed_queries(
    client, catalogue, akim_a, akim_a2, akim_b
) -> None:
    session = make_session(catalogue.courses["foundation"])
    enrol(session, akim_a)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("training:session", args=[session.pk]))
    enrol(session, akim_a2, akim_b)
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("training:session", args=[session.pk]))
    assert len(response.context["page"]) == 3
    assert len(three) == len(one), [q["sql"] for q in three.captured_queries]


def test_an_analyst_records_a_result_from_the_session_page_and_bad_input_is_a_400(
    client, catalogue, akim_a, make_user
) -> None:
    session = make_session(catalogue.courses["foundation"])
    enrolment = enrol(session, akim_a)[0]
    url = reverse("training:enrolment_complete", args=[enrolment.pk])
    today = timezone.localdate().isoformat()
    client.force_login(make_user(Role.DISTRICT_SUPERVISOR, akim_a.rural_unit.parent))
    assert client.post(url, {"score": 80, "completed_on": today}).status_code == 403
    client.force_login(make_user(Role.ANALYST, None))
    bad = client.post(url, {"score": 180, "completed_on": today})
    assert bad.status_code == 400 and "score" in bad.context["failed_form"].errors
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    refused = client.post(url, {"score": 80, "completed_on": future})
    assert refused.status_code == 400 and "future" in str(refused.context["failed_form"].non_field_errors())
    done = client.post(url, {"score": 80, "completed_on": today})
    assert done.status_code == 302
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.COMPLETED


def test_the_akim_page_shows_the_training_record_and_the_gaps(client, catalogue, akim_a) -> None:
    enrolment = complete(make_session(catalogue.courses["foundation"]), akim_a, score=91)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("training:akim", args=[akim_a.person_id]), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Training record" in body and enrolment.certificate_number in body and ">91<" in body
    assert "Gaps" in body and "procurement en" in body and "leadership en" in body
    assert "Recommended path" in body
    assert len(queries) <= 12, [q["sql"] for q in queries.captured_queries]
    assert client.get(reverse("training:akim", args=[999999])).status_code == 404


def test_the_certificate_is_printable_and_checkable_by_its_number(client, catalogue, akim_a) -> None:
    enrolment = complete(make_session(catalogue.courses["foundation"]), akim_a, score=77)
    response = client.get(reverse("training:certificate", args=[enrolment.certificate_number]))
    body = response.content.decode()
    assert response.status_code == 200
    assert akim_a.person.display_name in body and "foundation en" in body and "77" in body
    assert 'class="no-print"' in body and "print.css" in body
    failed = complete(make_session(catalogue.courses["leadership"]), akim_a, score=10)
    assert failed.certificate_number is None
    assert (
        client.get(reverse("training:certificate", args=["SCHOOL-OF-AKIMS-2020-000001"])).status_code == 404
    )


@pytest.mark.parametrize("name", ["training:course_create", "training:session_create"])
def test_catalogue_forms_are_for_analysts(client, catalogue, make_user, name) -> None:
    url = reverse(name)
    assert client.get(url).status_code == 302
    client.force_login(make_user())
    assert client.get(url).status_code == 403
    client.force_login(make_user(Role.ANALYST, None))
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 400


def test_an_analyst_creates_a_course_and_a_session_through_the_forms(client, catalogue, make_user) -> None:
    client.force_login(make_user(Role.ANALYST, None))
    response = client.post(
        reverse("training:course_create"),
        {
            "code": "regional",
            "provider": catalogue.provider.pk,
            "title_kk": "Өңірлік",
            "title_ru": "Региональное",
            "title_en": "Regional",
            "modules": [catalogue.modules["leadership"].pk],
            "hours": 40,
            "pass_score": 70,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "training:course", args=["regional"]
    )
    today = timezone.localdate()
    response = client.post(
        reverse("training:session_create"),
        {
            "course": "regional",
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat(),
            "place": "Астана",
            "mode": "in_person",
        },
    )
    assert response.status_code == 400 and "ends_on" in response.context["form"].errors
