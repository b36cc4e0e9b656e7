"""Open311 under generated input: never a 5xx, always the spec's formats (JSON or XML), errors too."""

import json
from xml.etree import ElementTree

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esep.appeals.services import api_key_issue

FUZZ = settings(
    max_examples=60, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
text = st.text(max_size=60)
maybe = st.one_of(st.none(), text, st.sampled_from(["", "0", "-1", "2026-01-01", "2026-13-45", "1" * 30]))


def assert_spec_shaped(response, fmt: str) -> None:
    assert response.status_code < 500, response.content[:300]
    content_type = response["Content-Type"]
    if content_type.startswith("application/json"):
        body = json.loads(response.content)
        if response.status_code >= 400:
            assert isinstance(body, list) and {"code", "description"} <= set(body[0])
    elif content_type.startswith(("text/xml", "application/xml")):
        root = ElementTree.fromstring(response.content)  # raises on anything that is not well-formed XML
        if response.status_code >= 400:
            assert root.tag == "errors" and root.find("error/code") is not None


def query(**params: str | None) -> dict[str, str]:
    return {name: value for name, value in params.items() if value is not None}


@pytest.fixture
def api_key(db) -> str:
    return api_key_issue(organisation="Fuzz")[1]


@pytest.mark.django_db
@override_settings(ESEP_RATE_LIMITS=False)
@FUZZ
@given(
    fmt=st.sampled_from(["json", "xml", "csv", "JSON"]),
    service_code=maybe,
    start_date=maybe,
    end_date=maybe,
    status=st.one_of(st.none(), st.sampled_from(["open", "closed", "open,closed", "nonsense"])),
    request_id=maybe,
    jurisdiction=maybe,
)
def test_reading_never_fails(
    fmt, service_code, start_date, end_date, status, request_id, jurisdiction
) -> None:
    client = Client()
    params = query(
        service_code=service_code,
        start_date=start_date,
        end_date=end_date,
        status=status,
        service_request_id=request_id,
        jurisdiction_id=jurisdiction,
    )
    for path in ("services", "requests", "discovery"):
        assert_spec_shaped(client.get(f"/open311/v2/{path}.{fmt}", params), fmt)


@pytest.mark.django_db
@override_settings(ESEP_RATE_LIMITS=False)
@FUZZ
@given(
    fmt=st.sampled_from(["json", "xml"]),
    good_key=st.booleans(),
    service_code=maybe,
    description=st.one_of(st.none(), st.text(max_size=5000)),
    lat=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True).map(str), text),
    long=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True).map(str), text),
    address_id=maybe,
    email=maybe,
)
def test_posting_never_fails(api_key, fmt, good_key, service_code, description, lat, long, address_id, email):
    data = query(
        api_key=api_key if good_key else "wrong",
        service_code=service_code,
        description=description,
        lat=lat,
        long=long,
        address_id=address_id,
        email=email,
    )
    response = Client().post(f"/open311/v2/requests.{fmt}", data)
    assert_spec_shaped(response, fmt)
    if not good_key:
        assert response.status_code == 403


@pytest.mark.django_db
def test_control_characters_in_a_request_do_not_break_the_xml(api_key, categories, unit_a) -> None:
    code = next(iter(categories))
    response = Client().post(
        "/open311/v2/requests.xml",
        {
            "api_key": api_key,
            "service_code": code,
            "address_id": unit_a.kato,
            "description": "bell\x07 and \x18",
        },
    )
    assert response.status_code < 300, response.content
    ElementTree.fromstring(response.content)
    listed = Client().get("/open311/v2/requests.xml", {"service_code": code})
    ElementTree.fromstring(listed.content)


@pytest.mark.django_db
def test_one_key_may_post_only_so_many_requests_an_hour(api_key, monkeypatch) -> None:
    from esep.appeals import open311

    monkeypatch.setattr(open311, "KEY_HOURLY_LIMIT", 2)
    answers = [Client().post("/open311/v2/requests.json", {"api_key": api_key}).status_code for _ in range(3)]
    assert answers[:2] == [400, 400] and answers[2] == 429  # the third is refused before it is read
