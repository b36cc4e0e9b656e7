from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.core.models import Role
from esep.training import selectors, services
from esep.training.models import PositionKind, StaffChange, StaffChangeKind
from tests.training.factories import make_category

EARLY = date(2024, 1, 15)


@pytest.fixture
def categories(db: None) -> dict:
    return {
        "E-G-1": make_category("E-G-1"),
        "E-G-3": make_category("E-G-3"),
        "TECH": make_category("TECH", corps="none"),
    }


def position(unit, categories, kind=PositionKind.CHIEF_SPECIALIST, code="E-G-3", on=EARLY, actor=None):
    return services.staff_position_create(unit=unit, kind=kind, category=categories[code], on=on, actor=actor)


def test_a_position_is_created_filled_vacated_and_abolished_with_its_history(unit_a, categories) -> None:
    chief = position(unit_a, categories)
    services.staff_position_fill(position=chief, holder_name="  Сапарова   Айгүл ", on=date(2024, 2, 1))
    chief.refresh_from_db()
    assert chief.holder_name == "Сапарова Айгүл" and chief.filled_since == date(2024, 2, 1)
    services.staff_position_vacate(position=chief, on=date(2025, 3, 1), note="перевод")
    services.staff_position_abolish(position=chief, on=date(2025, 4, 1))
    kinds = list(StaffChange.objects.filter(position=chief).order_by("on").values_list("kind", flat=True))
    assert kinds == ["created", "filled", "vacated", "abolished"]
    # The holder's name stays out of the audit log.
    assert not AuditEvent.objects.filter(data__icontains="Сапарова").exists()


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (["fill", "fill"], "is filled"),
        (["vacate"], "already vacant"),
        (["fill", "abolish"], "filled position cannot be abolished"),
        (["abolish", "fill"], "abolished"),
        (["fill_before_creation"], "earlier than"),
        (["fill_future"], "future"),
    ],
)
def test_staff_changes_follow_the_state_of_the_position(unit_a, categories, steps, message) -> None:
    chief = position(unit_a, categories)
    on = date(2024, 6, 1)
    actions = {
        "fill": lambda: services.staff_position_fill(position=chief, holder_name="Омаров Нұрлан", on=on),
        "vacate": lambda: services.staff_position_vacate(position=chief, on=on),
        "abolish": lambda: services.staff_position_abolish(position=chief, on=on),
        "fill_before_creation": lambda: services.staff_position_fill(
            position=chief, holder_name="Омаров", on=EARLY - timedelta(days=1)
        ),
        "fill_future": lambda: services.staff_position_fill(
            position=chief, holder_name="Омаров", on=timezone.localdate() + timedelta(days=1)
        ),
    }
    with pytest.raises(ApplicationError, match=message):
        for step in steps:
            actions[step]()


def test_the_akimat_records_its_own_staff_and_nobody_elses(unit_a, unit_b, categories, make_user) -> None:
    staff = make_user(Role.AKIMAT_STAFF, unit_a)
    assert position(unit_a, categories, actor=staff).rural_unit == unit_a
    with pytest.raises(PermissionDenied):
        position(unit_b, categories, actor=staff)
    with pytest.raises(PermissionDenied):
        position(unit_a, categories, actor=make_user(Role.RESIDENT, unit_a))
    with pytest.raises(ApplicationError, match="not a rural unit"):
        position(unit_a.parent, categories)


def test_the_akims_post_category_is_set_by_analysts(unit_a, categories, make_user) -> None:
    with pytest.raises(PermissionDenied):
        services.akim_post_set(unit=unit_a, category=categories["E-G-1"], actor=make_user(Role.AKIM, unit_a))
    post = services.akim_post_set(
        unit=unit_a, category=categories["E-G-1"], actor=make_user(Role.ANALYST, None)
    )
    again = services.akim_post_set(unit=unit_a, category=categories["E-G-3"], note="на рассмотрении")
    assert again.pk == post.pk and again.category.code == "E-G-3"


def test_summaries_count_positions_filled_vacant_and_changes_per_year(
    unit_a, unit_a2, unit_b, categories
) -> None:
    for unit in (unit_a, unit_a2, unit_b):
        filled = position(unit, categories)
        services.staff_position_fill(position=filled, holder_name="Ахметов", on=date(2024, 2, 1))
        position(unit, categories, kind=PositionKind.TECHNICAL, code="TECH")
    services.staff_position_vacate(position=filled, on=date(2025, 1, 10))  # in unit B
    abay = selectors.staff_total("10")
    assert (abay.positions, abay.filled, abay.vacant, abay.civil_service) == (4, 2, 2, 2)
    by_district = selectors.staff_counts_by_prefix("10", 4)
    assert by_district["1032"].positions == 4
    country = selectors.staff_changes_by_year("")
    assert [(y.year, y.created, y.filled, y.vacated) for y in country] == [(2024, 6, 3, 0), (2025, 0, 0, 1)]
    categories_rows = {
        row.category.code: (row.positions, row.filled) for row in selectors.staff_by_category("")
    }
    assert categories_rows == {"E-G-3": (3, 2), "TECH": (3, 0)}


def test_the_staff_pages_show_counts_to_everyone_and_names_to_the_unit_only(
    client, unit_a, categories, make_user
) -> None:
    chief = position(unit_a, categories)
    services.staff_position_fill(position=chief, holder_name="Жұмабаева Гүлнар", on=date(2024, 2, 1))
    position(unit_a, categories, kind=PositionKind.LEADING_SPECIALIST)
    url = reverse("training:staff_area", args=[unit_a.kato])
    public = client.get(url).content.decode()
    assert "Жұмабаева" not in public and "vacant" in public
    client.force_login(make_user(Role.AKIM, unit_a))
    assert "Жұмабаева Гүлнар" in client.get(url).content.decode()
    for kato in (None, "100000000", "103200000"):
        page = client.get(reverse("training:staff_area", args=[kato]) if kato else reverse("training:staff"))
        assert page.status_code == 200 and page.context["total"].positions == 2
    assert "<svg" in page.content.decode()


def test_staff_summary_pages_run_a_fixed_number_of_queries(client, unit_a, unit_a2, categories) -> None:
    position(unit_a, categories)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("training:staff_area", args=["100000000"]))
    for unit in (unit_a, unit_a2):
        services.staff_position_fill(
            position=position(unit, categories), holder_name="Исаев", on=date(2024, 3, 1)
        )
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("training:staff_area", args=["100000000"]))
    assert len(more) == len(few) <= 8


def test_staff_forms_post_through_the_services_and_report_errors(
    client, unit_a, unit_b, categories, make_user
) -> None:
    client.force_login(make_user(Role.AKIMAT_STAFF, unit_a))
    created = client.post(
        reverse("training:staff_position_create", args=[unit_a.kato]),
        {"kind": "accountant", "category": "E-G-3", "on": "2024-01-10"},
    )
    assert created.status_code == 302
    accountant = selectors.unit_positions(unit_a)[0]
    fill = reverse("training:staff_position_action", args=[accountant.pk, "fill"])
    bad = client.post(fill, {"holder_name": "", "on": "2024-01-20"})
    assert bad.status_code == 400
    assert client.post(fill, {"holder_name": "Тұрсынов Ерік", "on": "2024-01-20"}).status_code == 302
    assert StaffChange.objects.filter(position=accountant, kind=StaffChangeKind.FILLED).exists()
    refused = client.post(fill, {"holder_name": "Ещё один", "on": "2024-02-20"})
    assert refused.status_code == 400 and "record the departure first" in refused.content.decode()
    assert (
        client.post(
            reverse("training:staff_position_action", args=[accountant.pk, "explode"]), {}
        ).status_code
        == 404
    )
    elsewhere = client.post(
        reverse("training:staff_position_create", args=[unit_b.kato]),
        {"kind": "accountant", "category": "E-G-3", "on": "2024-01-10"},
    )
    assert elsewhere.status_code == 403
