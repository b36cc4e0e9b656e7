from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from esep.core.models import Role
from esep.training import services, tick
from esep.training.models import InstructionStatus, ProgressReport
from tests.training.factories import make_body, make_instruction


def test_the_list_flags_overdue_instructions_and_filters_them(client, unit_a, unit_a2) -> None:
    today = timezone.localdate()
    late = make_instruction(
        units=(unit_a,), issued_on=today - timedelta(days=40), deadline=today - timedelta(days=1)
    )
    fine = make_instruction(units=(unit_a2,), deadline=today + timedelta(days=20))
    response = client.get(reverse("training:instructions"), {"overdue": "yes"})
    assert [i.pk for i in response.context["page"]] == [late.pk]
    assert 'class="overdue"' in response.content.decode()
    not_overdue = client.get(reverse("training:instructions"), {"overdue": "no"}).context["page"]
    assert [i.pk for i in not_overdue] == [fine.pk]
    tick.run(now=timezone.now())
    flagged = client.get(reverse("training:instructions"), {"status": "overdue"}).context["page"]
    assert [i.pk for i in flagged] == [late.pk]


def test_the_list_runs_a_fixed_number_of_queries(client, unit_a, unit_a2, unit_b) -> None:
    make_instruction(units=(unit_a,))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("training:instructions"))
    make_instruction(units=(unit_a2, unit_b), bodies=("government",))
    make_instruction(bodies=("acsa",))
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("training:instructions"))
    assert len(response.context["page"]) == 3
    assert len(three) == len(one)


def test_the_instruction_page_shows_reports_status_and_timeline_in_fixed_queries(
    client, unit_a, unit_a2
) -> None:
    today = timezone.localdate()
    instruction = make_instruction(
        units=(unit_a, unit_a2),
        bodies=("government",),
        issued_on=today - timedelta(days=40),
        deadline=today - timedelta(days=1),
    )
    services.report_file(
        assignment=instruction.assignments.get(territory=unit_a), text="Промежуточный отчёт", is_final=False
    )
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("training:instruction", args=[instruction.pk]))
    tick.run(now=timezone.now())
    services.report_file(
        assignment=instruction.assignments.get(territory=unit_a2), text="Итоговый отчёт", is_final=True
    )
    with CaptureQueriesContext(connection) as after:
        response = client.get(
            reverse("training:instruction", args=[instruction.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    body = response.content.decode()
    assert "Промежуточный отчёт" in body and "Итоговый отчёт" in body
    assert "overdue: escalated" in body and "escalated" in body
    kinds = [event.kind for event in response.context["timeline"]]
    assert kinds[0] == "issued" and "deadline" in kinds and kinds.count("notification") == 3
    assert len(after) == len(before) <= 8, [q["sql"] for q in after.captured_queries]


def test_report_forms_for_the_akim_the_colleague_and_the_outsider(client, unit_a, unit_a2, make_user) -> None:
    instruction = make_instruction(units=(unit_a,))
    assignment = instruction.assignments.get()
    url = reverse("training:report_create", args=[assignment.pk])
    client.force_login(make_user(Role.AKIM, unit_a2))  # a colleague in the same district
    assert client.post(url, {"text": "Не моё"}).status_code == 403
    client.force_login(make_user(Role.RESIDENT, unit_a))  # an outsider to instructions
    assert client.post(url, {"text": "Житель"}).status_code == 403
    akim = make_user(Role.AKIM, unit_a)
    client.force_login(akim)
    page = client.get(reverse("training:instruction", args=[instruction.pk])).content.decode()
    assert url in page
    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "Выполнено", "is_final": "on"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == InstructionStatus.REPORTED
    report = ProgressReport.objects.get(assignment=assignment)
    review = reverse("training:report_review", args=[report.pk])
    assert client.post(review, {"decision": "accept"}).status_code == 403
    client.force_login(make_user(Role.ANALYST, None))
    assert client.post(review, {"decision": "return", "note": ""}).status_code == 400
    assert client.post(review, {"decision": "accept"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == InstructionStatus.ACCEPTED


def test_an_analyst_issues_an_instruction_within_a_month_from_the_form(client, unit_a, make_user) -> None:
    make_body("government")
    client.force_login(make_user(Role.ANALYST, None))
    data = {
        "number": "2026/1",
        "issuer": "government",
        "title_ru": "Поручение",
        "title_kk": "Тапсырма",
        "title_en": "Instruction",
        "text_ru": "Текст",
        "issued_on": "2025-11-28",
        "within_month": "on",
        "akim_units": f"{unit_a.kato}\n",
    }
    missing = client.post(reverse("training:instruction_create"), {**data, "within_month": ""})
    assert missing.status_code == 400 and "deadline" in missing.context["form"].errors
    bad_units = client.post(reverse("training:instruction_create"), {**data, "akim_units": "101010000 12"})
    assert bad_units.status_code == 400 and "akim_units" in bad_units.context["form"].errors
    response = client.post(reverse("training:instruction_create"), data)
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert detail.context["instruction"].deadline.isoformat() == "2025-12-29"


def test_notifications_reach_the_roles_and_territories_they_are_addressed_to(
    client, unit_a, unit_b, make_user
) -> None:
    today = timezone.localdate()
    make_instruction(
        units=(unit_a, unit_b), issued_on=today - timedelta(days=40), deadline=today - timedelta(days=1)
    )
    tick.run(now=timezone.now())
    url = reverse("training:notifications")
    client.force_login(make_user(Role.DISTRICT_SUPERVISOR, unit_a.parent))
    with CaptureQueriesContext(connection) as queries:
        mine = list(client.get(url).context["page"])
    assert len(queries) <= 6, [q["sql"] for q in queries.captured_queries]
    assert [n.assignment.territory.kato for n in mine] == [unit_a.kato]
    client.force_login(make_user(Role.AKIM, unit_a))
    assert list(client.get(url).context["page"]) == []  # the escalation goes above the akim
    client.force_login(make_user(Role.ADMINISTRATOR, None))  # no escalation is addressed to administrators
    assert list(client.get(url).context["page"]) == []
    client.logout()
    assert client.get(url).status_code == 302
