"""The dashboards of the country, a region and a district: figures, map data, the table of areas, and a
query count that stays the same whatever the amount of activity."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esep.dashboard import views
from esep.territory.models import Territory
from tests.programs.factories import published_program

# Queries of each page for an anonymous visitor: fixed, whatever the number of requests and promises.
QUERIES = {"country": 22, "region": 23, "district": 23}


def url_of(world, level: str) -> str:
    if level == "country":
        return reverse("dashboard:country")
    kato = world.unit_a.region_code if level == "region" else world.unit_a.district_code
    return reverse("dashboard:area", args=[kato])


# Tables whose size grows with activity: a dashboard reads their summaries, never the tables themselves.
ACTIVITY_TABLES = (
    '"appeals_appeal"',
    '"programs_promise"',
    '"programs_fundingline"',
    '"programs_promiseevent"',
)


def get(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    scans = [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in ACTIVITY_TABLES)]
    assert not scans, scans
    return response, len(queries.captured_queries)


@pytest.mark.parametrize("level", ["country", "region", "district"])
def test_a_dashboard_runs_a_fixed_number_of_queries_that_more_activity_does_not_change(
    world, client, level
) -> None:
    url = url_of(world, level)
    _response, before = get(client, url)
    assert before == QUERIES[level]
    # Much more activity: requests in three units and categories, a third program with its promises.
    for unit in (world.unit_a, world.unit_a2, world.unit_b):
        for code in ("water", "roads", "lighting"):
            world.send(unit, code)
    published_program(world.akim_a2, promises=5)
    response, after = get(client, url)
    assert after == before
    assert response.context["board"].requests.totals["registered"] > 4


def test_the_country_dashboard_shows_the_figures_and_the_map_of_regions(world, client) -> None:
    response, _count = get(client, reverse("dashboard:country"))
    page = response.content.decode()
    assert "<h1>Rural akims of Kazakhstan: dashboard</h1>" in page
    board = response.context["board"]
    assert board.corps.akims_in_office == 3 and board.promises["promises"] == 6
    script = re.search(r'<script id="dashboard-map-data" type="application/json">(.*?)</script>', page, re.S)
    data = json.loads(script.group(1))
    assert data["level"] == "region" and data["geojson"].endswith("territory/regions.geojson")
    assert len(data["names"]) == 20
    kept = data["indicators"]["promises_kept"]
    assert kept["display"][world.unit_a.region_code] == "25%"
    assert kept["classes"]["750000000"] is None  # Almaty city: no data, grey
    assert 'id="dashboard-map-data"' in page and "choropleth.js" in page
    assert "geokz, Alexander Rodionov" in page
    # Each figure links to the list behind it.
    assert reverse("elections:akims") in page and reverse("programs:summary") in page
    assert reverse("appeals:figures_country") in page and reverse("training:overview") in page
    # Every figure downloads in three formats.
    for name in ("areas", "akims", "promises", "money", "requests", "request-months", "training"):
        for fmt in ("csv", "xlsx", "json"):
            assert reverse("dashboard:download_country", args=[name, fmt]) in page


def test_charts_are_svg_with_a_title_a_description_and_a_table(world, client) -> None:
    response, _count = get(client, reverse("dashboard:country"))
    page = response.content.decode()
    for key in ("parties", "statuses", "money", "months", "modules"):
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in page
        assert f'<desc id="chart-{key}-desc">' in page
    assert page.count("The same as a table") >= 7
    assert "style=" not in page.split("<main", 1)[1]  # the CSP forbids inline styles


def test_a_region_dashboard_maps_its_districts_and_links_them(world, client) -> None:
    region = world.unit_a.region_code
    response, _count = get(
        client, reverse("dashboard:area", args=[region]) + "?indicator=requests_registered"
    )
    data = response.context["map_data"]
    assert data["level"] == "district" and data["indicator"] == "requests_registered"
    assert all(kato.startswith(region[:2]) for kato in data["names"])
    assert data["indicators"]["requests_registered"]["display"][world.unit_a.district_code] == "3"
    page = response.content.decode()
    assert (
        f'href="{reverse("dashboard:area", args=[world.unit_a.district_code])}?indicator=requests_registered"'
        in page
    )
    assert 'value="requests_registered" data-description' in page and "selected" in page


def test_a_district_dashboard_has_a_sortable_table_of_its_units_and_no_map(world, client) -> None:
    district = world.unit_a.district_code
    url = reverse("dashboard:area", args=[district])
    response, _count = get(client, url + "?sort=-promises_kept")
    assert response.context["map_data"] is None and "dashboard-map" not in response.content.decode()
    rows = [row for row, _cells in response.context["table_rows"]]
    assert rows[0].kato == world.unit_a.kato  # 25% kept, first when sorting largest first
    assert all(row.values["promises_kept"] is None for row in rows[1:])
    page = response.content.decode()
    assert 'aria-sort="descending"' in page
    assert f'href="{reverse("territory:detail", args=[world.unit_a.kato])}"' in page
    response, _count = get(client, url + "?sort=promises_kept")
    assert 'aria-sort="ascending"' in response.content.decode()


def test_a_long_table_of_units_is_paginated(world, client, monkeypatch) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    url = reverse("dashboard:area", args=[world.unit_a.district_code])
    response, _count = get(client, url)
    units = Territory.objects.elected_units().filter(kato__startswith=world.unit_a.kato[:4]).count()
    assert response.context["page"].paginator.num_pages == (units + 1) // 2
    assert "page=2" in response.content.decode()
    response, _count = get(client, url + "?page=999")  # past the end: the last page
    assert response.context["page"].number == (units + 1) // 2


def test_a_unit_redirects_to_its_page_and_a_settlement_is_not_found(world, client) -> None:
    response = client.get(reverse("dashboard:area", args=[world.unit_a.kato]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "territory:detail", args=[world.unit_a.kato]
    )
    settlement = Territory.objects.settlements().filter(kato__startswith=world.unit_a.kato[:6]).first()
    assert client.get(reverse("dashboard:area", args=[settlement.kato])).status_code == 404
    assert client.get(reverse("dashboard:area", args=["999999999"])).status_code == 404


def test_an_unknown_indicator_shows_the_first_one(world, client) -> None:
    response, _count = get(client, reverse("dashboard:country") + "?indicator=<script>")
    assert response.context["indicator"].key == "promises_kept"
    assert "<script>" not in response.content.decode().split("</header>", 1)[1].replace("<script src=", "")


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Rural akims of Kazakhstan: dashboard"),
        ("ru", None),
        ("kk", None),
    ],
)
def test_the_dashboard_renders_in_each_language(world, client, language, heading) -> None:
    response = client.get(reverse("dashboard:country"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    if heading:
        assert heading in page
    # Territory names follow the language: Kazakh, Russian or their Latin spelling.
    region = Territory.objects.get(kato=world.unit_a.region_code)
    assert getattr(region, f"name_{language}") in page


def test_reports_and_recall_blocks_link_their_lists(world, initiative_b, client) -> None:
    akmola = world.unit_b.region_code
    response, _count = get(client, reverse("dashboard:area", args=[akmola]))
    page = response.content.decode()
    assert 'id="reports-title"' in page and reverse("reports:timeliness", args=[akmola]) in page
    assert reverse("reports:overdue", args=[akmola]) in page
    assert 'id="recall-title"' in page
    assert f"{reverse('recall:list')}?state=active&amp;area={akmola}" in page
    assert response.context["board"].recall.active == 1
    for name in ("reports", "recall"):
        assert reverse("dashboard:download", args=[akmola, name, "csv"]) in page
