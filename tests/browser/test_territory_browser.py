"""A visitor opens Esep, switches to Kazakh, finds a rural okrug and opens it; the region map loads."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import UNIT_A


@pytest.mark.usefixtures("territory")
def test_home_kazakh_search_open_unit_and_map(live_server, page: Page) -> None:
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "20", timeout=15_000)
    assert page.locator("#map path.leaflet-interactive").count() == 20

    page.get_by_role("button", name="KK").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Қазақстанның ауыл әкімдері")

    page.locator("#site-search").fill("Қараауыл")
    page.locator("form.search button").click()
    result = page.locator(f".search-results a[href='/t/{UNIT_A}/']")
    expect(result).to_be_visible()
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Қараауыл а.о.")
    expect(page.locator("nav.breadcrumbs")).to_contain_text("Абай облысы")

    # Clicking a region on the map opens it.
    page.goto(live_server.url + "/")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "20", timeout=15_000)
    page.locator("#map path.leaflet-interactive").first.click(force=True)
    page.wait_for_url("**/t/*/")
    assert page.url.rstrip("/").endswith("0000000")


@pytest.mark.usefixtures("territory")
def test_the_unit_page_fits_a_phone_screen(live_server, phone_page: Page) -> None:
    phone_page.goto(f"{live_server.url}/t/{UNIT_A}/")
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone: {width}px"
