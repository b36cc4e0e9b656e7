"""The look-up page (staff) and "who looked at my data" (the person), pages and API."""

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esep.accounts.services import resident_register
from esep.core.iin import iin_fingerprint
from esep.registries.models import Lookup, Outcome, Register
from esep.registries.services import registry_lookup


def test_staff_look_up_from_the_page_and_see_the_answer_once(client, staff, appeal, person_iin) -> None:
    client.force_login(staff)
    url = reverse("registries:lookup", args=[appeal.number])
    assert client.get(url).status_code == 200
    response = client.post(url, {"purpose": "residence", "iin": person_iin})
    assert response.status_code == 200
    html = response.content.decode()
    assert "household size" in html and ">5<" in html
    assert person_iin not in html  # the page shows the masked IIN in the trail, never the full one
    assert Lookup.private_objects.get().outcome == Outcome.OK


def test_a_look_up_by_staff_of_another_unit_is_refused_on_the_page(
    client, other_staff, appeal, person_iin
) -> None:
    client.force_login(other_staff)
    url = reverse("registries:lookup", args=[appeal.number])
    assert client.get(url).status_code == 404
    response = client.post(url, {"purpose": "residence", "iin": person_iin})
    assert response.status_code == 403
    assert Lookup.private_objects.get().outcome == Outcome.REFUSED


def test_residents_cannot_open_the_look_up_page(client, resident, appeal) -> None:
    client.force_login(resident)
    assert client.get(reverse("registries:lookup", args=[appeal.number])).status_code == 403


def test_the_person_sees_who_looked_when_and_for_which_request(
    client, staff, appeal, person_iin, unit_a
) -> None:
    person = resident_register(
        username="aigul", password="long-enough-pass-1", full_name="Aigul S", unit=unit_a, iin=person_iin
    )
    registry_lookup(
        actor=staff, appeal=appeal, register=Register.POPULATION, purpose="residence", subject_iin=person_iin
    )
    registry_lookup(
        actor=staff, appeal=appeal, register=Register.SOCIAL, purpose="social_status", subject_iin=person_iin
    )
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("registries:mine"))
    html = page.content.decode()
    assert "Дана Омарова" in html and appeal.number in html and unit_a.name_en in html
    assert "household size" in html and f'href="/requests/{appeal.number}/"' not in html
    for _ in range(3):
        registry_lookup(
            actor=staff,
            appeal=appeal,
            register=Register.LAND,
            purpose="land_plots_of_person",
            subject_iin=person_iin,
        )
    with CaptureQueriesContext(connection) as more:
        assert client.get(reverse("registries:mine")).status_code == 200
    assert len(more) == len(queries)
    api = client.get("/api/v1/registries/lookups/mine").json()
    assert api["count"] == 5 and {row["request"] for row in api["items"]} == {appeal.number}
    assert all(row["who"] == "Дана Омарова" for row in api["items"])


def test_others_do_not_see_someone_elses_look_ups(client, staff, appeal, person_iin, resident) -> None:
    registry_lookup(
        actor=staff, appeal=appeal, register=Register.POPULATION, purpose="residence", subject_iin=person_iin
    )
    client.force_login(resident)  # no IIN on this account
    assert "no IIN" in client.get(reverse("registries:mine")).content.decode()
    assert client.get("/api/v1/registries/lookups/mine").json()["count"] == 0


def test_the_api_look_up_and_its_refusal(client, staff, other_staff, appeal, person_iin) -> None:
    client.force_login(staff)
    body = {"request": appeal.number, "purpose": "residence", "iin": person_iin}
    response = client.post("/api/v1/registries/lookups", json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["records"] == [{"unit": appeal.kato, "household_size": 5}]
    client.force_login(other_staff)
    refused = client.post("/api/v1/registries/lookups", json.dumps(body), content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert (
        Lookup.private_objects.filter(
            outcome=Outcome.REFUSED, subject_fingerprint=iin_fingerprint(person_iin)
        ).count()
        == 1
    )


def test_the_purposes_are_shown_in_the_language_of_the_page(staff, appeal) -> None:
    url = reverse("registries:lookup", args=[appeal.number])
    for language, expected, foreign in [
        ("kk", "жер кадастры: Бірліктің бір жер учаскесі, кадастрлық нөмірі бойынша", "земельный кадастр"),
        ("ru", "земельный кадастр: Один земельный участок", "жер кадастры"),
        ("en", "land cadastre: One land plot of the unit, by cadastral number", "земельный кадастр"),
    ]:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(staff)
        html = client.get(url).content.decode()
        assert expected in html and foreign not in html, language
