"""The e-government gateway adapter against a local stub server speaking the documented JSON contract."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from esep.core.iin import iin_fingerprint
from esep.registries.adapters import HttpRegistryAdapter, RegistryUnavailable
from esep.registries.models import Lookup, Outcome, Register
from esep.registries.services import LookupRefused, registry_lookup

from .conftest import make_iin

TOKEN = "test-token-123"


class Gateway:
    """What the stub received, and what it answers next."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.status = 200
        self.body: bytes = b"{}"


@pytest.fixture
def gateway() -> Iterator[tuple[Gateway, str]]:
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers["Content-Length"])
            state.received.append(
                {
                    "path": self.path,
                    "authorization": self.headers["Authorization"],
                    "content_type": self.headers["Content-Type"],
                    "body": json.loads(self.rfile.read(length)),
                }
            )
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, *args: object) -> None:  # keep the IINs in requests out of the test output
            return

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_it_posts_the_contract_and_keeps_only_the_fields_asked(gateway) -> None:
    state, url = gateway
    iin = make_iin(300)
    state.body = json.dumps(
        {
            "status": "ok",
            "records": [{"unit": "103230000", "household_size": 3, "full_name": "leaked", "iin": iin}],
            "subjects": [iin],
        }
    ).encode()
    answer = HttpRegistryAdapter(base_url=url, token=TOKEN).population_residence(iin, "103230000")
    [request] = state.received
    assert request["path"] == "/v1/lookup"
    assert request["authorization"] == f"Bearer {TOKEN}"
    assert request["content_type"].startswith("application/json")
    assert request["body"] == {
        "register": "population",
        "purpose": "residence",
        "reference": "",
        "unit": "103230000",
        "subject": {"iin": iin},
        "fields": ["unit", "household_size"],
    }
    assert answer.status == "ok"
    assert answer.records == [{"unit": "103230000", "household_size": 3}]
    assert answer.subject_fingerprints == [iin_fingerprint(iin)]


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, b'{"status": "ok"}'),
        (200, b"not json"),
        (200, b'{"status": "maybe"}'),
        (200, b'{"status": "ok", "records": {"unit": 1}}'),
        (401, b'{"error": "bad token"}'),
    ],
)
def test_a_broken_answer_is_unavailable(gateway, status, body) -> None:
    state, url = gateway
    state.status, state.body = status, body
    with pytest.raises(RegistryUnavailable):
        HttpRegistryAdapter(base_url=url, token=TOKEN).social_assistance(make_iin(301), "103230000")


def test_an_unreachable_or_unset_gateway_is_unavailable() -> None:
    with pytest.raises(RegistryUnavailable):
        HttpRegistryAdapter(base_url="http://127.0.0.1:9", token=TOKEN, timeout=2).real_estate(
            make_iin(302), "1"
        )
    with pytest.raises(RegistryUnavailable):
        HttpRegistryAdapter(base_url="", token=TOKEN).real_estate(make_iin(302), "1")
    with pytest.raises(RegistryUnavailable):
        HttpRegistryAdapter(base_url="file:///etc/passwd", token=TOKEN).real_estate(make_iin(302), "1")


def test_a_look_up_through_the_gateway_is_bound_to_the_request(gateway, settings, staff, appeal) -> None:
    state, url = gateway
    settings.ESEP_REGISTRY_ADAPTER = "esep.registries.adapters.HttpRegistryAdapter"
    settings.ESEP_REGISTRY_URL = url
    settings.ESEP_REGISTRY_TOKEN = TOKEN
    iin = make_iin(303)
    state.body = json.dumps(
        {"status": "ok", "records": [{"status": "none", "since": None}], "subjects": [iin]}
    ).encode()
    result = registry_lookup(
        actor=staff, appeal=appeal, register=Register.SOCIAL, purpose="social_status", subject_iin=iin
    )
    assert state.received[0]["body"]["reference"] == appeal.number
    assert state.received[0]["body"]["unit"] == appeal.kato
    assert result.records == [{"status": "none", "since": None}]
    state.body = b'{"status": "not_in_unit"}'
    with pytest.raises(LookupRefused):
        registry_lookup(
            actor=staff, appeal=appeal, register=Register.SOCIAL, purpose="social_status", subject_iin=iin
        )
    state.status = 503
    with pytest.raises(Exception, match="did not answer"):
        registry_lookup(
            actor=staff, appeal=appeal, register=Register.SOCIAL, purpose="social_status", subject_iin=iin
        )
    outcomes = list(Lookup.private_objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == [Outcome.OK, Outcome.REFUSED, Outcome.FAILED]
