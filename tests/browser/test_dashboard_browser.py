"""The dashboard in a browser: the map of regions in the picked indicator's colours with its legend, another
indicator recolours it, a click on a region opens that region's dashboard with its districts, and the page
fits a phone without sideways scrolling."""

import pytest
from playwright.sync_api import Page, expect

from esep.powers.models import Power
from esep.powers.seed import seed_powers
from esep.programs.services import promise_record_update
from esep.territory.models import Territory
from tests.conftest import UNIT_A
from tests.elections.factories import make_sitting_akim
from tests.programs.factories import published_program, reference_data

ABAY = "100000000"
AKMOLA = "110000000"


def _world() -> None:
    """Two akims with programs: Abay's keeps one of four promises, Akmola's none of two."""
    seed_powers(Power)  # an earlier live-server test's flush removed what the migration loaded
    unit_a = Territory.objects.get(kato=UNIT_A)
    unit_b = Territory.objects.elected_units().filter(kato__startswith="11").order_by("kato").first()
    reference_data(unit_a, unit_b)
    program = published_program(make_sitting_akim(unit_a), promises=4)
    promise_record_update(
        promise=program.promises.get(local_id="P1"),
        status="kept",
        progress=100,
        spent_kzt=None,
        narrative="Done.",
        actor=None,
        source="tests",
    )
    published_program(make_sitting_akim(unit_b), promises=2)


def fills(page: Page) -> dict[str, str]:
    return page.eval_on_selector_all(
        "#dashboard-map path[data-kato]",
        "paths => Object.fromEntries(paths.map(p => [p.dataset.kato, p.getAttribute('fill')]))",
    )


@pytest.mark.usefixtures("territory")
def test_the_map_recolours_by_indicator_and_drills_down_to_a_region(live_server, page: Page) -> None:
    _world()
    page.goto(f"{live_server.url}/dashboard/?indicator=promises_kept")
    expect(page.locator("#dashboard-map")).to_have_attribute("data-loaded", "20", timeout=15_000)
    kept = fills(page)
    assert len(kept) == 20
    assert kept[ABAY] != kept[AKMOLA]  # 25% kept against 0%
    assert kept["750000000"] == "#d9d9d9"  # Almaty city: no akims, no data
    legend = page.locator("#map-legend li")
    expect(legend).to_have_count(3)  # two classes and "no data"
    expect(page.locator("#map-legend")).to_contain_text("25%")

    # Hovering a region shows its value.
    page.locator(f'#dashboard-map path[data-kato="{ABAY}"]').dispatch_event("mouseover")
    expect(page.locator(".leaflet-tooltip")).to_contain_text("25%")

    # Another indicator: the map and the legend change, the address keeps the choice.
    page.select_option("#indicator-picker", "akims_first_time")
    expect(page.locator("#dashboard-map")).to_have_attribute("data-indicator", "akims_first_time")
    label = page.locator('#indicator-picker option[value="akims_first_time"]').inner_text()
    expect(page.locator("#map-legend-title")).to_have_text(label.strip())
    first_time = fills(page)
    assert first_time[ABAY] == first_time[AKMOLA]  # both first-time akims: 100%
    assert first_time != kept
    assert "indicator=akims_first_time" in page.url
    expect(page.locator("button.map-picker-submit")).to_be_hidden()

    # A click opens the region's dashboard, with the map of its districts.
    page.locator(f'#dashboard-map path[data-kato="{ABAY}"]').dispatch_event("click")
    page.wait_for_url(f"**/dashboard/{ABAY}/?indicator=akims_first_time")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Абай")
    expect(page.locator("#dashboard-map")).not_to_have_attribute("data-loaded", "", timeout=15_000)
    page.wait_for_function("document.querySelector('#dashboard-map').dataset.loaded > 0")
    katos = list(fills(page))
    assert katos and all(kato.startswith("10") for kato in katos)
    expect(page.locator("#indicator-picker")).to_have_value("akims_first_time")


@pytest.mark.usefixtures("territory")
def test_the_country_dashboard_fits_a_phone_screen(live_server, phone_page: Page) -> None:
    _world()
    phone_page.goto(f"{live_server.url}/dashboard/")
    expect(phone_page.locator("#dashboard-map")).to_have_attribute("data-loaded", "20", timeout=15_000)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the dashboard scrolls sideways on a phone: {width}px"
    phone_page.goto(f"{live_server.url}/dashboard/{UNIT_A[:4]}00000/")
    expect(phone_page.locator("#areas-table")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the district dashboard scrolls sideways on a phone: {width}px"
