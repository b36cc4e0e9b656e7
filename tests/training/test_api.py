import json
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from esep.core.models import Role
from esep.training import services
from esep.training.models import Enrolment, EnrolmentStatus, InstructionStatus
from tests.training.factories import complete, enrol, make_category, make_instruction, make_session


def post(client, url: str, payload: dict):
    return client.post(url, json.dumps(payload), content_type="application/json")


def test_courses_modules_and_sessions_are_open_data(client, catalogue) -> None:
    session = make_session(catalogue.courses["foundation"], capacity=20)
    courses = client.get("/api/v1/training/courses").json()
    assert courses["count"] == 4
    foundation = next(c for c in courses["items"] if c["code"] == "foundation")
    assert foundation["modules"] == ["law", "budget"] and foundation["is_foundation"] is True
    assert [m["code"] for m in client.get("/api/v1/training/modules").json()][:2] == ["law", "budget"]
    sessions = client.get("/api/v1/training/sessions", {"course": "foundation"}).json()["items"]
    assert [(s["id"], s["enrolled"], s["capacity"]) for s in sessions] == [(session.pk, 0, 20)]
    assert client.get("/api/v1/training/courses/nope").json()["error"]["code"] == "not_found"
    bad = client.get("/api/v1/training/sessions", {"region": "12"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_input"


def test_the_sessions_list_runs_a_fixed_number_of_queries(client, catalogue) -> None:
    for _n in range(3):
        make_session(catalogue.courses["foundation"])
    with CaptureQueriesContext(connection) as queries:
        items = client.get("/api/v1/training/sessions").json()["items"]
    assert len(items) == 3 and len(queries) <= 2


def test_enrolments_are_listed_only_within_the_callers_territory(
    client, catalogue, akim_a, akim_b, make_user
) -> None:
    session = make_session(catalogue.courses["foundation"])
    enrol(session, akim_a, akim_b)
    assert client.get("/api/v1/training/enrolments").status_code == 401
    client.force_login(make_user(Role.AKIM, akim_a.rural_unit))
    assert client.get("/api/v1/training/enrolments").json()["error"]["code"] == "forbidden"
    client.force_login(make_user(Role.DISTRICT_SUPERVISOR, akim_a.rural_unit.parent))
    items = client.get("/api/v1/training/enrolments").json()["items"]
    assert [i["rural_unit"] for i in items] == [akim_a.rural_unit.kato]
    client.force_login(make_user(Role.ADMINISTRATOR, None))
    assert client.get("/api/v1/training/enrolments").json()["count"] == 2


def test_a_supervisor_enrols_by_unit_codes_and_errors_come_back_as_json(
    client, catalogue, akim_a, akim_a2, akim_b, make_user
) -> None:
    session = make_session(catalogue.courses["foundation"])
    client.force_login(make_user(Role.DISTRICT_SUPERVISOR, akim_a.rural_unit.parent))
    codes = [akim_a.rural_unit.kato, akim_a2.rural_unit.kato]
    done = post(client, "/api/v1/training/enrolments", {"session": session.pk, "units": codes})
    assert done.status_code == 200 and len(done.json()["enrolled"]) == 2
    again = post(client, "/api/v1/training/enrolments", {"session": session.pk, "units": codes[:1]}).json()
    assert again == {"enrolled": [], "already_enrolled": 1, "already_completed": 0}
    outside = post(
        client, "/api/v1/training/enrolments", {"session": session.pk, "units": [akim_b.rural_unit.kato]}
    )
    assert outside.status_code == 403 and outside.json()["error"]["code"] == "forbidden"
    vacant = post(client, "/api/v1/training/enrolments", {"session": session.pk, "units": ["101010000"]})
    assert vacant.status_code == 400 and vacant.json()["error"]["units"] == ["101010000"]
    empty = post(client, "/api/v1/training/enrolments", {"session": session.pk, "units": []})
    assert empty.status_code == 400
    assert post(client, "/api/v1/training/enrolments", {"session": 99999, "units": codes}).status_code == 404


def test_an_analyst_records_a_result_through_the_api(client, catalogue, akim_a, make_user) -> None:
    enrolment = enrol(make_session(catalogue.courses["foundation"]), akim_a)[0]
    url = f"/api/v1/training/enrolments/{enrolment.pk}/result"
    today = timezone.localdate().isoformat()
    client.force_login(make_user(Role.DISTRICT_SUPERVISOR, akim_a.rural_unit.parent))
    assert post(client, url, {"score": 90, "completed_on": today}).status_code == 403
    client.force_login(make_user(Role.ANALYST, None))
    assert post(client, url, {"score": 190, "completed_on": today}).status_code == 400
    body = post(client, url, {"score": 90, "completed_on": today}).json()
    assert body["status"] == EnrolmentStatus.COMPLETED and body["certificate_number"]
    again = post(client, url, {"score": 90, "completed_on": today})
    assert again.status_code == 400 and again.json()["error"]["code"] == "duplicate"
    assert Enrolment.objects.get(pk=enrolment.pk).score == 90


def test_the_competence_profile_gives_record_gaps_and_path(client, catalogue, akim_a) -> None:
    complete(make_session(catalogue.courses["foundation"]), akim_a)
    profile = client.get(f"/api/v1/training/akims/{akim_a.person_id}").json()
    assert profile["rural_unit"] == akim_a.rural_unit.kato and profile["first_time"] is True
    assert [h["module"] for h in profile["held"]] == ["law", "budget"]
    assert profile["gaps"] == ["procurement", "leadership"]
    assert [step["course"] for step in profile["path"]] == ["leadership", "procurement"]
    assert profile["enrolments"][0]["status"] == "completed"
    assert client.get("/api/v1/training/akims/999999").status_code == 404


def test_instructions_filter_by_status_and_overdue_and_carry_their_assignees(client, unit_a, unit_a2) -> None:
    today = timezone.localdate()
    late = make_instruction(
        units=(unit_a,),
        bodies=("government",),
        issued_on=today - timedelta(days=40),
        deadline=today - timedelta(days=1),
    )
    make_instruction(units=(unit_a2,), deadline=today + timedelta(days=9))
    overdue = client.get("/api/v1/training/instructions", {"overdue": "true"}).json()
    assert [i["number"] for i in overdue["items"]] == [late.number]
    assert client.get("/api/v1/training/instructions", {"status": "accepted"}).json()["count"] == 0
    by_territory = client.get("/api/v1/training/instructions", {"territory": "103200000"}).json()
    assert by_territory["count"] == 2
    detail = client.get(f"/api/v1/training/instructions/{late.pk}").json()
    assert {(a["kind"], a["body"], a["territory"]) for a in detail["assignees"]} == {
        ("akim", None, unit_a.kato),
        ("body", "government", None),
    }
    assert client.get("/api/v1/training/instructions", {"status": "lost"}).status_code == 400


def test_reports_are_filed_and_reviewed_through_the_api(client, unit_a, make_user) -> None:
    instruction = make_instruction(units=(unit_a,))
    assignee = instruction.assignments.get()
    url = f"/api/v1/training/assignees/{assignee.pk}/reports"
    client.force_login(make_user(Role.AKIM, unit_a))
    assert post(client, url, {"text": ""}).status_code == 400
    report = post(client, url, {"text": "Сделано", "is_final": True}).json()
    assert report["is_final"] is True and report["decision"] == ""
    reports = client.get(f"/api/v1/training/instructions/{instruction.pk}/reports").json()
    assert [r["id"] for r in reports] == [report["id"]]
    review = f"/api/v1/training/reports/{report['id']}/review"
    assert post(client, review, {"accept": True}).status_code == 403
    client.force_login(make_user(Role.ANALYST, None))
    assert (
        post(client, review, {"accept": False}).json()["error"]["message"]
        == "Say why the report is returned."
    )
    assert post(client, review, {"accept": True}).json()["decision"] == "accepted"
    assignee.refresh_from_db()
    assert assignee.status == InstructionStatus.ACCEPTED


def test_the_staff_summary_counts_posts(client, unit_a) -> None:
    category = make_category("E-G-3")
    services.staff_position_create(
        unit=unit_a, kind="chief_specialist", category=category, on=date(2024, 1, 1)
    )
    summary = client.get("/api/v1/training/staff", {"territory": "100000000"}).json()
    assert (summary["positions"], summary["filled"], summary["vacant"]) == (1, 0, 1)
    assert summary["by_category"][0]["category"] == "E-G-3"
    assert client.get("/api/v1/training/staff", {"territory": "103230100"}).status_code == 400
