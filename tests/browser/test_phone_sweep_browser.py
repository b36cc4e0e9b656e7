"""Defects found by the phone-screen and language sweep: pages that were wider than a 390px phone in Kazakh,
buttons the Content-Security-Policy silenced, map controls that spoke English on every page."""

import pytest
from django.test import override_settings
from django.utils import translation
from playwright.sync_api import Page, expect

from esep.appeals.models import Category
from esep.appeals.services import appeal_register
from esep.core.models import Role
from esep.elections.services import person_link_user
from esep.territory.models import Territory
from tests.conftest import PASSWORD, UNIT_A
from tests.elections.factories import make_sitting_akim
from tests.programs.factories import draft_program, reference_data

PHONE_WIDTH = 390


def in_language(page: Page, base: str, language: str) -> None:
    page.context.add_cookies([{"name": "esep_language", "value": language, "url": base}])


def log_in(page: Page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"**{next_url}")


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.usefixtures("territory")
def test_the_recall_list_with_its_filters_fits_a_phone_in_kazakh(live_server, phone_page: Page) -> None:
    in_language(phone_page, live_server.url, "kk")
    phone_page.goto(f"{live_server.url}/recall/")
    expect(phone_page.locator("select#id_state")).to_be_visible()
    assert page_width(phone_page) <= PHONE_WIDTH


@override_settings(ESEP_OFFICIAL_2FA=False, ESEP_RATE_LIMITS=False)
@pytest.mark.usefixtures("territory")
def test_the_program_editor_fits_a_phone_in_kazakh(live_server, phone_page: Page, make_user) -> None:
    unit = Territory.objects.get(kato=UNIT_A)
    reference_data(unit)
    mandate = make_sitting_akim(unit)
    program = draft_program(mandate, promises=1)
    person_link_user(person=mandate.person, user=make_user(username="akim.phone"))
    in_language(phone_page, live_server.url, "kk")
    log_in(phone_page, live_server.url, "akim.phone", f"/programs/{program.pk}/edit/")
    expect(phone_page.locator("textarea#id_summary")).to_be_visible()
    assert page_width(phone_page) <= PHONE_WIDTH


@override_settings(ESEP_OFFICIAL_2FA=False, ESEP_RATE_LIMITS=False)
@pytest.mark.usefixtures("territory")
def test_the_print_button_of_a_request_slip_prints(live_server, page: Page, make_user) -> None:
    unit = Territory.objects.get(kato=UNIT_A)
    resident = make_user(Role.RESIDENT, unit, username="resident.print")
    category = Category.objects.filter(active=True).order_by("position").first()
    appeal = appeal_register(unit=unit, category=category, text="Street lights are off.", resident=resident)
    page.add_init_script("window.print = function () { window.esepPrinted = true; };")
    log_in(page, live_server.url, "resident.print", f"/requests/{appeal.number}/slip/")
    page.locator("button[data-print]").click()
    assert page.evaluate("window.esepPrinted === true"), "the Print button did nothing"


@pytest.mark.usefixtures("territory")
def test_the_region_maps_zoom_buttons_speak_the_pages_language(live_server, page: Page) -> None:
    in_language(page, live_server.url, "kk")
    page.goto(f"{live_server.url}/")
    zoom_in = page.locator("#map .leaflet-control-zoom-in")
    with translation.override("kk"):
        expected = translation.gettext("Zoom in")
    expect(zoom_in).to_have_attribute("title", expected)
    expect(page.locator("#map .leaflet-control-zoom-out")).to_have_attribute(
        "title", page.locator("#map").get_attribute("data-zoom-out") or ""
    )
