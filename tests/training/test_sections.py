import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esep.territory.models import Territory
from esep.training.sections import territory_section
from tests.training.factories import complete, make_session


def render(territory: Territory | None) -> tuple[str, int]:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        html = territory_section(request, territory)
    return html, len(queries)


def test_the_unit_page_shows_the_sitting_akims_record_and_gaps(client, catalogue, akim_a) -> None:
    complete(make_session(catalogue.courses["foundation"]), akim_a)
    body = client.get(reverse("territory:detail", args=[akim_a.rural_unit.kato])).content.decode()
    assert "training-unit-title" in body
    assert reverse("training:akim", args=[akim_a.person_id]) in body
    assert "2 of 4 required modules completed" in body
    assert "procurement en" in body and "leadership en" in body


def test_the_region_page_lists_the_akims_with_the_largest_gaps(client, catalogue, akim_a, akim_a2) -> None:
    complete(make_session(catalogue.courses["foundation"]), akim_a)
    body = client.get(reverse("territory:detail", args=["100000000"])).content.decode()
    section = body[body.index("training-area-title") :]
    assert section.index(akim_a2.person.display_name) < section.index(akim_a.person.display_name)
    assert reverse("training:overview_area", args=["100000000"]) in section


@pytest.mark.parametrize("kato", [None, "100000000", "103200000", "103230000"])
def test_the_section_runs_five_queries_whatever_the_territory(catalogue, akim_a, akim_a2, kato) -> None:
    territory = Territory.objects.get(kato=kato) if kato else None
    html, queries = render(territory)
    assert html and queries == 5


def test_settlements_and_units_without_an_elected_akim_get_no_section(db) -> None:
    assert render(Territory.objects.get(kato="103230100")) == ("", 0)
    # The city of Semey is a sub-district unit without an elected akim.
    assert render(Territory.objects.get(kato="101010000"))[0] == ""
