"""Open311 GeoReport v2 exactly as the spec shows it: formats, the POST with a key, read-back, errors."""

import importlib
import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import hypothesis
import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.utils import timezone
from hypothesis import strategies as st

from esep.appeals import services
from esep.appeals.catalogue import CATEGORIES
from esep.appeals.models import Appeal, Category, Source, Status

BASE = "/open311/v2"
pytestmark = pytest.mark.django_db


@pytest.fixture
def api_key(db) -> str:
    _key, raw = services.api_key_issue(organisation="Village Watch")
    return raw


def xml(response) -> ElementTree.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own response)


def as_json(response) -> object:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def spec_post(api_key: str, unit_kato: str, **extra: str) -> dict:
    """The spec's example request, with Esep's unit as jurisdiction_id."""
    data = {
        "api_key": api_key,
        "jurisdiction_id": unit_kato,
        "service_code": "roads",
        "lat": "49.948",
        "long": "82.627",
        "address_string": "ул. Абая, 12",
        "email": "smit333@example.org",
        "device_id": "tt222111",
        "account_id": "123456",
        "first_name": "john",
        "last_name": "smith",
        "phone": "111111111",
        "description": "A large sinkhole is destroying the street",
        "media_url": "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg",
        "attribute[WHISPAWN]": "123456",
    }
    data.update(extra)
    return data


def test_services_list_in_json_and_xml(client) -> None:
    services_json = as_json(client.get(f"{BASE}/services.json"))
    roads = next(s for s in services_json if s["service_code"] == "roads")
    assert set(roads) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert roads["metadata"] is False and roads["type"] == "realtime"
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    codes = [service.findtext("service_code") for service in root.findall("service")]
    assert codes == [s["service_code"] for s in services_json]
    assert root.find("service/metadata").text == "false"


def test_services_speak_the_language_the_client_asks_for(db) -> None:
    by_language = {}
    for language in ("kk", "ru", "en"):
        response = Client(HTTP_ACCEPT_LANGUAGE=language).get(f"{BASE}/services.json")
        by_language[language] = {s["service_code"]: s for s in as_json(response)}
    assert set(by_language["kk"]) == {spec.code for spec in CATEGORIES}
    for spec in CATEGORIES:
        kk, ru, en = (by_language[language][spec.code] for language in ("kk", "ru", "en"))
        assert (kk["service_name"], kk["description"]) == (spec.name_kk, spec.description_kk)
        assert (ru["service_name"], ru["description"]) == (spec.name_ru, spec.description_ru)
        assert (en["service_name"], en["description"]) == (spec.name_en, spec.description_en)
        assert re.search("[әіңғүұқөһ]", kk["description"], re.IGNORECASE), spec.code
    roads = Client(HTTP_ACCEPT_LANGUAGE="kk").get(f"{BASE}/services.xml")
    assert "Елді мекендер көшелеріндегі шұңқырлар" in roads.content.decode()


def test_databases_loaded_before_get_the_kazakh_descriptions_and_keep_edited_ones(db) -> None:
    migration = importlib.import_module("esep.appeals.migrations.0004_categories_kazakh_descriptions")
    Category.objects.update(description_kk="")
    Category.objects.filter(code="water").update(description_kk="Өзгертілген сипаттама.")
    migration.fill_kazakh_descriptions(django_apps, None)
    written = dict(Category.objects.values_list("code", "description_kk"))
    assert written == {
        spec.code: "Өзгертілген сипаттама." if spec.code == "water" else spec.description_kk
        for spec in CATEGORIES
    }


def test_a_service_definition_has_no_attributes(client) -> None:
    definition = as_json(client.get(f"{BASE}/services/roads.json"))
    assert definition == {"service_code": "roads", "attributes": []}
    root = xml(client.get(f"{BASE}/services/roads.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "roads"


def test_post_a_request_with_a_key_and_read_it_back(client, api_key, unit_a) -> None:
    response = client.post(f"{BASE}/requests.json", spec_post(api_key, unit_a.kato))
    assert response.status_code == 200
    [created] = as_json(response)
    number = created["service_request_id"]
    assert number.startswith("AP-") and "token" not in created
    assert created["account_id"] == "123456" and number in created["service_notice"]
    appeal = Appeal.private_objects.get(number=number)
    assert appeal.source == Source.OPEN311 and appeal.resident is None and appeal.kato == unit_a.kato
    assert appeal.contact_name == "john smith" and appeal.contact_email == "smit333@example.org"

    [request] = as_json(client.get(f"{BASE}/requests/{number}.json"))
    assert request["service_request_id"] == number
    assert request["status"] == "open"
    assert request["service_code"] == "roads"
    assert request["description"] == "A large sinkhole is destroying the street"
    assert request["expected_datetime"].startswith(appeal.deadline.isoformat())
    assert request["expected_datetime"].endswith("+05:00")
    assert request["requested_datetime"][19:] == "+05:00"
    assert request["lat"] == 49.948 and request["long"] == 82.627
    assert request["address_id"] == unit_a.kato
    assert unit_a.name_ru in request["agency_responsible"] or unit_a.name in request["agency_responsible"]
    # Never the resident or their contacts.
    body = json.dumps(request)
    assert "smith" not in body and "smit333" not in body and "111111111" not in body

    root = xml(client.get(f"{BASE}/requests/{number}.xml"))
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == number
    assert root.findtext("request/status") == "open"


def test_a_multipart_post_with_a_media_file_becomes_a_photo(client, api_key, unit_a) -> None:
    from .test_photos import jpeg_with_exif

    data = spec_post(api_key, unit_a.kato)
    data["media"] = jpeg_with_exif()
    response = client.post(f"{BASE}/requests.xml", data)
    assert response.status_code == 200
    number = xml(response).findtext("request/service_request_id")
    assert Appeal.private_objects.get(number=number).photos.count() == 1


def test_address_id_names_the_unit_through_a_settlement(client, api_key, unit_a) -> None:
    settlement = unit_a.children.order_by("kato").first()
    data = spec_post(api_key, "", address_id=settlement.kato)
    del data["jurisdiction_id"]
    [created] = as_json(client.post(f"{BASE}/requests.json", data))
    assert Appeal.private_objects.get(number=created["service_request_id"]).kato == unit_a.kato


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_bad_key_is_a_403_in_the_spec_error_format(client, unit_a, fmt) -> None:
    response = client.post(f"{BASE}/requests.{fmt}", spec_post("wrong-key", unit_a.kato))
    assert response.status_code == 403
    if fmt == "json":
        [error] = as_json(response)
        assert error["code"] == 403 and "api_key" in error["description"]
    else:
        root = xml(response)
        assert root.tag == "errors" and root.findtext("error/code") == "403"
        assert "api_key" in root.findtext("error/description")
    assert not Appeal.private_objects.exists()


def test_a_revoked_key_is_refused(client, unit_a) -> None:
    key, raw = services.api_key_issue(organisation="Gone")
    services.api_key_revoke(prefix=key.prefix)
    assert client.post(f"{BASE}/requests.json", spec_post(raw, unit_a.kato)).status_code == 403


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "potholes"}, 404, "service_code"),
        ({"lat": "", "long": "", "address_string": ""}, 400, "location"),
        ({"jurisdiction_id": "999999999"}, 404, "jurisdiction_id"),
        ({"jurisdiction_id": "city.gov"}, 400, "rural unit"),
        ({"description": "x" * 4001}, 400, "4,000"),
        ({"email": "not-an-address"}, 400, "email"),
        ({"lat": "51.5", "long": "-0.12"}, 400, "Kazakhstan"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"lat": "1e999999", "long": "70"}, 400, "latitude"),
    ],
)
def test_post_errors_follow_the_spec(client, api_key, unit_a, changes, status, words) -> None:
    response = client.post(f"{BASE}/requests.json", spec_post(api_key, unit_a.kato, **changes))
    assert response.status_code == status
    [error] = as_json(response)
    assert error["code"] == status and words in error["description"]
    assert not Appeal.private_objects.exists()


def test_requests_list_filters_by_code_status_dates_and_ids(client, api_key, unit_a, staff) -> None:
    numbers = [
        as_json(client.post(f"{BASE}/requests.json", spec_post(api_key, unit_a.kato, service_code=code)))[0][
            "service_request_id"
        ]
        for code in ("roads", "water", "water")
    ]
    services.appeal_answer(actor=staff, appeal=Appeal.private_objects.get(number=numbers[1]), answer="Fixed.")

    listed = as_json(client.get(f"{BASE}/requests.json"))
    assert {r["service_request_id"] for r in listed} == set(numbers)
    water = as_json(client.get(f"{BASE}/requests.json", {"service_code": "water"}))
    assert {r["service_request_id"] for r in water} == set(numbers[1:])
    closed = as_json(client.get(f"{BASE}/requests.json", {"status": "closed"}))
    assert [r["service_request_id"] for r in closed] == [numbers[1]]
    assert "Answered on" in closed[0]["status_notes"]
    opened = as_json(client.get(f"{BASE}/requests.json", {"status": "open,closed"}))
    assert len(opened) == 3
    by_id = as_json(
        client.get(
            f"{BASE}/requests.json", {"service_request_id": f"{numbers[0]},{numbers[2]}", "status": "closed"}
        )
    )
    assert {r["service_request_id"] for r in by_id} == {
        numbers[0],
        numbers[2],
    }  # ids override other arguments
    past = (timezone.now() - timedelta(days=200)).strftime("%Y-%m-%dT%H:%M:%SZ")
    older = (timezone.now() - timedelta(days=150)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert as_json(client.get(f"{BASE}/requests.json", {"start_date": past, "end_date": older})) == []
    scoped = as_json(client.get(f"{BASE}/requests.json", {"jurisdiction_id": unit_a.region_code}))
    assert len(scoped) == 3
    root = xml(client.get(f"{BASE}/requests.xml", {"service_code": "roads"}))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [numbers[0]]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90 days"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"status": "pending"}, "status"),
        ({"start_date": "2026-13-45T00:00:00Z"}, "start_date"),
        ({"end_date": "9999-12-31T23:59:59Z"}, "end_date"),
        ({"start_date": "2026-02-01T00:00:00+05:00", "end_date": "2026-01-01T00:00:00+05:00"}, "before"),
    ],
)
def test_bad_list_arguments_are_400s(client, params, words) -> None:
    response = client.get(f"{BASE}/requests.xml", params)
    assert response.status_code == 400
    assert words in xml(response).findtext("error/description")


def test_a_hidden_text_and_unknown_ids_and_formats(client, make_appeal) -> None:
    appeal = make_appeal(publish_text=False)
    [request] = as_json(client.get(f"{BASE}/requests/{appeal.number}.json"))
    assert request["description"] is None
    root = xml(client.get(f"{BASE}/requests/{appeal.number}.xml"))
    assert root.find("request/description").text is None
    missing = client.get(f"{BASE}/requests/AP-2026-9999999.json")
    assert missing.status_code == 404 and as_json(missing)[0]["code"] == 404
    assert client.get(f"{BASE}/services.html").status_code == 400


def test_forwarded_requests_name_the_agency_that_holds_them(client, make_appeal, staff) -> None:
    appeal = make_appeal("public_order")
    services.appeal_forward(actor=staff, appeal=appeal, body="police", body_name="Police of Abay district")
    [request] = as_json(client.get(f"{BASE}/requests/{appeal.number}.json"))
    assert request["status"] == "closed"
    assert request["agency_responsible"] == "Police of Abay district"
    assert "Police of Abay district" in request["status_notes"]
    assert Appeal.private_objects.get(pk=appeal.pk).status == Status.FORWARDED


def test_discovery_names_the_endpoint_and_formats(client) -> None:
    discovery = as_json(client.get(f"{BASE}/discovery.json"))
    [endpoint] = discovery["endpoints"]
    assert endpoint["url"].endswith("/open311/v2") and endpoint["formats"] == ["text/xml", "application/json"]
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_the_list_has_a_fixed_query_count(client, api_key, unit_a) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.post(f"{BASE}/requests.json", spec_post(api_key, unit_a.kato))
    with CaptureQueriesContext(connection) as few:
        client.get(f"{BASE}/requests.json")
    for _ in range(5):
        client.post(f"{BASE}/requests.json", spec_post(api_key, unit_a.kato))
    with CaptureQueriesContext(connection) as many:
        assert len(as_json(client.get(f"{BASE}/requests.json"))) == 6
    assert len(many) == len(few)


def test_a_units_list_is_read_newest_first_from_its_index(client, api_key, unit_a) -> None:
    """A unit's requests by equality on their code, so (kato, registered_at) gives them in order: with a range
    or LIKE, SQLite walked every request of the period in the country (2 s at a million requests)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    client.post(f"{BASE}/requests.json", spec_post(api_key, unit_a.kato))
    with CaptureQueriesContext(connection) as queries:
        assert len(as_json(client.get(f"{BASE}/requests.json?jurisdiction_id={unit_a.kato}"))) == 1
    listing = next(q["sql"] for q in queries.captured_queries if 'FROM "appeals_appeal"' in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {listing}")  # noqa: S608 (the view's own query)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "appeal_kato_registered_idx (kato=?" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


@hypothesis.settings(
    max_examples=60, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
@hypothesis.given(
    start=st.text(max_size=30),
    end=st.text(max_size=30),
    status=st.text(max_size=12),
    code=st.text(max_size=12),
)
def test_generated_list_arguments_never_break_the_endpoint(client, start, end, status, code) -> None:
    params = {"start_date": start, "end_date": end, "status": status, "service_code": code}
    response = client.get(f"{BASE}/requests.json", {k: v.replace("\x00", "") for k, v in params.items()})
    assert response.status_code in (200, 400)
    assert isinstance(as_json(response), list)


@hypothesis.settings(
    max_examples=40, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
@hypothesis.given(lat=st.text(max_size=20), long=st.text(max_size=20), address_id=st.text(max_size=12))
def test_generated_locations_never_break_a_post(client, api_key, unit_a, lat, long, address_id) -> None:
    data = spec_post(api_key, unit_a.kato, lat=lat, long=long, address_id=address_id)
    response = client.post(f"{BASE}/requests.json", {k: v.replace("\x00", "") for k, v in data.items()})
    assert response.status_code in (200, 400, 404)
    assert isinstance(as_json(response), list)
