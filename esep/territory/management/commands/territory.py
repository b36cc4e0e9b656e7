import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from esep.core.errors import ApplicationError
from esep.core.progress import ProgressBar
from esep.territory.services import territory_import


class Command(BaseCommand):
    help = "Territory tools. Example: esep territory import data/kato.csv"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importer = sub.add_parser(
            "import", help="load or refresh the KATO classifier from its CSV (all or nothing)"
        )
        importer.add_argument("path", help="KATO CSV: kato,kato_version,level,type_code,name_ru,name_kk")
        importer.add_argument("--quiet-progress", action="store_true", help="no progress bar")

    def handle(self, *args: object, **options: object) -> None:
        path = str(options["path"])
        try:
            bar = None if options["quiet_progress"] else ProgressBar(label=_("KATO"), stream=sys.stderr)
            result = territory_import(path=path, progress=bar.update if bar else None)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        if result.changed:
            self.stdout.write(
                _("territory imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % result.__dict__
            )
        else:
            self.stdout.write(
                _("territory is up to date: nothing changed (%(unchanged)d rows)") % result.__dict__
            )
        for note in result.notes:
            self.stdout.write(note)
