"""Request pages: who sees what, forms answer 400 with field errors, lists keep a fixed query count."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from esep.appeals import services
from esep.appeals.models import Appeal, Status

from .conftest import at


def test_the_form_registers_a_request_and_shows_the_slip(client, resident, unit_a, categories) -> None:
    client.force_login(resident)
    page = client.get(reverse("appeals:submit"))
    assert page.status_code == 200 and unit_a.kato in page.content.decode()
    response = client.post(
        reverse("appeals:submit"),
        {"unit": unit_a.kato, "category": "water", "text": "Нет воды в колонке", "publish_text": "on"},
    )
    appeal = Appeal.private_objects.get(resident=resident)
    assert response.status_code == 302 and response["Location"] == reverse(
        "appeals:slip", args=[appeal.number]
    )
    slip = client.get(response["Location"]).content.decode()
    assert appeal.number in slip and appeal.deadline.strftime("%d.%m.%Y") in slip


@pytest.mark.parametrize(
    ("language", "roads", "water"),
    [
        ("ru", "Дороги и улицы", "Водоснабжение"),
        ("kk", "Жолдар мен көшелер", "Сумен жабдықтау"),
        ("en", "Roads and streets", "Water supply"),
    ],
)
def test_the_category_lists_show_names_in_the_language_of_the_page(
    resident, staff, language, roads, water
) -> None:
    for user, url in [(resident, reverse("appeals:submit")), (staff, reverse("appeals:inbox"))]:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(user)
        html = client.get(url).content.decode()
        assert re.search(rf'<option value="roads"[^>]*>{roads}</option>', html), (language, url)
        assert re.search(rf'<option value="water"[^>]*>{water}</option>', html), (language, url)


def test_bad_input_is_a_400_with_field_errors(client, resident) -> None:
    client.force_login(resident)
    response = client.post(reverse("appeals:submit"), {"unit": "12", "category": "nope", "text": ""})
    assert response.status_code == 400
    form = response.context["form"]
    assert {"unit", "category", "text"} <= set(form.errors)
    assert not Appeal.private_objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client) -> None:
    response = client.get(reverse("appeals:submit"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_request_is_seen_by_its_resident_and_its_akimat_only(
    client, make_appeal, resident, neighbour, staff, other_staff, supervisor
) -> None:
    appeal = make_appeal()
    url = reverse("appeals:detail", args=[appeal.number])
    for user, status in [
        (resident, 200),
        (staff, 200),
        (supervisor, 200),
        (neighbour, 404),
        (other_staff, 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(neighbour)
    assert client.get(reverse("appeals:slip", args=[appeal.number])).status_code == 404


def test_staff_answer_from_the_page_and_the_resident_confirms(client, make_appeal, staff, resident) -> None:
    appeal = make_appeal()
    client.force_login(staff)
    page = client.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
    assert f'action="{reverse("appeals:answer", args=[appeal.number])}"' in page
    assert client.post(reverse("appeals:answer", args=[appeal.number]), {"answer": ""}).status_code == 400
    response = client.post(reverse("appeals:answer", args=[appeal.number]), {"answer": "Починили."})
    assert response.status_code == 302
    client.force_login(resident)
    page = client.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
    assert "Починили." in page and reverse("appeals:close", args=[appeal.number]) in page
    client.post(reverse("appeals:close", args=[appeal.number]), {"verdict": "confirmed"})
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED


def test_a_broken_rule_is_shown_on_the_page(client, make_appeal, staff) -> None:
    appeal = make_appeal()
    client.force_login(staff)
    too_late = appeal.deadline + timedelta(days=200)
    response = client.post(
        reverse("appeals:extend", args=[appeal.number]),
        {"new_deadline": too_late.isoformat(), "reason": "Waiting for the district."},
    )
    assert response.status_code == 400
    assert "two months" in response.content.decode()


def test_the_page_offers_forwarding_for_a_category_the_akim_does_not_hold(client, make_appeal, staff) -> None:
    appeal = make_appeal("public_order")
    client.force_login(staff)
    page = client.get(reverse("appeals:detail", args=[appeal.number])).content.decode()
    assert "not a power of the rural akim" in page
    assert reverse("appeals:forward", args=[appeal.number]) in page
    client.post(
        reverse("appeals:forward", args=[appeal.number]), {"body": "police", "body_name": "", "reason": ""}
    )
    appeal.refresh_from_db()
    assert appeal.status == Status.FORWARDED and appeal.forwarded_body


def test_residents_cannot_act_through_the_pages(client, make_appeal, resident) -> None:
    appeal = make_appeal()
    client.force_login(resident)
    assert client.post(reverse("appeals:answer", args=[appeal.number]), {"answer": "x"}).status_code == 403
    assert client.get(reverse("appeals:inbox")).status_code == 403


def test_my_requests_lists_only_mine_with_a_fixed_query_count(
    client, make_appeal, resident, neighbour
) -> None:
    make_appeal(resident=neighbour)
    client.force_login(resident)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("appeals:mine")).status_code == 200
        return len(queries)

    make_appeal()
    few = count_queries()
    for _ in range(6):
        make_appeal()
    response = client.get(reverse("appeals:mine"))
    assert response.context["page"].paginator.count == 7
    assert count_queries() == few


def test_the_inbox_is_scoped_filtered_sorted_and_its_query_count_fixed(
    client, make_appeal, staff, unit_b, categories, make_user
) -> None:
    from esep.core.models import Role

    stranger = make_user(Role.RESIDENT, unit_b)
    services.appeal_register(unit=unit_b, category=categories["roads"], text="Elsewhere", resident=stranger)
    today = timezone.localdate()
    old = make_appeal(now=at(today - timedelta(days=40)))
    client.force_login(staff)

    def fetch(query: str = "") -> tuple[int, object]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("appeals:inbox") + query)
        assert response.status_code == 200
        return len(queries), response

    make_appeal()
    few, response = fetch()
    numbers = [appeal.number for appeal in response.context["page"]]
    assert numbers[0] == old.number  # deadline first: the overdue one leads
    assert all(not n.startswith("x") for n in numbers) and len(numbers) == 2
    for _ in range(10):
        make_appeal()
    many, response = fetch()
    assert response.context["page"].paginator.count == 12
    assert many == few
    _count, overdue = fetch("?overdue=on")
    assert [a.number for a in overdue.context["page"]] == [old.number]
    assert 'class="overdue-row"' in overdue.content.decode()


def test_bulk_assign_from_the_inbox(client, make_appeal, staff, akim) -> None:
    appeals = [make_appeal(), make_appeal()]
    client.force_login(akim)
    response = client.post(
        reverse("appeals:inbox"),
        {"numbers": [a.number for a in appeals], "assignee": str(staff.pk), "back": ""},
    )
    assert response.status_code == 302
    assert set(Appeal.private_objects.values_list("assigned_to", flat=True)) == {staff.pk}


def test_figures_pages_and_the_territory_section(client, make_appeal, unit_a) -> None:
    make_appeal()
    for url in [
        reverse("appeals:figures_country"),
        reverse("appeals:figures", args=[unit_a.kato]),
        reverse("appeals:figures", args=[unit_a.district_code]),
        reverse("appeals:figures", args=[unit_a.region_code]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "answered on time" in response.content.decode()
    unit_page = client.get(reverse("territory:detail", args=[unit_a.kato])).content.decode()
    assert "Residents&#x27; requests" in unit_page or "Residents' requests" in unit_page
    assert reverse("appeals:submit") + f"?unit={unit_a.kato}" in unit_page
    assert client.get(reverse("appeals:figures", args=["999999999"])).status_code == 404


def test_photos_are_served_only_to_who_may_see_the_request(client, make_appeal, resident, neighbour) -> None:
    from .test_photos import png

    appeal = make_appeal(photos=[png()])
    photo = appeal.photos.get()
    url = reverse("appeals:photo", args=[appeal.number, photo.pk])
    client.force_login(resident)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    client.force_login(neighbour)
    assert client.get(url).status_code == 404


def test_notifications_page_lists_and_marks_read(client, make_appeal, staff, resident) -> None:
    appeal = make_appeal()
    services.appeal_answer(actor=staff, appeal=appeal, answer="Done")
    client.force_login(resident)
    page = client.get(reverse("appeals:notifications"))
    assert appeal.number in page.content.decode()
    client.post(reverse("appeals:notifications"))
    assert not resident.appeal_notifications.filter(read_at__isnull=True).exists()


@pytest.mark.parametrize("name", ["appeals:submit", "appeals:mine", "appeals:notifications"])
def test_pages_fit_a_phone_and_need_no_internet(client, resident, name) -> None:
    client.force_login(resident)
    html = client.get(reverse(name)).content.decode()
    assert 'name="viewport"' in html
    assert "https://" not in html.replace("https://geokz", "")  # no CDN


@pytest.mark.django_db
def test_submitting_is_rate_limited(client, resident) -> None:
    from esep.core import ratelimit

    client.force_login(resident)
    for _ in range(20):
        ratelimit.hit(f"appeals.submit:user:{resident.pk}", window_seconds=3600)
    response = client.post(reverse("appeals:submit"), {})
    assert response.status_code == 429
