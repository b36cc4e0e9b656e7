"""The dashboard in the API: indicators, the areas one level down (paginated), and each dataset."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_it_lists_the_indicators(world, client) -> None:
    body = client.get("/api/v1/dashboard/indicators").json()
    keys = [indicator["key"] for indicator in body]
    assert keys[:3] == ["promises_kept", "promises_broken", "promises_overdue"]
    assert {"requests_on_time", "akims_trained", "akims_first_time"} <= set(keys)


def test_the_areas_of_the_country_are_the_regions_with_every_indicator(world, client) -> None:
    body = client.get("/api/v1/dashboard/areas?sort=-requests_registered&page_size=5").json()
    assert body["count"] == 20 and len(body["items"]) == 5
    first = body["items"][0]
    assert first["kato"] == world.unit_a.region_code and first["level"] == "region"
    assert first["values"]["requests_registered"] == 3 and first["values"]["promises_kept"] == 0.25


def test_the_areas_of_a_district_are_its_units_in_a_fixed_number_of_queries(world, client) -> None:
    url = f"/api/v1/dashboard/areas?parent={world.unit_a.district_code}"
    with CaptureQueriesContext(connection) as before:
        body = client.get(url).json()
    assert world.unit_a.kato in [item["kato"] for item in body["items"]]
    world.send(world.unit_a2, "water")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_a_dataset_comes_as_columns_and_rows(world, client) -> None:
    body = client.get(f"/api/v1/dashboard/datasets/promises?territory={world.unit_a.region_code}").json()
    assert body["territory"] == world.unit_a.region_code
    kept = next(row for row in body["rows"] if row["status"] == "kept")
    assert kept == {"status": "kept", "label": "kept", "promises": 1, "share": 0.25}


def test_bad_input_gets_a_json_error(world, client) -> None:
    response = client.get(f"/api/v1/dashboard/areas?parent={world.unit_a.kato}")
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"
    response = client.get("/api/v1/dashboard/areas?parent=999999999")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    response = client.get("/api/v1/dashboard/datasets/users")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_input"
    response = client.get("/api/v1/dashboard/areas?parent=12")
    assert response.status_code == 400
