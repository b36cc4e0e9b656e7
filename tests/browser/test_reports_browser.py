"""An akim publishes a report with a photo; a resident rates it and disagrees with one update; the akim's
page shows the new average. The report page fits a phone and prints without the site's chrome."""

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from esep.accounts.services import role_assign, user_create
from esep.core.models import Role
from esep.elections.services import person_link_user
from esep.reports.models import ReportUpdate
from esep.territory.models import Territory
from tests.conftest import PASSWORD, UNIT_A
from tests.programs.factories import reference_data
from tests.reports.factories import akim_with_program

AVERAGE_FOUR = re.compile(r"^4[.,]0$")


def log_in(page: Page, base: str, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"**{next_url}")


@pytest.fixture
def setup(territory, settings, tmp_path) -> dict:
    settings.MEDIA_ROOT = tmp_path / "media"
    unit = Territory.objects.get(kato=UNIT_A)
    reference_data(unit)
    mandate = akim_with_program(unit, due_in_days=10, promises=2)
    akim = user_create(username="akim.browser", password=PASSWORD, check_password=False)
    person_link_user(person=mandate.person, user=akim)
    resident = user_create(username="resident.browser", password=PASSWORD, check_password=False)
    role_assign(user=resident, role=Role.RESIDENT, territory=unit)
    photo = tmp_path / "road.png"
    Image.new("RGB", (320, 200), "#3a7").save(photo)
    return {"photo": photo, "unit": unit}


@override_settings(ESEP_OFFICIAL_2FA=False, ESEP_RATE_LIMITS=False)
def test_akim_publishes_resident_rates_and_disagrees_akims_page_shows_the_average(
    live_server, page: Page, phone_page: Page, setup: dict
) -> None:
    base = live_server.url
    history = f"/reports/unit/{UNIT_A}/"

    # The akim starts the report, fills in the meeting and the budget.
    log_in(page, base, "akim.browser", history)
    page.locator(f"form[action='/reports/unit/{UNIT_A}/start/'] button").click()
    page.wait_for_url(re.compile(r".*/reports/\d+/edit/$"))
    editor_url = page.url
    page.locator("#id_meeting_on").fill(_yesterday())
    page.locator("#id_meeting_place").fill("Дом культуры")
    page.locator("#id_attendance").fill("57")
    page.locator("#id_summary").fill("Итоги полугодия: дороги и освещение.")
    page.locator("#id_budget-0-line").select_option("revenue:income_tax")
    page.locator("#id_budget-0-planned_kzt").fill("12000000")
    page.locator("#id_budget-0-actual_kzt").fill("11000000")
    page.locator("#id_budget-1-line").select_option("expense:roads")
    page.locator("#id_budget-1-planned_kzt").fill("8000000")
    page.locator("#id_budget-1-actual_kzt").fill("7500000")
    page.locator("form.report-editor button[type=submit]").click()
    page.wait_for_url(editor_url)

    # Publishing is refused while a promise has no update.
    page.locator("form.publish-form button").click()
    expect(page.locator("#publish-error")).to_be_visible()
    expect(page.locator("ul.report-promises li.is-missing")).to_have_count(2)

    # One update per promise; the first with a photo.
    for index in range(2):
        page.goto(editor_url)
        page.locator("ul.report-promises li.missing a").first.click()
        page.locator("#id_status").select_option("in_progress")
        page.locator("#id_progress").fill(str(30 + index * 20))
        page.locator("#id_narrative").fill(f"Работы идут, этап {index + 1}.")
        if index == 0:
            page.locator("#id_files").set_input_files(str(setup["photo"]))
        page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/reports/\d+/edit/(#.*)?$"))
    expect(page.locator("ul.report-promises li.missing")).to_have_count(0)
    page.locator("form.publish-form button").click()
    page.wait_for_url(re.compile(r".*/reports/\d+/$"))
    report_url = page.url
    expect(page.locator("ul.evidence img")).to_have_count(1)

    # A resident of the unit rates it 4 and disagrees with the second update (htmx, no page load).
    log_in(page, base, "resident.browser", report_url.removeprefix(base))
    page.locator("input[name=stars][value='4']").check()
    page.locator(".rating-form button[type=submit]").click()
    expect(page.locator("[data-testid=report-average]")).to_have_text(AVERAGE_FOUR)
    second = page.locator(".verdict-box").nth(1)
    second.locator("button[value=disagree]").click()
    expect(page.locator(".verdict-box").nth(1).locator("button[value=disagree]")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert list(ReportUpdate.objects.order_by("promise__order").values_list("disagree_count", flat=True)) == [
        0,
        1,
    ]

    # The akim's pages show the new average.
    page.goto(f"{base}{history}")
    expect(page.locator("[data-testid=average-rating]")).to_have_text(AVERAGE_FOUR)
    page.goto(f"{base}/t/{UNIT_A}/")
    expect(page.locator("[data-testid=unit-average-rating]")).to_have_text(AVERAGE_FOUR)

    # The report prints as a document and fits a phone screen.
    page.goto(report_url)
    page.emulate_media(media="print")
    expect(page.locator("header.site")).to_be_hidden()
    expect(page.locator(".rating-form")).to_be_hidden()
    expect(page.locator(".print-only")).to_be_visible()
    phone_page.goto(report_url)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the report scrolls sideways on a phone: {width}px"
    phone_page.goto(f"{base}{history}")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


def _yesterday() -> str:
    return (timezone.localdate() - timedelta(days=1)).isoformat()
