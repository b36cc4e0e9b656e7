"""Migration 0005 on a database an earlier release made: it ends with the catalogue of the file, keeps what an
analyst changed, and a second run changes nothing."""

import importlib

import pytest
from django.apps import apps

from esep.powers.models import Power
from esep.powers.seed import COLUMNS, parse_flag, read_powers_csv

migration = importlib.import_module("esep.powers.migrations.0005_articles_and_items_from_the_law_text")
NEW_CODES = [
    "governance.mediators_register",
    "sport.local_infrastructure",
    "social.convicts_employment",
    "transport.district_centre_link",
    "finance.district_budget_report",
    "finance.district_budget_resolution",
    "finance.district_first_quarter_plan",
    "governance.regional_local_tasks",
    "finance.regional_budget_resolution",
]


def catalogue_in_table() -> dict[str, dict[str, object]]:
    return {power.code: {name: getattr(power, name) for name in COLUMNS} for power in Power.objects.all()}


def catalogue_in_file() -> dict[str, dict[str, object]]:
    return {
        row["code"]: {**row, "basis_checked": parse_flag(row["basis_checked"])} for row in read_powers_csv()
    }


def as_the_earlier_release_shipped_it() -> None:
    Power.objects.filter(code__in=NEW_CODES).delete()
    for code, shipped in migration.SHIPPED_BEFORE.items():
        values = {
            name: parse_flag(value) if name == "basis_checked" else value for name, value in shipped.items()
        }
        Power.objects.filter(code=code).update(**values)


@pytest.mark.django_db
def test_a_database_of_the_earlier_release_ends_with_the_catalogue_of_the_file() -> None:
    as_the_earlier_release_shipped_it()
    assert Power.objects.get(code="cemeteries.maintenance").item == "1.12"
    migration.load(apps, None)
    assert catalogue_in_table() == catalogue_in_file()
    migration.load(apps, None)
    assert catalogue_in_table() == catalogue_in_file()


@pytest.mark.django_db
def test_a_fresh_database_has_the_catalogue_of_the_file_and_the_migration_changes_nothing() -> None:
    assert catalogue_in_table() == catalogue_in_file()
    migration.load(apps, None)
    assert catalogue_in_table() == catalogue_in_file()


@pytest.mark.django_db
def test_what_an_analyst_changed_since_is_kept() -> None:
    as_the_earlier_release_shipped_it()
    # An analyst corrected two items and a text before the upgrade.
    Power.objects.filter(code="landscaping.lighting").update(item="1.12-1")
    Power.objects.filter(code="cemeteries.maintenance").update(item="1.13")
    Power.objects.filter(code="water.supply").update(text_ru="Свой текст аналитика.")
    migration.load(apps, None)
    codes = ["landscaping.lighting", "cemeteries.maintenance", "water.supply"]
    lighting, cemeteries, water = (Power.objects.get(code=code) for code in codes)
    assert lighting.item == "1.12-1"
    # The analyst's item is not the one the file checked: it is kept and not marked as checked.
    assert (cemeteries.item, cemeteries.basis_checked) == ("1.13", False)
    assert (water.item, water.text_ru) == ("", "Свой текст аналитика.")
    assert Power.objects.get(code="roads.maintenance").item == ""
    assert Power.objects.filter(code__in=NEW_CODES).count() == len(NEW_CODES)
