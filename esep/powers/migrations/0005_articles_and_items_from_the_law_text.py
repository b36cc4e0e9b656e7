"""Complete the catalogue from esep/powers/data/powers.csv after reading the stored text of the Law on local
public administration (art. 35, 31, 27): new powers of those articles, the items the text confirms, and no more
items of the first catalogue's rural numbering, which the text contradicts (docs/powers.md, "legal basis").

A database made before this migration gets the same catalogue as a new one; a field an analyst has changed
since (the table no longer holds the value shipped below) is kept.
"""

from django.db import migrations

# What migrations 0002/0004 shipped for the fields the file changes now: code -> {field: shipped value}.
SHIPPED_BEFORE = {
    "defence.conscription": {"item": "1.5"},
    "health.emergency_delivery": {"item": "1.6"},
    "social.low_income": {"item": "1.7"},
    "social.home_care": {"item": "1.7"},
    "social.infrastructure": {"item": "1.8"},
    "culture.events": {"item": "1.9"},
    "sport.mass_sport": {"item": "1.10"},
    "landscaping.improvement": {"item": "1.11"},
    "landscaping.lighting": {"item": "1.11"},
    "landscaping.sanitation": {"item": "1.11"},
    "cemeteries.maintenance": {"item": "1.12", "basis_checked": ""},
    "records.household": {"item": "1.13"},
    "water.supply": {"item": "1.14"},
    "roads.maintenance": {"item": "1.15"},
    "transport.school_bus": {"item": "1.16", "basis_checked": ""},
    "transport.public": {"item": "1.17"},
    "land.relations": {"item": "1.18"},
    "agriculture.pastures": {"item": "1.19"},
    "housing.stock": {"item": "1.20"},
    "finance.local_budget": {"item": "1.21"},
    "governance.communal_property": {"item": "1.22"},
    "governance.local_community": {"item": "1.23"},
    "governance.report_to_residents": {"item": "1.24"},
    "emergencies.fire_safety": {"item": "1.25"},
    "veterinary.assistance": {"item": "1.26"},
    "public_order.assistance": {"item": "1.27"},
}


def load(apps, schema_editor):
    from esep.powers.seed import seed_powers, update_shipped_powers

    power_model = apps.get_model("powers", "Power")
    seed_powers(power_model)
    update_shipped_powers(power_model, SHIPPED_BEFORE)


class Migration(migrations.Migration):
    dependencies = [("powers", "0004_complete_catalogue_and_sector_owners")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
