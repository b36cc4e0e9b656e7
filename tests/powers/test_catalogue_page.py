"""The public catalogue page /powers/: filters by level, sector and status, search in all languages."""

import csv

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esep.powers.models import Power
from esep.powers.seed import COLUMNS, seed_powers

URL = reverse("powers:catalogue")


def codes_on(client, **params: str) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [power.code for power in response.context["page"]]


@pytest.mark.django_db
def test_the_catalogue_lists_powers_with_their_legal_basis(client) -> None:
    response = client.get(URL, {"q": "cemeteries.maintenance"}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "cemeteries.maintenance" in html and "art. 35, item 1.21" in html
    assert "item not checked" not in html and "item not found" not in html
    assert 'data-testid="power-count"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "basis", "tag"),
    [
        ("roads.maintenance", "art. 35", "item not found"),  # in force, its item not found in the law yet
        ("trade.street_trade", "art. 35", None),  # proposed: no item to find
        ("police.patrol", "Закон РК «Об органах внутренних дел", None),
    ],
)
def test_a_power_without_an_item_says_so_only_when_it_is_in_force_under_an_article(
    client, code, basis, tag
) -> None:
    html = client.get(URL, {"q": code}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert basis in html and "item 1." not in html
    assert ("item not found" in html) == (tag is not None)


@pytest.mark.django_db
def test_filtering_by_level_shows_that_level_only(client) -> None:
    codes = codes_on(client, level="police")
    assert codes and set(Power.objects.filter(code__in=codes).values_list("level", flat=True)) == {"police"}
    assert "police.patrol" in codes


@pytest.mark.django_db
def test_filtering_by_sector_and_status(client) -> None:
    assert set(codes_on(client, sector="water")) == set(
        Power.objects.filter(sector="water").values_list("code", flat=True)
    )
    proposed = codes_on(client, status="proposed")
    assert "trade.street_trade" in proposed and "roads.maintenance" not in proposed


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["ОСВЕЩЕНИЕ", "жарықтандыру", "street lighting", "landscaping.lighting"])
def test_search_finds_a_power_by_any_of_its_texts_whatever_the_case(client, query) -> None:
    assert "landscaping.lighting" in codes_on(client, q=query)


@pytest.mark.django_db
def test_unknown_filter_values_are_ignored_not_an_error(client) -> None:
    assert len(codes_on(client, level="moon", sector="x", status="y")) == min(Power.objects.count(), 50)


@pytest.mark.django_db
def test_htmx_requests_get_only_the_results(client) -> None:
    response = client.get(URL, {"level": "rural"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "roads.maintenance" in html


@pytest.mark.django_db
def test_the_page_query_count_does_not_grow_with_the_catalogue(client, tmp_path) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"level": "rural"}).status_code == 200
        return len(queries)

    before = count()
    extra = tmp_path / "more.csv"
    with open(extra, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for number in range(40):
            writer.writerow(
                {
                    **dict.fromkeys(COLUMNS, ""),
                    "code": f"extra.power_{number}",
                    "level": "rural",
                    "sector": "sport",
                    "act": "Act",
                    "article": "35",
                    "status": "in_force",
                    "wording": "paraphrase",
                    "text_ru": "Текст",
                    "text_kk": "Мәтін",
                }
            )
    seed_powers(Power, extra)
    assert count() == before
    assert len(codes_on(client, level="rural")) == 50
    assert codes_on(client, level="rural", page="2")
