"""Load the first catalogue of powers from esep/powers/data/powers.csv (rural akim art. 35, district, police...)."""

from django.db import migrations


def load_powers(apps, schema_editor):
    from esep.powers.seed import seed_powers

    seed_powers(apps.get_model("powers", "Power"))


class Migration(migrations.Migration):
    dependencies = [("powers", "0001_catalogue_of_powers")]

    operations = [migrations.RunPython(load_powers, migrations.RunPython.noop)]
