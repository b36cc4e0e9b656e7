"""Load the default request categories (esep/appeals/catalogue.py): the web form and Open311 need them."""

from django.db import migrations


def load_categories(apps, schema_editor):
    from esep.appeals.catalogue import category_rows

    category_model = apps.get_model("appeals", "Category")
    for row in category_rows():
        code = row.pop("code")
        category_model.objects.update_or_create(code=code, defaults=row)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_requests_categories_counters")]

    operations = [migrations.RunPython(load_categories, migrations.RunPython.noop)]
