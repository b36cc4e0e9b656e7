"""Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, requests (GET and POST).

Follows the published spec (wiki.open311.org/GeoReport_v2): XML and JSON by the URL's suffix, UTF-8,
w3 date-times with an offset, errors as a list of {code, description}, 403 for a missing or wrong
api_key, 404 for what does not exist, 400 for everything else. Esep's reading of the open points
is in docs/open311.md: jurisdiction_id and address_id take KATO codes, service_request_id is the
registration number, requests show their text (when the resident allowed it) but never the resident,
the answer or the photos.
"""

import json
import re
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from esep.appeals import services
from esep.appeals.models import TEXT_MAX_LENGTH, Appeal, Category, Source, Status
from esep.appeals.routing import category_route
from esep.core import ratelimit
from esep.core.access import public
from esep.core.errors import ApplicationError
from esep.core.kato import kato_within
from esep.territory.models import Level, Territory

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
FORMATS_MIME = ("text/xml", "application/json")
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-01-01T00:00:00+05:00"
MAX_REQUESTS = 1000
MAX_SPAN = timedelta(days=90)
# Spark convention: the XML element of each item of a JSON list.
ITEM_TAGS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# An organisation may post this many requests an hour through one key.
KEY_HOURLY_LIMIT = 600


# --- rendering ------------------------------------------------------------------------------------


# Characters XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF); a resident's text
# may hold them, and one would make the whole document unreadable to an Open311 client.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("\ufffd", str(value))


def _element(tag: str, value: object) -> ElementTree.Element:
    element = ElementTree.Element(tag)
    if isinstance(value, dict):
        for key, inner in value.items():
            element.append(_element(key, inner))
    elif isinstance(value, list):
        item_tag = ITEM_TAGS.get(tag, "item")
        for inner in value:
            element.append(_element(item_tag, inner))
    else:
        element.text = _text(value)
    return element


def _xml(root: ElementTree.Element) -> bytes:
    body = ElementTree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}'.encode()


def _respond(fmt: str, value: object, *, root: str, item: str = "", status: int = 200) -> HttpResponse:
    if fmt == "json":
        content = json.dumps(value, ensure_ascii=False).encode("utf-8")
    elif isinstance(value, list):
        element = ElementTree.Element(root)
        for row in value:
            element.append(_element(item, row))
        content = _xml(element)
    else:
        content = _xml(_element(root, value))
    return HttpResponse(content, status=status, content_type=FORMATS[fmt])


def _errors(fmt: str, status: int, description: str) -> HttpResponse:
    fmt = fmt if fmt in FORMATS else "xml"  # XML is the spec's required format
    return _respond(
        fmt, [{"code": status, "description": description}], root="errors", item="error", status=status
    )


def open311_view(view):  # noqa: ANN001, ANN201 (a decorator of the views below)
    """Turn Open311Error, ApplicationError and PermissionDenied into the spec's error bodies."""

    def wrapper(request: HttpRequest, fmt: str, **kwargs: str) -> HttpResponse:
        if fmt not in FORMATS:
            return _errors(
                "xml", 400, _("Unknown format %(format)s: use .xml or .json.") % {"format": fmt[:10]}
            )
        try:
            return view(request, fmt, **kwargs)
        except Open311Error as exc:
            return _errors(fmt, exc.status, exc.description)
        except ApplicationError as exc:
            return _errors(fmt, 400, str(exc.message))
        except PermissionDenied:
            return _errors(fmt, 403, _("Invalid api_key received: the request was not created."))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    wrapper.__wrapped__ = view
    return wrapper


def _w3(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


# --- jurisdiction, dates --------------------------------------------------------------------------


def _jurisdiction(value: str | None) -> Territory | None:
    """A KATO code names a territory; anything else (a domain, as the spec suggests) means all of Esep."""
    value = (value or "").strip()
    if not (len(value) == 9 and value.isdigit()):
        return None
    territory = Territory.objects.filter(kato=value).select_related("parent").first()
    if territory is None:
        raise Open311Error(404, _("jurisdiction_id %(id)s was not found.") % {"id": value})
    return territory


def _within(jurisdiction: Territory) -> Q:
    """The requests of a jurisdiction. A request carries its unit's code, so a unit is an equality, which
    (kato, registered_at) answers newest first; SQLite's planner would rather walk the dates for a range."""
    if jurisdiction.level == Level.UNIT:
        return Q(kato=jurisdiction.kato)
    return kato_within("kato", jurisdiction.code_prefix)


def _unit_of(territory: Territory | None) -> Territory | None:
    if territory is None:
        return None
    if territory.level == Level.SETTLEMENT and territory.parent is not None:
        territory = territory.parent
    if territory.level == Level.UNIT and territory.has_elected_akim:
        return territory
    return None


def _moment(name: str, value: str) -> datetime:
    invalid = Open311Error(
        400, _("%(name)s must be a w3 date-time, e.g. 2026-01-01T00:00:00Z.") % {"name": name}
    )
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is None:
                raise invalid
            moment = datetime.combine(day, time.min)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # The range check adds and subtracts 90 days: the ends of the calendar would overflow there.
        moment + MAX_SPAN  # noqa: B018
        moment - MAX_SPAN  # noqa: B018
    except (ValueError, OverflowError):
        raise invalid from None
    return moment


def _date_range(start: str, end: str) -> tuple[datetime, datetime]:
    now = timezone.now()
    if start and end:
        since, until = _moment("start_date", start), _moment("end_date", end)
    elif start:
        since = _moment("start_date", start)
        until = min(since + MAX_SPAN, now)
    elif end:
        until = _moment("end_date", end)
        since = until - MAX_SPAN
    else:
        since, until = now - MAX_SPAN, now
    if until < since:
        raise Open311Error(400, _("end_date is before start_date."))
    if until - since > MAX_SPAN:
        raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
    return since, until


# --- serialisation --------------------------------------------------------------------------------


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def _status_notes(appeal: Appeal, today: object) -> str:
    due = appeal.due_date.isoformat()
    if appeal.status == Status.FORWARDED:
        return _("Forwarded on %(date)s to %(body)s, which holds the power.") % {
            "date": timezone.localdate(appeal.forwarded_at).isoformat() if appeal.forwarded_at else "",
            "body": appeal.forwarded_body,
        }
    if appeal.status == Status.ANSWERED:
        return _("Answered on %(date)s.") % {"date": timezone.localdate(appeal.answered_at).isoformat()}
    if appeal.status == Status.CLOSED:
        return _("Answered; closed by the resident on %(date)s.") % {
            "date": timezone.localdate(appeal.closed_at).isoformat()
        }
    if appeal.due_date < today:
        return _("Overdue: the answer was due by %(date)s.") % {"date": due}
    notes = (
        _("Registered; the akimat answers by %(date)s.")
        if appeal.status == Status.REGISTERED
        else _("In progress; the answer is due by %(date)s.")
    )
    notes = notes % {"date": due}
    if appeal.extended_deadline:
        notes += " " + _("The deadline was extended once.")
    return notes


def _request(appeal: Appeal, today: object) -> dict:
    expected = timezone.make_aware(datetime.combine(appeal.due_date, time(23, 59, 59)))
    place = ", ".join(part for part in (appeal.address, appeal.unit.name) if part)
    if appeal.status == Status.FORWARDED:
        agency = appeal.forwarded_body
    else:
        agency = _("Akimat of %(unit)s") % {"unit": appeal.unit.name}
    return {
        "service_request_id": appeal.number,
        "status": "open" if appeal.is_open else "closed",
        "status_notes": _status_notes(appeal, today),
        "service_name": appeal.category.name,
        "service_code": appeal.category.code,
        "description": appeal.text if appeal.publish_text else None,
        "agency_responsible": agency,
        "service_notice": None,
        "requested_datetime": _w3(appeal.registered_at),
        "updated_datetime": _w3(appeal.updated_at),
        "expected_datetime": _w3(expected),
        "address": place,
        "address_id": appeal.kato,
        "zipcode": None,
        "lat": float(appeal.latitude) if appeal.latitude is not None else None,
        "long": float(appeal.longitude) if appeal.longitude is not None else None,
        "media_url": None,
    }


def _requests_response(fmt: str, appeals: Iterable[Appeal]) -> HttpResponse:
    today = timezone.localdate()
    rows = [_request(appeal, today) for appeal in appeals]
    return _respond(fmt, rows, root="service_requests", item="request")


def _public_appeals():  # noqa: ANN202
    return Appeal.public_objects.select_related("category", "unit")


# --- views ----------------------------------------------------------------------------------------


@public
@require_GET
@open311_view
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    endpoint = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0]
    value = {
        "changeset": CHANGESET,
        "contact": _("Esep administrators of this installation."),
        "key_service": _(
            "API keys for organisations are issued by the administrators (esep appeals issue-key)."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint,
                "changeset": CHANGESET,
                "type": "production",
                "formats": list(FORMATS_MIME),
            }
        ],
    }
    return _respond(fmt, value, root="discovery")


@public
@require_GET
@open311_view
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    _jurisdiction(request.GET.get("jurisdiction_id"))
    categories = Category.objects.filter(active=True).order_by("position", "code")
    return _respond(fmt, [_service(c) for c in categories], root="services", item="service")


@public
@require_GET
@open311_view
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    _jurisdiction(request.GET.get("jurisdiction_id"))
    category = Category.objects.filter(active=True, code=code).first()
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code[:40]})
    return _respond(fmt, {"service_code": category.code, "attributes": []}, root="service_definition")


@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
@open311_view
def request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    params = request.GET
    jurisdiction = _jurisdiction(params.get("jurisdiction_id"))
    appeals = _public_appeals()
    if jurisdiction is not None:
        appeals = appeals.filter(_within(jurisdiction))
    ids = [value.strip() for value in params.get("service_request_id", "").split(",") if value.strip()]
    if ids:
        # "This overrides all other arguments."
        appeals = appeals.filter(number__in=ids[:MAX_REQUESTS])
    else:
        codes = [value.strip() for value in params.get("service_code", "").split(",") if value.strip()]
        if codes:
            appeals = appeals.filter(category__code__in=codes)
        since, until = _date_range(params.get("start_date", "").strip(), params.get("end_date", "").strip())
        appeals = appeals.filter(registered_at__gte=since, registered_at__lte=until)
        statuses = {value.strip() for value in params.get("status", "").split(",") if value.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, _("status must be open, closed, or both."))
        if statuses == {"open"}:
            appeals = appeals.filter(status__in=[Status.REGISTERED, Status.IN_PROGRESS])
        elif statuses == {"closed"}:
            appeals = appeals.exclude(status__in=[Status.REGISTERED, Status.IN_PROGRESS])
    appeals = appeals.order_by("-registered_at", "-pk")[:MAX_REQUESTS]
    return _requests_response(fmt, appeals)


@public
@require_GET
@open311_view
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    jurisdiction = _jurisdiction(request.GET.get("jurisdiction_id"))
    appeals = _public_appeals().filter(number=service_request_id)
    if jurisdiction is not None:
        appeals = appeals.filter(_within(jurisdiction))
    appeal = appeals.first()
    if appeal is None:
        raise Open311Error(
            404, _("service_request_id %(id)s was not found.") % {"id": service_request_id[:20]}
        )
    return _requests_response(fmt, [appeal])


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.POST
    api_key = services.api_key_find(params.get("api_key", "").strip())
    if api_key is None:
        raise Open311Error(403, _("Invalid api_key received: the request was not created."))
    if (
        settings.ESEP_RATE_LIMITS
        and ratelimit.hit(f"open311:{api_key.pk}", window_seconds=3600) > KEY_HOURLY_LIMIT
    ):
        raise Open311Error(429, _("Too many requests from this api_key: try again within the hour."))
    code = params.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code[:40]})
    jurisdiction = _jurisdiction(params.get("jurisdiction_id"))
    address_id = params.get("address_id", "").strip()
    lat, long = params.get("lat", "").strip(), params.get("long", "").strip()
    address = params.get("address_string", "").strip()
    if not ((lat and long) or address or address_id):
        raise Open311Error(400, _("A location is required: lat and long, address_string or address_id."))
    unit = None
    if address_id:
        if not (len(address_id) == 9 and address_id.isdigit()):
            raise Open311Error(
                400, _("address_id must be the 9-digit KATO code of a rural unit or settlement.")
            )
        unit = _unit_of(Territory.objects.filter(kato=address_id).select_related("parent").first())
        if unit is None:
            raise Open311Error(
                404, _("address_id %(id)s is not a rural unit with an elected akim.") % {"id": address_id}
            )
    if unit is None:
        unit = _unit_of(jurisdiction)
    if unit is None:
        raise Open311Error(
            400,
            _(
                "Name the rural unit: address_id or jurisdiction_id must be the KATO code of the unit "
                "or of a settlement."
            ),
        )
    description = params.get("description", "").strip()
    if len(description) > TEXT_MAX_LENGTH:
        raise Open311Error(400, _("description is limited to 4,000 characters."))
    email = params.get("email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Open311Error(400, _("email is not a valid address.")) from None
    media_url = params.get("media_url", "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise Open311Error(400, _("media_url is not a valid http(s) address.")) from None
    name = " ".join(
        part for part in (params.get("first_name", ""), params.get("last_name", "")) if part.strip()
    )
    media = request.FILES.get("media")
    appeal = services.appeal_register(
        unit=unit,
        category=category,
        text=description or f"{category.name}: {address or unit.name}",
        api_key=api_key,
        contact_name=name,
        contact_email=email,
        contact_phone=params.get("phone", ""),
        external_account_id=params.get("account_id", ""),
        media_url=media_url,
        address=address,
        latitude=lat or None,
        longitude=long or None,
        photos=[media] if media else [],
        source=Source.OPEN311,
    )
    notice = _("Registered as %(number)s; the akimat of %(unit)s answers by %(date)s.") % {
        "number": appeal.number,
        "unit": unit.name,
        "date": appeal.deadline.isoformat(),
    }
    if not category_route(category).is_akims:
        notice += " " + _(
            "This matter belongs to another body: the akimat may forward it within 3 working days."
        )
    account = params.get("account_id", "").strip() or None
    row = {"service_request_id": appeal.number, "service_notice": notice, "account_id": account}
    return _respond(fmt, [row], root="service_requests", item="request")
