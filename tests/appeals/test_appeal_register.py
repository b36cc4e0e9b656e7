import re
from datetime import date
from decimal import Decimal

import pytest

from esep.appeals import services
from esep.appeals.models import Appeal, AppealEvent, AppealStat, Source, Status
from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.territory.models import Territory

from .conftest import at


def test_it_registers_at_once_with_a_number_a_deadline_and_history(make_appeal, unit_a) -> None:
    appeal = make_appeal(now=at(date(2026, 2, 2)))
    assert re.fullmatch(r"AP-2026-\d{7}", appeal.number)
    assert appeal.status == Status.REGISTERED
    assert appeal.kato == unit_a.kato
    # 2 Feb 2026 (Monday) + 15 working days = 23 Feb 2026 (no holidays in between).
    assert appeal.deadline == date(2026, 2, 23)
    assert list(AppealEvent.objects.filter(appeal=appeal).values_list("kind", flat=True)) == ["registered"]
    event = AuditEvent.objects.filter(action="appeals.register", subject_id=str(appeal.pk)).get()
    assert event.territory == unit_a.kato and event.data["number"] == appeal.number
    assert "text" not in event.data


def test_numbers_follow_each_other_within_a_year(make_appeal) -> None:
    first = make_appeal(now=at(date(2026, 3, 2)))
    second = make_appeal(now=at(date(2026, 3, 2)))
    assert int(second.number[-7:]) == int(first.number[-7:]) + 1
    next_year = make_appeal(now=at(date(2027, 1, 5)))
    assert next_year.number == "AP-2027-0000001"


def test_it_counts_the_request_in_all_four_scopes(make_appeal, unit_a) -> None:
    appeal = make_appeal(now=at(date(2026, 2, 2)))
    scopes = set(
        AppealStat.objects.filter(category=appeal.category, month=date(2026, 2, 1), registered=1).values_list(
            "scope", flat=True
        )
    )
    assert scopes == {unit_a.kato, unit_a.district_code, unit_a.region_code, ""}


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"text": "   "}, "empty_text"),
        ({"text": "я" * 4001}, "text_too_long"),
        ({"latitude": "43.2"}, "invalid_location"),
        ({"latitude": "51.5", "longitude": "-0.1"}, "invalid_location"),
        ({"latitude": "abc", "longitude": "70"}, "invalid_location"),
    ],
)
def test_it_refuses_bad_requests_with_a_clear_reason(make_appeal, changes, code) -> None:
    with pytest.raises(ApplicationError) as caught:
        make_appeal(**changes)
    assert caught.value.code == code
    assert str(caught.value.message)
    assert not Appeal.private_objects.exists()


def test_a_text_of_exactly_4000_characters_is_accepted(make_appeal) -> None:
    assert len(make_appeal(text="я" * 4000).text) == 4000


def test_it_refuses_a_unit_without_an_elected_akim(make_appeal, unit_a) -> None:
    district = Territory.objects.get(kato=unit_a.district_code)
    with pytest.raises(ApplicationError) as caught:
        make_appeal(unit=district)
    assert caught.value.code == "invalid_unit"


def test_it_keeps_a_location_in_kazakhstan(make_appeal) -> None:
    appeal = make_appeal(latitude="49.948123", longitude="82.627456")
    assert appeal.latitude == Decimal("49.948123") and appeal.longitude == Decimal("82.627456")


def test_an_organisation_request_has_no_resident_but_keeps_the_contact(unit_a, categories) -> None:
    key, _raw = services.api_key_issue(organisation="Village Watch")
    appeal = services.appeal_register(
        unit=unit_a,
        category=categories["water"],
        text="No water",
        api_key=key,
        contact_name="Aset",
        contact_email="aset@example.org",
        source=Source.OPEN311,
    )
    assert appeal.resident is None and appeal.api_key == key and appeal.contact_email == "aset@example.org"


def test_a_request_needs_exactly_one_sender(unit_a, categories, resident) -> None:
    key, _raw = services.api_key_issue(organisation="Village Watch")
    with pytest.raises(ApplicationError):
        services.appeal_register(unit=unit_a, category=categories["water"], text="x")
    with pytest.raises(ApplicationError):
        services.appeal_register(
            unit=unit_a, category=categories["water"], text="x", resident=resident, api_key=key
        )
