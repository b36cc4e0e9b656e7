"""Adapters to the state registers. Esep asks one question at a time, for one purpose, within one unit.

`RegistryAdapter.query` is the whole interface; the per-register methods are conveniences for callers. An
adapter returns only the fields asked for, and the persons a record concerns only as IIN fingerprints: an IIN
received from a gateway is fingerprinted here and dropped. The JSON contract of `HttpRegistryAdapter` is
documented in docs/registries.md.
"""

import json
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string

from esep.core.iin import InvalidIIN, iin_fingerprint
from esep.registries.models import DemoPerson, DemoPlot, DemoProperty, Register

OK = "ok"
NOT_FOUND = "not_found"
NOT_IN_UNIT = "not_in_unit"
STATUSES = (OK, NOT_FOUND, NOT_IN_UNIT)


class RegistryUnavailable(Exception):
    """The register could not be asked or gave an answer that does not follow the contract."""


@dataclass(frozen=True)
class Answer:
    status: str  # OK, NOT_FOUND or NOT_IN_UNIT
    records: list[dict] = field(default_factory=list)
    subject_fingerprints: list[str] = field(default_factory=list)


class RegistryAdapter(ABC):
    name = "abstract"

    @abstractmethod
    def query(
        self,
        *,
        register: str,
        purpose: str,
        unit_kato: str,
        fields: tuple[str, ...],
        iin: str | None = None,
        cadastral_number: str | None = None,
        reference: str = "",
    ) -> Answer:
        """Ask one register about one subject in one unit; return only `fields` of each record."""

    def population_residence(self, iin: str, unit_kato: str, *, purpose: str = "residence") -> Answer:
        return self.query(
            register=Register.POPULATION,
            purpose=purpose,
            unit_kato=unit_kato,
            fields=("unit", "household_size"),
            iin=iin,
        )

    def land_plots(
        self, unit_kato: str, *, iin: str | None = None, cadastral_number: str | None = None
    ) -> Answer:
        return self.query(
            register=Register.LAND,
            purpose="land_plot" if cadastral_number else "land_plots_of_person",
            unit_kato=unit_kato,
            fields=("cadastral_number", "area_ha", "land_use", "right"),
            iin=iin,
            cadastral_number=cadastral_number,
        )

    def real_estate(self, iin: str, unit_kato: str) -> Answer:
        return self.query(
            register=Register.REAL_ESTATE,
            purpose="housing",
            unit_kato=unit_kato,
            fields=("kind", "area_m2"),
            iin=iin,
        )

    def social_assistance(self, iin: str, unit_kato: str) -> Answer:
        return self.query(
            register=Register.SOCIAL,
            purpose="social_status",
            unit_kato=unit_kato,
            fields=("status", "since"),
            iin=iin,
        )


def only(record: dict, fields: tuple[str, ...]) -> dict:
    return {name: record[name] for name in fields if name in record}


class DemoRegistryAdapter(RegistryAdapter):
    """The built-in register filled by `esep demo` with synthetic people, plots and houses of every unit."""

    name = "demo"

    def query(
        self,
        *,
        register: str,
        purpose: str,
        unit_kato: str,
        fields: tuple[str, ...],
        iin: str | None = None,
        cadastral_number: str | None = None,
        reference: str = "",
    ) -> Answer:
        if register == Register.LAND and cadastral_number:
            plot = DemoPlot.objects.filter(cadastral_number=cadastral_number.strip()).first()
            if plot is None:
                return Answer(NOT_FOUND)
            if plot.kato != unit_kato:
                return Answer(NOT_IN_UNIT)
            return Answer(OK, [only(_plot_record(plot), fields)], [plot.owner_fingerprint])
        if not iin:
            return Answer(NOT_FOUND)
        try:
            fingerprint = iin_fingerprint(iin)
        except InvalidIIN:
            return Answer(NOT_FOUND)
        person = DemoPerson.objects.filter(iin_fingerprint=fingerprint).first()
        if person is None:
            return Answer(NOT_FOUND)
        if person.kato != unit_kato:
            return Answer(NOT_IN_UNIT)
        subjects = [fingerprint]
        if register == Register.POPULATION:
            record = {"unit": person.kato, "household_size": person.household_size}
            return Answer(OK, [only(record, fields)], subjects)
        if register == Register.SOCIAL:
            record = {
                "status": person.social_status or "none",
                "since": person.social_since.isoformat() if person.social_since else None,
            }
            return Answer(OK, [only(record, fields)], subjects)
        if register == Register.LAND:
            plots = DemoPlot.objects.filter(owner_fingerprint=fingerprint, kato=unit_kato).order_by("pk")
            records = [only(_plot_record(plot), fields) for plot in plots]
            return Answer(OK if records else NOT_FOUND, records, subjects)
        if register == Register.REAL_ESTATE:
            houses = DemoProperty.objects.filter(owner_fingerprint=fingerprint, kato=unit_kato).order_by("pk")
            records = [only({"kind": h.kind, "area_m2": str(h.area_m2)}, fields) for h in houses]
            return Answer(OK if records else NOT_FOUND, records, subjects)
        raise RegistryUnavailable(f"unknown register {register}")


def _plot_record(plot: DemoPlot) -> dict:
    return {
        "cadastral_number": plot.cadastral_number,
        "area_ha": str(plot.area_ha.quantize(Decimal("0.0001"))),
        "land_use": plot.land_use,
        "right": plot.right,
        "unit": plot.kato,
    }


class HttpRegistryAdapter(RegistryAdapter):
    """The e-government gateway: one JSON POST per question to `{ESEP_REGISTRY_URL}/v1/lookup`."""

    name = "http"

    def __init__(self, base_url: str | None = None, token: str | None = None, timeout: float = 10.0) -> None:
        self.base_url = (base_url if base_url is not None else settings.ESEP_REGISTRY_URL or "").rstrip("/")
        self.token = token if token is not None else (settings.ESEP_REGISTRY_TOKEN or "")
        self.timeout = timeout

    def query(
        self,
        *,
        register: str,
        purpose: str,
        unit_kato: str,
        fields: tuple[str, ...],
        iin: str | None = None,
        cadastral_number: str | None = None,
        reference: str = "",
    ) -> Answer:
        if not self.base_url.startswith(("https://", "http://")):
            raise RegistryUnavailable("ESEP_REGISTRY_URL is not an http(s) address")
        subject = {"iin": iin} if iin else {"cadastral_number": cadastral_number}
        body = {
            "register": register,
            "purpose": purpose,
            "reference": reference,
            "unit": unit_kato,
            "subject": subject,
            "fields": list(fields),
        }
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
            f"{self.base_url}/v1/lookup",
            data=json.dumps(body).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            # The base URL was checked to be http(s) when the adapter was built.
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310
                payload = json.loads(response.read(1_000_000).decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise RegistryUnavailable(f"the gateway answered HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise RegistryUnavailable(f"the gateway cannot be reached: {type(exc).__name__}") from None
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise RegistryUnavailable("the gateway's answer is not JSON") from None
        return self._answer(payload, fields)

    @staticmethod
    def _answer(payload: object, fields: tuple[str, ...]) -> Answer:
        if not isinstance(payload, dict) or payload.get("status") not in STATUSES:
            raise RegistryUnavailable("the gateway's answer has no valid status")
        records = payload.get("records", [])
        subjects = payload.get("subjects", [])
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise RegistryUnavailable("the gateway's records are not a list of objects")
        if not isinstance(subjects, list):
            raise RegistryUnavailable("the gateway's subjects are not a list")
        fingerprints = []
        for value in subjects:
            try:
                fingerprints.append(iin_fingerprint(str(value)))
            except InvalidIIN:
                continue
        # Whatever else the gateway sent is dropped here: only the purpose's fields go further.
        return Answer(payload["status"], [only(record, fields) for record in records], fingerprints)


def registry_adapter() -> RegistryAdapter:
    """The adapter named by settings.ESEP_REGISTRY_ADAPTER (the demo register by default)."""
    return import_string(settings.ESEP_REGISTRY_ADAPTER)()
