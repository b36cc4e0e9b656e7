import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esep.territory import views as territory_views
from tests.conftest import UNIT_A


def get(client: Client, url: str, language: str = "ru", **params: str):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.django_db
def test_country_page_lists_the_twenty_regions_and_the_unit_count(client: Client) -> None:
    response = get(client, reverse("territory:country"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 20
    assert response.context["totals"]["units"] == 2321
    assert sum(counts.units for _region, counts in response.context["rows"]) == 2321
    body = response.content.decode()
    assert "область Абай" in body
    assert "territory/regions.geojson" in body  # the map's boundaries
    assert '"100000000": "\\u043e\\u0431' in body  # region names for the map, in the page's language
    assert "geokz" in body and "CC BY 4.0" in body  # attribution, in the page language


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "Абай облысы"), ("ru", "область Абай"), ("en", "Abay Region"), ("de", "область Абай")],
)
def test_names_follow_the_language_with_russian_by_default(
    client: Client, language: str, expected: str
) -> None:
    response = get(client, reverse("territory:detail", args=["100000000"]), language=language)
    assert response.status_code == 200
    assert f"<h1>{expected}</h1>" in response.content.decode()


@pytest.mark.django_db
def test_region_page_lists_its_districts_with_unit_counts(client: Client) -> None:
    response = get(client, reverse("territory:detail", args=["100000000"]))
    rows = response.context["rows"]
    assert {district.kato[:2] for district, _c in rows} == {"10"}
    assert response.context["totals"].units == sum(c.units for _d, c in rows) > 0


@pytest.mark.django_db
def test_district_page_lists_its_units_and_unit_page_its_settlements(client: Client) -> None:
    district = get(client, reverse("territory:detail", args=["103200000"]))
    assert UNIT_A in {unit.kato for unit in district.context["units"]}
    unit = get(client, reverse("territory:detail", args=[UNIT_A]))
    assert unit.status_code == 200
    assert "103230100" in {s.kato for s in unit.context["settlements"]}
    assert [a.kato for a in unit.context["ancestors"]] == ["100000000", "103200000"]


def count_queries(client: Client, kato: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = get(client, reverse("territory:detail", args=[kato]))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("kato", ["100000000", "103200000", UNIT_A, "103230100"])
def test_the_territory_part_of_a_page_runs_three_queries_at_most(client: Client, kato: str, settings) -> None:
    settings.ESEP_TERRITORY_SECTIONS = []
    territory_views._section_renderers.cache_clear()
    try:
        assert count_queries(client, kato) <= 3
    finally:
        territory_views._section_renderers.cache_clear()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "pair", [("100000000", "110000000"), ("103200000", "113600000"), (UNIT_A, "113630000")]
)
def test_a_page_with_its_sections_costs_the_same_for_a_small_and_a_large_territory(
    client: Client, pair
) -> None:
    small, large = pair
    assert count_queries(client, small) == count_queries(client, large)


@pytest.mark.django_db
def test_unknown_or_malformed_codes_are_404(client: Client) -> None:
    assert get(client, "/t/999999999/").status_code == 404
    assert get(client, "/t/12345/").status_code == 404
    assert get(client, "/t/abcdefghi/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["Қараауыл", "қараауыл", "ҚАРААУЫЛ", "Карааул", "карааульский", "КАРААУЛЬ", "karaauyl", "раауы"]
)
def test_search_finds_a_unit_by_any_part_of_its_kazakh_or_russian_name(client: Client, query: str) -> None:
    response = get(client, reverse("territory:search"), q=query)
    assert response.status_code == 200
    found = [t.kato for t in response.context["page"]]
    assert UNIT_A in found
    assert found[0] == UNIT_A  # elected units come first


@pytest.mark.django_db
def test_search_paginates_and_counts_queries(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = get(client, reverse("territory:search"), q="а")
    assert response.context["error"] == "short"
    with CaptureQueriesContext(connection) as queries:
        response = get(client, reverse("territory:search"), q="ауыл")
    page = response.context["page"]
    assert page.paginator.count > 25 and len(page.object_list) == 25
    assert len(queries) <= 3
    second = get(client, reverse("territory:search"), q="ауыл", page="2")
    assert second.context["page"].number == 2


@pytest.mark.django_db
def test_search_level_filter_and_nonsense_input(client: Client) -> None:
    response = get(client, reverse("territory:search"), q="Абай", level="region")
    assert [t.kato for t in response.context["page"]] == ["100000000"]
    for query in ["%", "_", "' OR 1=1 --", "<script>alert(1)</script>", "x" * 5000]:
        response = get(client, reverse("territory:search"), q=query, level="nonsense")
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.django_db
def test_htmx_search_returns_only_the_results(client: Client) -> None:
    response = client.get(reverse("territory:search"), {"q": "Қараауыл"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and UNIT_A in body
