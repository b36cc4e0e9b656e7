"""Fill in the Kazakh descriptions of the default categories on databases loaded before they were written
(0002 loads the whole catalogue on new databases). A description someone has already written is kept."""

from django.db import migrations


def fill_kazakh_descriptions(apps, schema_editor):
    from esep.appeals.catalogue import CATEGORIES

    category_model = apps.get_model("appeals", "Category")
    for spec in CATEGORIES:
        category_model.objects.filter(code=spec.code, description_kk="").update(
            description_kk=spec.description_kk
        )


class Migration(migrations.Migration):
    dependencies = [("appeals", "0003_appeal_kato_registered_index")]

    operations = [migrations.RunPython(fill_kazakh_descriptions, migrations.RunPython.noop)]
