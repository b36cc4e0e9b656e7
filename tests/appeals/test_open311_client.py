"""A third-party Open311 client, unchanged, against a live Esep: list services, post, read back.

The client is the `georeport` package from PyPI (Python wrapper of GeoReport v2). It has no POST method, so
the request is posted as the spec's example shows it (form-encoded, api_key in the body) with `requests`.
"""

import pytest

from esep.appeals import services
from esep.territory.models import Territory

georeport = pytest.importorskip("georeport", reason="the georeport client is a dev dependency")
requests = pytest.importorskip("requests")

UNIT = "103230000"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_a_third_party_client_lists_posts_and_reads_back(
    live_server, territory, settings, tmp_path, output_format
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    services.categories_load()  # a flushed database has lost the categories its migration loaded
    assert Territory.objects.filter(kato=UNIT).exists()
    _key, api_key = services.api_key_issue(organisation="Village Watch")
    root = f"{live_server.url}/open311/v2"
    client = georeport.GeoReport(root, jurisdiction=UNIT, api_key=api_key, output_format=output_format)

    service_list = client.get_service_list()
    codes = [service["service_code"] for service in service_list]
    assert "roads" in codes and "public_order" in codes
    assert client.get_service_definition("roads")["service_code"] == "roads"

    posted = requests.post(
        f"{root}/requests.{output_format}",
        data={
            "api_key": api_key,
            "jurisdiction_id": UNIT,
            "service_code": "roads",
            "lat": "49.948",
            "long": "82.627",
            "address_string": "ул. Абая, 12",
            "email": "resident@example.org",
            "first_name": "Aset",
            "last_name": "Nurlan",
            "description": "A large sinkhole is destroying the street",
        },
        timeout=10,
    )
    assert posted.status_code == 200
    if output_format == "json":
        number = posted.json()[0]["service_request_id"]
    else:
        import xmltodict

        number = xmltodict.parse(posted.content)["service_requests"]["request"]["service_request_id"]

    request = client.get_service_request(number)
    assert request["service_request_id"] == number
    assert request["status"] == "open"
    assert request["service_code"] == "roads"
    assert request["description"] == "A large sinkhole is destroying the street"
    listed = client.get_service_requests(service_code="roads", status="open")
    listed = listed if isinstance(listed, list) else [listed]
    assert number in [row["service_request_id"] for row in listed]
