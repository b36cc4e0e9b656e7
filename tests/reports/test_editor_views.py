"""The editor pages: only the akim and the akimat staff of the unit write; publishing through the page is
refused with the list of missing updates; a photo upload becomes evidence."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from esep.reports.models import BudgetLine, Evidence, Report, ReportStatus
from esep.reports.services import active_promises, report_start
from tests.reports.factories import fill_report, program_of


@pytest.fixture
def draft(mandate, akim) -> Report:
    return report_start(mandate=mandate, actor=akim)


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 9), "green").save(buffer, format="PNG")
    return SimpleUploadedFile("work.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_owner_and_colleague_edit_and_outsiders_do_not(
    client, draft, akim, staff, resident, outsider_akim
) -> None:
    url = f"/reports/{draft.pk}/edit/"
    assert client.get(url).status_code == 302  # to the login page
    for user, status in ((akim, 200), (staff, 200), (resident, 403), (outsider_akim, 403)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(outsider_akim)
    assert client.get(f"/reports/{draft.pk}/").status_code == 404  # a draft is not shown to others


@pytest.mark.django_db
def test_starting_a_report_from_the_history_page(client, mandate, akim) -> None:
    client.force_login(akim)
    page = client.get(f"/reports/unit/{mandate.rural_unit.kato}/").content.decode()
    assert "Write the next report" in page
    response = client.post(f"/reports/unit/{mandate.rural_unit.kato}/start/")
    report = Report.private_objects.get(mandate=mandate)
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/edit/"


@pytest.mark.django_db
def test_the_editor_saves_the_meeting_and_the_budget(client, draft, akim) -> None:
    client.force_login(akim)
    data = {
        "meeting_on": draft.period_start.isoformat(),
        "meeting_place": "Клуб",
        "broadcast_url": "https://example.org/live",
        "attendance": "41",
        "summary": "Итоги полугодия.",
        "budget-TOTAL_FORMS": "3",
        "budget-INITIAL_FORMS": "0",
        "budget-0-line": "revenue:income_tax",
        "budget-0-planned_kzt": "1000",
        "budget-0-actual_kzt": "900",
        "budget-1-line": "expense:roads",
        "budget-1-planned_kzt": "800",
        "budget-1-actual_kzt": "750",
        "budget-2-line": "",
    }
    response = client.post(f"/reports/{draft.pk}/edit/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.meeting_place, draft.attendance) == ("Клуб", 41)
    assert sorted(BudgetLine.objects.values_list("item", "actual_kzt")) == [
        ("income_tax", 900),
        ("roads", 750),
    ]


@pytest.mark.django_db
def test_bad_input_in_the_editor_is_a_400_with_the_field_errors(client, draft, akim) -> None:
    client.force_login(akim)
    data = {
        "meeting_on": "not a date",
        "attendance": "-3",
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-0-line": "revenue:income_tax",
        "budget-0-planned_kzt": "",
        "budget-0-actual_kzt": "5",
    }
    response = client.post(f"/reports/{draft.pk}/edit/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid date." in page and "Give both amounts of the line" in page
    assert not BudgetLine.objects.exists()


@pytest.mark.django_db
def test_publishing_with_a_missing_update_is_refused_on_the_page(client, draft, akim) -> None:
    fill_report(draft, actor=akim)
    missing = active_promises(program_of(draft.mandate))[-1]
    draft.updates.filter(promise=missing).delete()
    client.force_login(akim)
    response = client.post(f"/reports/{draft.pk}/publish/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be published yet" in page and missing.title in page and "is-missing" in page
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


@pytest.mark.django_db
def test_an_update_with_a_photo_is_saved_and_the_report_published(client, draft, akim) -> None:
    fill_report(draft, actor=akim)
    promise = active_promises(program_of(draft.mandate))[1]
    client.force_login(akim)
    url = f"/reports/{draft.pk}/promise/{promise.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "status": "in_progress",
            "progress": "55",
            "spent_kzt": "",
            "narrative": "Поставили опоры.",
            "files": [png()],
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.update.promise == promise and evidence.kind == "photo"
    response = client.post(f"/reports/{draft.pk}/publish/")
    assert response.status_code == 302
    page = client.get(f"/reports/{draft.pk}/").content.decode()
    assert f"/reports/evidence/{evidence.pk}/" in page and "Поставили опоры." in page


@pytest.mark.django_db
def test_an_update_form_without_a_status_is_a_400(client, draft, akim) -> None:
    promise = active_promises(program_of(draft.mandate))[0]
    client.force_login(akim)
    response = client.post(f"/reports/{draft.pk}/promise/{promise.pk}/", {"narrative": "Текст."})
    assert response.status_code == 400
    assert "Choose the new status, or tick no change." in response.content.decode()


@pytest.mark.django_db
def test_an_erratum_through_the_page(client, draft, akim, staff) -> None:
    from esep.reports.services import report_publish

    report_publish(report=fill_report(draft, actor=akim), actor=akim)
    client.force_login(staff)
    response = client.post(
        f"/reports/{draft.pk}/erratum/", {"text": "Сумма по дорогам: 18,3 млн, а не 18,2."}
    )
    assert response.status_code == 302
    page = client.get(f"/reports/{draft.pk}/").content.decode()
    assert "Errata" in page and "18,3 млн" in page
    assert client.post(f"/reports/{draft.pk}/erratum/", {"text": "short"}).status_code == 400
