"""Complete the catalogue from esep/powers/data/powers.csv (region akim art. 27, more district powers, functions
of other bodies that akims carry), mark the articles and items checked, and load the owners of sectors."""

from django.db import migrations


def load(apps, schema_editor):
    from esep.powers.seed import mark_checked_bases, seed_powers, seed_sector_owners

    power_model = apps.get_model("powers", "Power")
    seed_powers(power_model)
    mark_checked_bases(power_model)
    seed_sector_owners(apps.get_model("powers", "SectorOwner"))


class Migration(migrations.Migration):
    dependencies = [("powers", "0003_sector_owners_pair_reviews_proposals")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
