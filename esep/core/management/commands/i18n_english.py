from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Fill the English catalogue from the English source strings (msgstr = msgid), so that every "
        "language has a complete catalogue. Run by `make messages`. Example: esep i18n_english"
    )

    def handle(self, *args: object, **options: object) -> None:
        path = Path(settings.BASE_DIR) / "esep" / "locale" / "en" / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path))
        filled = 0
        for entry in catalogue:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            if entry.msgid_plural:
                if not all(entry.msgstr_plural.values()) or entry.previous_msgid:
                    entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                    filled += 1
            elif entry.msgstr != entry.msgid:
                entry.msgstr = entry.msgid
                filled += 1
        catalogue.metadata_is_fuzzy = False
        catalogue.metadata.update(
            {
                "Project-Id-Version": "Esep",
                "Language": "en",
                "Language-Team": "en",
                "Plural-Forms": "nplurals=2; plural=(n != 1);",
            }
        )
        catalogue.save()
        self.stdout.write(f"English catalogue: {filled} entries filled")
