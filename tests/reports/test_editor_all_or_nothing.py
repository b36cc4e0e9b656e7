"""Regressions found by tests/security/test_bad_input_posts.py: the editor saved the meeting details, then the
budget was refused (an item listed twice), and the update page saved a promise update, then refused its file
(a script named photo.jpg); both answered 400 with the first part already written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from esep.core.audit.models import AuditEvent
from esep.reports.models import BudgetLine, Evidence, Report, ReportUpdate
from esep.reports.services import active_promises, report_start
from tests.reports.factories import program_of


@pytest.mark.django_db
def test_a_refused_budget_leaves_the_meeting_details_unsaved(client, mandate, akim) -> None:
    draft = report_start(mandate=mandate, actor=akim)
    events = AuditEvent.objects.count()
    client.force_login(akim)
    response = client.post(
        f"/reports/{draft.pk}/edit/",
        {
            "meeting_on": draft.period_start.isoformat(),
            "meeting_place": "Клуб",
            "attendance": "41",
            "summary": "Итоги полугодия.",
            "budget-TOTAL_FORMS": "2",
            "budget-INITIAL_FORMS": "0",
            "budget-0-line": "revenue:income_tax",
            "budget-0-planned_kzt": "1000",
            "budget-0-actual_kzt": "900",
            "budget-1-line": "revenue:income_tax",
            "budget-1-planned_kzt": "5",
            "budget-1-actual_kzt": "5",
        },
    )
    assert response.status_code == 400
    assert "this item is listed twice" in response.content.decode()
    draft = Report.private_objects.get(pk=draft.pk)
    assert (draft.meeting_place, draft.attendance, draft.summary) == ("", None, "")
    assert not BudgetLine.objects.filter(report=draft).exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_refused_evidence_file_leaves_the_promise_update_unsaved(client, mandate, akim) -> None:
    draft = report_start(mandate=mandate, actor=akim)
    promise = active_promises(program_of(mandate))[0]
    events = AuditEvent.objects.count()
    client.force_login(akim)
    response = client.post(
        f"/reports/{draft.pk}/promise/{promise.pk}/",
        {
            "status": "in_progress",
            "progress": "40",
            "narrative": "Работы идут.",
            "files": [
                SimpleUploadedFile("photo.jpg", b"<?php system($_GET[1]); ?>", content_type="image/jpeg")
            ],
        },
    )
    assert response.status_code == 400
    assert not ReportUpdate.objects.filter(report=draft).exists()
    assert not Evidence.objects.exists()
    assert AuditEvent.objects.count() == events
