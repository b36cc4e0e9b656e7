import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import UNIT_A


@pytest.mark.django_db
def test_list_filters_and_paginates(client) -> None:
    response = client.get("/api/v1/territories", {"level": "region"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 20 and len(body["items"]) == 20
    units = client.get("/api/v1/territories", {"parent": "103200000", "elected": "true"}).json()
    assert UNIT_A in {item["kato"] for item in units["items"]}
    assert all(item["parent"] == "103200000" and item["has_elected_akim"] for item in units["items"])


@pytest.mark.django_db
def test_search_in_both_languages(client) -> None:
    for query in ["қараауыл", "КАРААУЛ"]:
        items = client.get("/api/v1/territories", {"q": query}).json()["items"]
        assert items[0]["kato"] == UNIT_A


@pytest.mark.django_db
def test_page_query_count_is_fixed(client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/territories", {"level": "settlement", "page": 3})
    assert len(response.json()["items"]) == 50
    assert len(queries) <= 2


@pytest.mark.django_db
def test_detail_and_json_errors(client) -> None:
    unit = client.get(f"/api/v1/territories/{UNIT_A}").json()
    assert unit["name_kk"] == "Қараауыл а.о." and unit["parent"] == "103200000"
    missing = client.get("/api/v1/territories/999999999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    bad = client.get("/api/v1/territories", {"level": "planet", "parent": "12"})
    assert bad.status_code == 400
    error = bad.json()["error"]
    assert error["code"] == "invalid_input"
    assert {tuple(field["loc"])[-1] for field in error["fields"]} == {"level", "parent"}


@pytest.mark.django_db
def test_openapi_schema_is_served(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/territories" in schema["paths"]
