"""GET /api/v1/training/overview: the overview page's figures as JSON, with its filters and pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.elections.factories import make_person, make_sitting_akim
from tests.training.factories import complete, make_session

URL = "/api/v1/training/overview"
ABAY = "100000000"
ABAY_DISTRICT = "103200000"


def test_a_region_gets_the_share_trained_per_module_and_its_akims_largest_gap_first(
    client, catalogue, akim_a, akim_a2, akim_b
) -> None:
    complete(make_session(catalogue.courses["foundation"]), akim_a)
    response = client.get(URL, {"territory": ABAY})
    assert response.status_code == 200
    body = response.json()
    assert (body["territory"], body["akims"], body["required_modules"], body["count"]) == (ABAY, 2, 4, 2)
    shares = {s["module"]: (s["trained"], s["share"]) for s in body["shares"]}
    assert shares["law"] == (1, 0.5) and shares["procurement"] == (0, 0.0)
    assert [(i["person_id"], i["gap"], i["held"]) for i in body["items"]] == [
        (akim_a2.person_id, 4, 0),
        (akim_a.person_id, 2, 2),
    ]
    assert body["items"][1]["rural_unit"] == akim_a.rural_unit.kato
    assert body["items"][1]["civil_service_years"] == 5
    # The same selectors as the page: the figures cannot drift apart.
    page = client.get(reverse("training:overview_area", args=[ABAY])).context
    assert [(s.module.code, s.trained) for s in page["shares"]] == [
        (s["module"], s["trained"]) for s in body["shares"]
    ]
    assert [m.person_id for m in page["page"]] == [i["person_id"] for i in body["items"]]


def test_without_a_territory_it_covers_the_country(client, catalogue, akim_a, akim_b) -> None:
    complete(make_session(catalogue.courses["foundation"]), akim_b)
    body = client.get(URL).json()
    assert body["territory"] is None and body["akims"] == body["count"] >= 2
    assert {s["module"]: s["trained"] for s in body["shares"]}["law"] == 1


def test_filters_narrow_the_akims_and_pages_follow_the_api(client, catalogue, akim_a, akim_a2) -> None:
    complete(make_session(catalogue.courses["leadership"]), akim_a)
    lacking = client.get(URL, {"territory": ABAY, "lacking": "leadership"}).json()
    assert [i["person_id"] for i in lacking["items"]] == [akim_a2.person_id]
    assert lacking["akims"] == 2  # the shares stay those of every sitting akim
    akim_a2.person.civil_service_years = 0
    akim_a2.person.save(update_fields=["civil_service_years"])
    no_service = client.get(URL, {"territory": ABAY, "no_civil_service": "true"}).json()
    assert [i["person_id"] for i in no_service["items"]] == [akim_a2.person_id]
    others = client.get(URL, {"territory": ABAY, "no_civil_service": "false"}).json()
    assert [i["person_id"] for i in others["items"]] == [akim_a.person_id]
    assert client.get(URL, {"territory": ABAY, "first_time": "false"}).json()["count"] == 0
    second = client.get(URL, {"territory": ABAY, "page": 2, "page_size": 1}).json()
    assert second["count"] == 2 and [i["person_id"] for i in second["items"]] == [akim_a.person_id]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"territory": "103230000"}, "bad_request"),  # a rural unit has no overview
        ({"territory": "12"}, "invalid_input"),
        ({"first_time": "maybe"}, "invalid_input"),
        ({"no_civil_service": "2"}, "invalid_input"),
        ({"lacking": "nope"}, "bad_request"),
        ({"lacking": "x" * 41}, "invalid_input"),
        ({"page": 0}, "invalid_input"),
        ({"page_size": 201}, "invalid_input"),
    ],
)
def test_bad_input_is_a_400_with_a_json_error(client, catalogue, params: dict, code: str) -> None:
    response = client.get(URL, params)
    assert response.status_code == 400 and response.json()["error"]["code"] == code


def test_an_unknown_territory_is_404_as_in_every_list_operation(client, catalogue) -> None:
    response = client.get(URL, {"territory": "999999999"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_overview_runs_a_fixed_number_of_queries(client, catalogue, akim_a, unit_a2) -> None:
    complete(make_session(catalogue.courses["foundation"]), akim_a)
    params = {"territory": ABAY_DISTRICT, "lacking": "leadership"}
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL, params).json()["count"] == 1
    units = list(unit_a2.parent.children.filter(has_elected_akim=True).exclude(pk=akim_a.rural_unit_id)[:3])
    for unit in units:
        make_sitting_akim(unit, person=make_person(full_name=f"Ибраев {unit.kato}"))
    with CaptureQueriesContext(connection) as four:
        assert client.get(URL, params).json()["count"] == 4
    assert len(four) == len(one) <= 7, [q["sql"] for q in four.captured_queries]
