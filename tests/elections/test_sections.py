"""What elections add to the territory pages, with the pages' query counts unchanged."""

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esep.elections.sections import territory_section
from esep.territory.models import Territory
from tests.elections.factories import make_sitting_akim

pytestmark = pytest.mark.django_db


def test_a_units_page_shows_its_sitting_akim_in_one_query(client: Client, unit, amanat) -> None:
    mandate = make_sitting_akim(unit, party=amanat)
    request = RequestFactory().get("/")
    request.user = None
    with CaptureQueriesContext(connection) as queries:
        html = territory_section(request, unit)
    assert len(queries) == 1
    assert mandate.person.display_name in html and amanat.name_en in html
    assert reverse("elections:person", args=[mandate.person_id]) in html
    response = client.get(reverse("territory:detail", args=[unit.kato]), HTTP_ACCEPT_LANGUAGE="ru")
    assert mandate.person.full_name in response.content.decode()


def test_a_vacant_post_is_said_so(client: Client, unit) -> None:
    body = client.get(
        reverse("territory:detail", args=[unit.kato]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The post of akim is vacant." in body


@pytest.mark.parametrize("kato", [None, "100000000", "103200000"])
def test_country_region_and_district_pages_load_the_composition_without_a_query(kato: str | None) -> None:
    territory = Territory.objects.get(kato=kato) if kato else None
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as queries:
        html = territory_section(request, territory)
    assert len(queries) == 0
    target = reverse("elections:composition_in", args=[kato]) if kato else reverse("elections:composition")
    assert f'hx-get="{target}"' in html and 'hx-trigger="load"' in html
    assert f'<a href="{target}">' in html  # without JavaScript, a link to the same figures


def test_a_settlement_page_gets_nothing(db: None) -> None:
    assert territory_section(RequestFactory().get("/"), Territory.objects.get(kato="103230100")) == ""
