"""JSON API of the gateway: a look-up bound to a request (akimat staff) and "my look-ups" (a resident)."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from esep.api.access import api_authenticated
from esep.core.errors import ApplicationError
from esep.registries import selectors
from esep.registries.purposes import PURPOSES
from esep.registries.services import LookupRefused, registry_lookup

router = Router(tags=["registries"])


class LookupIn(Schema):
    request: str | None = Field(
        None, max_length=20, description="registration number of the open request served (required)"
    )
    purpose: str = Field(..., description="; ".join(f"{p.code}: {p.register}" for p in PURPOSES.values()))
    iin: str = Field("", max_length=12)
    cadastral_number: str = Field("", max_length=40)


class LookupOut(Schema):
    lookup: int
    outcome: str
    fields: list[str]
    records: list[dict]


class TrailOut(Schema):
    at: datetime
    who: str = Field(..., alias="actor_label")
    unit: str = Field(..., alias="kato")
    request: str = Field(..., alias="appeal_number")
    register_name: str = Field(..., alias="register")
    purpose: str
    fields: list[str]
    outcome: str


@router.post("/registries/lookups", response=LookupOut, summary="Look up a register for an open request")
@api_authenticated
def lookup_create(request: HttpRequest, payload: LookupIn):
    # Signed in is enough to reach the service, which records and audits every refused attempt.
    number = (payload.request or "").strip()
    appeal = selectors.appeal_cited(number)
    purpose = PURPOSES.get(payload.purpose)
    if purpose is None:
        raise ApplicationError(
            _("The purpose must be one of: %(codes)s.") % {"codes": ", ".join(PURPOSES)},
            code="invalid_purpose",
        )
    try:
        result = registry_lookup(
            actor=request.user,
            appeal=appeal,
            appeal_number=number,
            register=purpose.register,
            purpose=purpose.code,
            subject_iin=payload.iin or None,
            cadastral_number=payload.cadastral_number or None,
        )
    except LookupRefused as exc:
        raise HttpError(exc.status, str(exc.message)) from None
    return {
        "lookup": result.lookup.pk,
        "outcome": result.lookup.outcome,
        "fields": result.lookup.fields,
        "records": result.records,
    }


@router.get("/registries/lookups/mine", response=list[TrailOut], summary="Who looked at my data")
@api_authenticated
@paginate(PageNumberPagination)
def lookup_mine(request: HttpRequest):
    fingerprint = selectors.fingerprint_of(request.user)
    if not fingerprint:
        return selectors.lookups_of_person("-")
    return selectors.lookups_of_person(fingerprint)
