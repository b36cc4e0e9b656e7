"""GET /api/v1/powers: the catalogue as open data."""

import pytest

from esep.powers.models import Power


@pytest.mark.django_db
def test_the_api_lists_powers_filtered_by_level(client) -> None:
    body = client.get("/api/v1/powers?level=rural").json()
    assert body["count"] == Power.objects.filter(level="rural").count()
    first = body["items"][0]
    assert set(first) >= {"code", "level", "sector", "status", "text_kk", "text_ru", "act", "article", "item"}
    assert {item["level"] for item in body["items"]} == {"rural"}


@pytest.mark.django_db
def test_the_api_searches_and_refuses_unknown_levels(client) -> None:
    body = client.get("/api/v1/powers", {"q": "ПОГРЕБЕНИ"}).json()
    assert [item["code"] for item in body["items"]] == ["cemeteries.maintenance"]
    response = client.get("/api/v1/powers?level=moon")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_input"
