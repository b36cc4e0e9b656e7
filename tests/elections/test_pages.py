"""Public pages: akims list, akim's profile, election page and composition, in the three languages."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from esep.elections import views
from esep.elections.models import Election, EndReason, Mandate, Nomination
from esep.elections.services import mandate_end
from esep.territory.models import Territory
from tests.elections.factories import ensure_voters, make_party, make_person, make_sitting_akim, run_election

pytestmark = pytest.mark.django_db


def get(client: Client, url: str, language: str = "ru", **params: str):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)


def akims_in_district(count: int, amanat) -> list[Mandate]:
    district_units = list(
        Territory.objects.elected_units().filter(kato__startswith="1032").order_by("kato")[:count]
    )
    mandates = []
    for number, unit in enumerate(district_units):
        ensure_voters(unit)
        party = amanat if number % 2 == 0 else None
        person = make_person(party=party, full_name=f"Аким Номер{number}", civil_service_years=number % 3)
        mandates.append(make_sitting_akim(unit, person=person))
    return mandates


def test_the_akims_list_filters_by_party_first_mandate_and_civil_service(client: Client, amanat) -> None:
    mandates = akims_in_district(4, amanat)
    url = reverse("elections:akims_in", args=["103200000"])
    response = get(client, url)
    assert response.status_code == 200
    assert [m.pk for m in response.context["page"]] == [m.pk for m in mandates]
    assert {m.pk for m in get(client, url, party="AMANAT").context["page"]} == {
        mandates[0].pk,
        mandates[2].pk,
    }
    assert {m.pk for m in get(client, url, party="SELF").context["page"]} == {mandates[1].pk, mandates[3].pk}
    assert {m.pk for m in get(client, url, no_civil_service="yes").context["page"]} == {
        mandates[0].pk,
        mandates[3].pk,
    }
    assert len(get(client, url, first_time="yes").context["page"]) == 4
    assert len(get(client, url, first_time="no").context["page"]) == 0
    assert "Аким Номер0" in response.content.decode()


def test_a_bad_filter_is_a_400_with_the_field_named(client: Client, amanat) -> None:
    response = get(client, reverse("elections:akims"), party="NOPE")
    assert response.status_code == 400
    assert "party" in response.context["form"].errors


def test_lists_of_akims_are_only_for_the_country_regions_and_districts(client: Client, unit_a) -> None:
    assert get(client, reverse("elections:akims_in", args=[unit_a.kato])).status_code == 404
    assert get(client, reverse("elections:akims_in", args=["999999999"])).status_code == 404


def test_the_akims_list_paginates_with_a_fixed_number_of_queries(client: Client, amanat) -> None:
    url = reverse("elections:akims_in", args=["103200000"])
    akims_in_district(2, amanat)
    with CaptureQueriesContext(connection) as few:
        assert get(client, url).status_code == 200
    more_units = list(Territory.objects.elected_units().filter(kato__startswith="1032").order_by("kato")[2:7])
    for number, unit in enumerate(more_units):
        ensure_voters(unit)
        make_sitting_akim(unit, person=make_person(full_name=f"Ещё {number}"))
    original = views.PAGE_SIZE
    views.PAGE_SIZE = 3
    try:
        with CaptureQueriesContext(connection) as many:
            response = get(client, url, page="2")
    finally:
        views.PAGE_SIZE = original
    assert response.context["page"].paginator.count == 7 and len(response.context["page"]) == 3
    assert len(many) == len(few) <= 5, [q["sql"] for q in many.captured_queries]


@pytest.mark.parametrize(("language", "name"), [("kk", "name_kk"), ("ru", "name_ru"), ("en", "name_en")])
def test_the_akims_profile_shows_party_term_age_and_experience(
    client: Client, unit, amanat, language: str, name: str
) -> None:
    person = make_person(
        party=amanat, birth_date=date(1980, 1, 1), civil_service_years=7, biography="Агроном."
    )
    mandate = make_sitting_akim(unit, person=person)
    with CaptureQueriesContext(connection) as queries:
        response = get(client, reverse("elections:person", args=[person.pk]), language=language)
    assert response.status_code == 200 and len(queries) <= 4
    body = response.content.decode()
    assert getattr(amanat, name) in body
    assert str(person.age) in body and "Агроном." in body
    assert mandate.ends_on.strftime("%Y") in body
    if language == "en":
        assert "Saparov Erzhan Bolatuly" in body  # the Latin spelling of the name
    # The link to the akim's program appears once the programs app names its unit page.
    try:
        program = reverse("programs:unit", args=[unit.kato])
    except NoReverseMatch:
        assert "/programs/" not in body
    else:
        assert f'href="{program}"' in body
    assert f'href="{reverse("training:akim", args=[person.pk])}"' in body


def test_the_training_record_is_linked_for_sitting_and_former_akims_only(client: Client, unit) -> None:
    mandate = make_sitting_akim(unit, starts_on=date(2024, 1, 10))
    opponent = mandate.election.candidacies.exclude(person=mandate.person).get().person
    mandate_end(mandate=mandate, reason=EndReason.RESIGNATION, on=date(2024, 6, 1))
    former = get(client, reverse("elections:person", args=[mandate.person_id])).content.decode()
    assert f'href="{reverse("training:akim", args=[mandate.person_id])}"' in former
    candidate = get(client, reverse("elections:person", args=[opponent.pk])).content.decode()
    assert "/training/akims/" not in candidate


def test_the_election_page_shows_the_timeline_candidates_and_an_svg_chart_with_a_table(
    client: Client, unit, amanat, voting_day
) -> None:
    result = run_election(
        unit,
        [
            (make_person(party=amanat, full_name="Победитель Первый"), Nomination.PARTY, amanat),
            (make_person(full_name="Второй Кандидат"), Nomination.SELF, None),
        ],
        [640, 360],
        voting_date=voting_day,
    )
    with CaptureQueriesContext(connection) as queries:
        response = get(client, reverse("elections:election", args=[result.election_id]), language="en")
    assert response.status_code == 200 and len(queries) <= 3
    body = response.content.decode()
    assert "<svg" in body and "Votes by candidate" in body
    assert "<table>" in body and "64.0%" in body and "36.0%" in body
    assert "Nomination closes" in body and "Registration of candidates closes" in body
    assert voting_day.strftime("%Y") in body
    assert "style=" not in body.split("<main", 1)[1]  # the CSP forbids inline styles


def test_the_composition_is_a_page_and_an_htmx_fragment(client: Client, unit, amanat) -> None:
    make_sitting_akim(unit, party=amanat)
    full = get(client, reverse("elections:composition_in", args=["100000000"]), language="en")
    assert full.status_code == 200 and "<html" in full.content.decode()
    fragment = client.get(reverse("elections:composition"), HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    body = fragment.content.decode()
    assert "<html" not in body and 'data-testid="akims-in-office">1<' in body
    assert "Akims by nominating party" in body and "Akims by age" in body and "<svg" in body


def test_the_unit_page_lists_its_elections_and_akims(client: Client, unit, amanat) -> None:
    mandate = make_sitting_akim(unit, party=amanat)
    response = get(client, reverse("elections:unit", args=[unit.kato]))
    assert response.status_code == 200
    assert [e.pk for e in response.context["page"]] == [mandate.election_id]
    assert response.context["mandates"] == [mandate]
    assert get(client, reverse("elections:unit", args=["103200000"])).status_code == 404


def test_the_parties_page_lists_parties(client: Client, amanat, auyl) -> None:
    response = get(client, reverse("elections:parties"), language="en")
    assert response.status_code == 200 and "AMANAT Party" in response.content.decode()


def test_an_unknown_person_or_election_is_404(client: Client) -> None:
    assert get(client, reverse("elections:person", args=[999999])).status_code == 404
    assert get(client, reverse("elections:election", args=[999999])).status_code == 404
    assert not Election.objects.exists()


def test_pages_fit_the_repeat_election_of_a_tie(client: Client, unit, amanat, auyl, voting_day) -> None:
    result = run_election(
        unit,
        [
            (make_person(party=amanat, full_name="А"), Nomination.PARTY, amanat),
            (make_person(party=auyl, full_name="Б"), Nomination.PARTY, auyl),
        ],
        [500, 500],
        voting_date=voting_day,
    )
    body = get(
        client, reverse("elections:election", args=[result.election_id]), language="en"
    ).content.decode()
    assert "tied for first place" in body
    repeat = Election.objects.get(repeat_of=result.election)
    body = get(client, reverse("elections:election", args=[repeat.pk]), language="en").content.decode()
    assert "repeat of the election that elected nobody" in body
    assert timedelta(days=60) <= repeat.voting_date - result.certified_on


def test_the_unit_and_parties_pages_keep_their_query_count_as_rows_grow(
    client: Client, unit, amanat, auyl
) -> None:
    first = make_sitting_akim(unit, party=amanat, starts_on=date(2024, 1, 10))
    with CaptureQueriesContext(connection) as few:
        get(client, reverse("elections:unit", args=[unit.kato]))
    with CaptureQueriesContext(connection) as few_parties:
        get(client, reverse("elections:parties"))
    mandate_end(mandate=first, reason=EndReason.RESIGNATION, on=date(2024, 6, 1))
    early = Election.objects.open().get(rural_unit=unit)
    run_election(
        unit,
        [(make_person(party=auyl, full_name="Преемник"), Nomination.PARTY, auyl)],
        [900],
        election=early,
    )
    make_party("PPK")
    make_party("OSDP")
    with CaptureQueriesContext(connection) as many:
        response = get(client, reverse("elections:unit", args=[unit.kato]))
    with CaptureQueriesContext(connection) as many_parties:
        get(client, reverse("elections:parties"))
    assert len(response.context["page"]) == 2 and len(response.context["mandates"]) == 2
    assert len(few) == len(many) and len(few_parties) == len(many_parties)
