from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from esep.dashboard import package


class Command(BaseCommand):
    help = (
        "Write the open data package (one CSV per public entity and datapackage.json, no personal data) "
        "into DIR. Example: esep export var/export"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="where to write; created if missing")

    def handle(self, *args: object, directory: Path, **options: object) -> None:
        if directory.exists() and not directory.is_dir():
            raise CommandError(_("%(path)s exists and is not a directory.") % {"path": directory})
        written = package.write(directory)
        for name, size in written:
            self.stdout.write(f"{name}\t{size}")
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)s resources and datapackage.json written to %(path)s.")
                % {"count": len(written) - 1, "path": directory}
            )
        )
