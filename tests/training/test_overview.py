from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.elections.factories import make_person, make_sitting_akim
from tests.training.factories import complete, make_session

ABAY = "100000000"


def test_the_region_page_lists_its_akims_by_gap_largest_first(
    client, catalogue, akim_a, akim_a2, akim_b
) -> None:
    complete(make_session(catalogue.courses["foundation"]), akim_a)
    response = client.get(reverse("training:overview_area", args=[ABAY]))
    rows = list(response.context["page"])
    assert [(m.person_id, m.gap, m.held) for m in rows] == [
        (akim_a2.person_id, 4, 0),
        (akim_a.person_id, 2, 2),
    ]
    body = response.content.decode()
    assert body.index(akim_a2.person.display_name) < body.index(akim_a.person.display_name)
    assert akim_b.person.display_name not in body


def test_shares_per_module_count_sitting_akims_of_the_territory(
    client, catalogue, akim_a, akim_a2, akim_b
) -> None:
    complete(make_session(catalogue.courses["foundation"]), akim_a)
    complete(make_session(catalogue.courses["foundation"]), akim_b)
    region = {
        s.module.code: (s.trained, s.akims, s.percent)
        for s in client.get(reverse("training:overview_area", args=[ABAY])).context["shares"]
    }
    assert region["law"] == (1, 2, 50) and region["procurement"] == (0, 2, 0)
    country = {
        s.module.code: (s.trained, s.akims)
        for s in client.get(reverse("training:overview")).context["shares"]
    }
    assert country["law"][0] == 2 and country["law"][1] >= 3


def test_filters_narrow_the_list(client, catalogue, akim_a, akim_a2) -> None:
    complete(make_session(catalogue.courses["leadership"]), akim_a)
    url = reverse("training:overview_area", args=[ABAY])
    lacking = client.get(url, {"lacking": "leadership"}).context["page"]
    assert [m.person_id for m in lacking] == [akim_a2.person_id]
    akim_a2.person.civil_service_years = 0
    akim_a2.person.save(update_fields=["civil_service_years"])
    none = client.get(url, {"no_civil_service": "yes"}).context["page"]
    assert [m.person_id for m in none] == [akim_a2.person_id]


def test_the_list_paginates_with_a_fixed_number_of_queries(client, catalogue, akim_a, unit_a2) -> None:
    url = reverse("training:overview_area", args=["103200000"])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    units = list(unit_a2.parent.children.filter(has_elected_akim=True).exclude(pk=akim_a.rural_unit_id)[:3])
    for unit in units:
        make_sitting_akim(unit, person=make_person(full_name=f"Ибраев {unit.kato}"))
    with CaptureQueriesContext(connection) as four:
        response = client.get(url)
    assert response.context["page"].paginator.count == 4
    assert len(four) == len(one), [q["sql"] for q in four.captured_queries]


def test_a_unit_or_a_settlement_has_no_overview_and_bad_codes_are_404(client, catalogue, unit_a) -> None:
    assert client.get(reverse("training:overview_area", args=[unit_a.kato])).status_code == 404
    assert client.get("/training/overview/999999999/").status_code == 404
