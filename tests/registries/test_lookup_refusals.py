"""Every refused look-up attempt by a signed-in user, on the page and through the API, is recorded and
audited as refused, and nothing else is written or asked: whoever makes it (an akim, a resident, staff of
another unit) and whatever request it cites (none, or one that does not exist)."""

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from esep.core.audit.models import AuditEvent
from esep.core.iin import iin_fingerprint
from esep.registries import services
from esep.registries.models import Lookup, Outcome

API = "/api/v1/registries/lookups"
UNKNOWN = "AP-2026-9999999"


@pytest.fixture(autouse=True)
def register_never_asked(monkeypatch) -> None:
    def fail() -> None:
        raise AssertionError("a refused look-up must not ask the register")

    monkeypatch.setattr(services, "registry_adapter", fail)


@contextmanager
def one_refusal_recorded(actor, *, number: str, reason: str, subject: str = "") -> Iterator[None]:
    """The block writes one refused `Lookup` and one `registries.lookup_refused` event, nothing else."""
    before = AuditEvent.objects.aggregate(last=Max("sequence"))["last"] or 0
    assert not Lookup.private_objects.exists()
    yield
    lookup = Lookup.private_objects.get()
    assert lookup.outcome == Outcome.REFUSED and lookup.fields == [] and lookup.records == 0
    assert lookup.actor == actor and lookup.appeal_number == number and reason in lookup.reason
    assert lookup.subject_fingerprint == (iin_fingerprint(subject) if subject else "")
    events = list(AuditEvent.objects.filter(sequence__gt=before))
    assert [event.action for event in events] == ["registries.lookup_refused"]
    assert events[0].actor_id == actor.pk and events[0].subject_id == str(lookup.pk)
    assert events[0].data["outcome"] == "refused" and events[0].data["reason"] == lookup.reason
    assert events[0].data["request"] == number


def page(client: Client, number: str, iin: str):
    return client.post(reverse("registries:lookup", args=[number]), {"purpose": "residence", "iin": iin})


def api(client: Client, body: dict):
    return client.post(API, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("who", ["akim", "resident"])
def test_an_official_who_is_not_akimat_staff_is_refused_on_the_page(
    request, client, who, appeal, person_iin
) -> None:
    actor = request.getfixturevalue(who)
    client.force_login(actor)
    with one_refusal_recorded(actor, number=appeal.number, reason="Only akimat staff", subject=person_iin):
        response = page(client, appeal.number, person_iin)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Look-up refused" in html and "Only akimat staff may look up state registers." in html
    assert "recorded in the audit log" in html
    assert person_iin not in html and "household" not in html


@pytest.mark.parametrize("who", ["akim", "resident"])
def test_an_official_who_is_not_akimat_staff_is_refused_in_the_api(
    request, client, who, appeal, person_iin
) -> None:
    actor = request.getfixturevalue(who)
    client.force_login(actor)
    with one_refusal_recorded(actor, number=appeal.number, reason="Only akimat staff", subject=person_iin):
        response = api(client, {"request": appeal.number, "purpose": "residence", "iin": person_iin})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert "Only akimat staff" in response.json()["error"]["message"]


def test_staff_of_another_unit_are_refused_on_the_page_and_in_the_api(
    client, other_staff, appeal, person_iin
) -> None:
    client.force_login(other_staff)
    reason = "akimat staff of the request"
    with one_refusal_recorded(other_staff, number=appeal.number, reason=reason, subject=person_iin):
        response = page(client, appeal.number, person_iin)
    assert response.status_code == 403 and reason in response.content.decode()
    assert appeal.text not in response.content.decode()
    Lookup.private_objects.all().delete()
    with one_refusal_recorded(other_staff, number=appeal.number, reason=reason, subject=person_iin):
        response = api(client, {"request": appeal.number, "purpose": "residence", "iin": person_iin})
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_an_unknown_request_number_is_refused_with_404_on_the_page(client, staff, person_iin) -> None:
    client.force_login(staff)
    with one_refusal_recorded(staff, number=UNKNOWN, reason="There is no request", subject=person_iin):
        response = page(client, UNKNOWN, person_iin)
    assert response.status_code == 404
    assert f"There is no request {UNKNOWN}" in response.content.decode()
    assert Lookup.private_objects.get().appeal is None and Lookup.private_objects.get().kato == ""


def test_an_unknown_request_number_is_refused_with_404_in_the_api(client, staff, person_iin) -> None:
    client.force_login(staff)
    with one_refusal_recorded(staff, number=UNKNOWN, reason="There is no request", subject=person_iin):
        response = api(client, {"request": UNKNOWN, "purpose": "residence", "iin": person_iin})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("body", [{}, {"request": ""}, {"request": "  "}])
def test_a_look_up_citing_no_request_is_refused_with_400_in_the_api(client, staff, person_iin, body) -> None:
    client.force_login(staff)
    with one_refusal_recorded(staff, number="", reason="must cite the open request", subject=person_iin):
        response = api(client, {**body, "purpose": "residence", "iin": person_iin})
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"


def test_a_refused_attempt_with_a_malformed_iin_is_still_recorded(client, akim, appeal) -> None:
    client.force_login(akim)
    with one_refusal_recorded(akim, number=appeal.number, reason="Only akimat staff"):
        response = api(client, {"request": appeal.number, "purpose": "residence", "iin": "123"})
    assert response.status_code == 403


def test_the_person_looked_up_sees_the_refused_attempt(client, akim, appeal, person_iin, unit_a) -> None:
    from esep.accounts.services import resident_register

    client.force_login(akim)
    page(client, appeal.number, person_iin)
    person = resident_register(
        username="aigul", password="long-enough-pass-1", full_name="Aigul S", unit=unit_a, iin=person_iin
    )
    client.force_login(person)
    rows = client.get(f"{API}/mine").json()["items"]
    assert [(row["request"], row["outcome"]) for row in rows] == [(appeal.number, "refused")]


def test_opening_the_form_asks_nothing_and_records_nothing(client, akim, other_staff, staff, appeal) -> None:
    url = reverse("registries:lookup", args=[appeal.number])
    before = AuditEvent.objects.count()
    client.force_login(akim)
    assert client.get(url).status_code == 403
    client.force_login(other_staff)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(reverse("registries:lookup", args=[UNKNOWN])).status_code == 404
    assert not Lookup.private_objects.exists() and AuditEvent.objects.count() == before


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_recorded(client, appeal, person_iin) -> None:
    before = AuditEvent.objects.count()
    response = page(client, appeal.number, person_iin)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    body = {"request": appeal.number, "purpose": "residence", "iin": person_iin}
    assert api(client, body).status_code == 401
    assert not Lookup.private_objects.exists() and AuditEvent.objects.count() == before
