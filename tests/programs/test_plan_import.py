"""Development plans from CSV: all or nothing, errors by line and field, a second run changes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from esep.core.audit.models import AuditEvent
from esep.core.imports import ImportFailed
from esep.programs.models import DevelopmentPlan, PlanItem
from esep.programs.services import PLAN_COLUMNS, plan_import_csv
from tests.conftest import ROOT

EXAMPLE = ROOT / "docs" / "examples" / "development-plan.csv"
HEADER = ",".join(PLAN_COLUMNS)
PLAN = '100000000,"Plan of Abay region",2026-2030'


def write(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "plan.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def errors_of(path: Path) -> list[tuple[int, str]]:
    with pytest.raises(ImportFailed) as caught:
        plan_import_csv(path=path)
    return [(error.line, error.field) for error in caught.value.errors]


@pytest.mark.django_db
def test_the_example_file_imports_plans_and_items_with_their_years() -> None:
    result = plan_import_csv(path=EXAMPLE)
    assert (result.created, result.updated) == (4, 0)  # one plan, three items
    plan = DevelopmentPlan.objects.get()
    assert (plan.region.kato, plan.year_from, plan.year_to) == ("100000000", 2026, 2030)
    roads = PlanItem.objects.get(code="ABA-2026-014")
    assert roads.territories == ["103200000"]
    assert roads.allocations == {"2027": 500_000_000, "2028": 400_000_000}
    assert roads.committed == {"2027": 300_000_000}
    assert roads.available(2027) == 200_000_000
    assert PlanItem.objects.get(code="ABA-2026-031").territories == ["103230000", "103233000"]
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.action == "programs.plan_import" and event.data["file"] == "development-plan.csv"


@pytest.mark.django_db
def test_a_second_run_of_the_same_file_changes_nothing() -> None:
    plan_import_csv(path=EXAMPLE)
    events = AuditEvent.objects.count()
    result = plan_import_csv(path=EXAMPLE)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_changed_allocation_updates_the_item(tmp_path) -> None:
    plan_import_csv(path=write(tmp_path, f"{PLAN},X-1,Roads,roads,103200000,2027,100,10"))
    result = plan_import_csv(path=write(tmp_path, f"{PLAN},X-1,Roads,roads,103200000,2027,150,10"))
    assert (result.created, result.updated) == (0, 1)
    assert PlanItem.objects.get(code="X-1").allocations == {"2027": 150}


@pytest.mark.django_db
def test_a_bad_line_names_its_line_and_field_and_nothing_is_written(tmp_path) -> None:
    path = write(
        tmp_path,
        f"{PLAN},X-1,Roads,roads,103200000,2027,100,0",
        f"{PLAN},X-2,Water,water,103200000,2027,-5,0",
        f"{PLAN},x 3,Water,plumbing,103200000,2031,100,200",
    )
    assert errors_of(path) == [
        (3, "allocation_kzt"),
        (4, "code"),
        (4, "committed_kzt"),
        (4, "sector"),
        (4, "year"),
    ]
    assert not PlanItem.objects.exists() and not DevelopmentPlan.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('110000000,"Plan",2026-2030,X-1,Roads,roads,103200000,2027,100,0', "territories"),
        (f"{PLAN},X-1,Roads,roads,103299999,2027,100,0", "territories"),
        (f"{PLAN},X-1,Roads,roads,,2027,100,0", "territories"),
        ('103200000,"Plan",2026-2030,X-1,Roads,roads,103200000,2027,100,0', "region"),
        ('100000000,"Plan",2030-2026,X-1,Roads,roads,103200000,2027,100,0', "plan_years"),
        (f"{PLAN},X-1,,roads,103200000,2027,100,0", "title"),
        (f"{PLAN},X-1,Roads,roads,103200000,2027,1.5,0", "allocation_kzt"),
        (f"{PLAN},X-1,Roads,roads,103200000 103200000,2027,100,0", "territories"),
    ],
)
def test_each_kind_of_bad_value_is_named_by_its_field(tmp_path, line, field) -> None:
    assert errors_of(write(tmp_path, line)) == [(2, field)]


@pytest.mark.django_db
def test_lines_of_one_item_must_agree_and_not_repeat_a_year(tmp_path) -> None:
    path = write(
        tmp_path,
        f"{PLAN},X-1,Roads,roads,103200000,2027,100,0",
        f"{PLAN},X-1,Other title,roads,103200000,2028,100,0",
        f"{PLAN},X-1,Roads,roads,103200000,2027,100,0",
    )
    assert errors_of(path) == [(3, "title"), (4, "year")]


@pytest.mark.django_db
def test_an_item_code_of_another_plan_is_refused(tmp_path) -> None:
    plan_import_csv(path=write(tmp_path, f"{PLAN},X-1,Roads,roads,103200000,2027,100,0"))
    path = write(tmp_path, '100000000,"Next plan",2031-2035,X-1,Roads,roads,103200000,2031,100,0')
    assert errors_of(path) == [(2, "code")]


@pytest.mark.django_db
def test_a_file_without_a_required_column_is_refused(tmp_path) -> None:
    path = write(tmp_path, '100000000,"Plan",2026-2030,X-1', header="region,plan_title,plan_years,code")
    assert (1, "title") in errors_of(path)


@pytest.mark.django_db
def test_the_command_imports_and_reports_errors_by_line(tmp_path) -> None:
    out = StringIO()
    call_command("programs", "import-plans", str(EXAMPLE), stdout=out)
    assert "4 created" in out.getvalue()
    call_command("programs", "import-plans", str(EXAMPLE), stdout=out)
    assert "nothing changed" in out.getvalue()
    with pytest.raises(CommandError, match="line 2, field sector"):
        call_command(
            "programs", "import-plans", str(write(tmp_path, f"{PLAN},X-1,Roads,x,103200000,2027,1,0"))
        )
