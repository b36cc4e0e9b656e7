"""The akim and the akimat's staff record what happened to a promise; nobody else may."""

import pytest

from esep.programs.models import PromiseEvent
from tests.programs.factories import published_program


@pytest.fixture
def promise(akim_a):
    return published_program(akim_a, promises=1).promises.get()


def post(client, promise, **data):
    values = {
        "status": "in_progress",
        "progress": "40",
        "spent_kzt": "400 000",
        "narrative": "Half of the lamps are up.",
    }
    return client.post(f"/programs/promises/{promise.pk}/update/", {**values, **data})


@pytest.mark.django_db
def test_the_owner_and_a_colleague_record_updates(client, owner, colleague, promise) -> None:
    client.force_login(owner)
    response = post(client, promise, evidence_note="Photos on the akimat's page")
    assert response.status_code == 302 and response["Location"].endswith("#promise-P1")
    client.force_login(colleague)
    assert post(client, promise, status="kept", progress="100").status_code == 302
    events = list(
        PromiseEvent.objects.order_by("at").values_list("new_status", "actor__username", "evidence_note")
    )
    assert events == [
        ("in_progress", "akim-a", "Photos on the akimat's page"),
        ("kept", "staff-a", ""),
    ]
    promise.refresh_from_db()
    assert (promise.status, promise.spent_kzt) == ("kept", 400_000)


@pytest.mark.django_db
def test_a_bad_update_is_a_400_with_the_field_named(client, owner, promise) -> None:
    client.force_login(owner)
    response = post(client, promise, status="broken", reason="", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    assert not PromiseEvent.objects.exists()


@pytest.mark.django_db
def test_the_akim_of_another_unit_and_a_resident_may_not_record_updates(
    client, neighbour, outsider, promise
) -> None:
    for user in (neighbour, outsider):
        client.force_login(user)
        assert post(client, promise).status_code == 403
    client.logout()
    assert post(client, promise).status_code == 302  # to the login page
    assert not PromiseEvent.objects.exists()
