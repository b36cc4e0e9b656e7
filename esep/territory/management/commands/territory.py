import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from esep.core.errors import ApplicationError
from esep.core.progress import ProgressBar
from esep.territory.boundaries import write_web_boundaries
from esep.territory.services import territory_import

BOUNDARIES_SOURCE = Path(settings.BASE_DIR) / "data" / "boundaries"
BOUNDARIES_TARGET = Path(__file__).resolve().parents[2] / "static" / "territory"


class Command(BaseCommand):
    help = "Territory tools. Examples: esep territory import data/kato.csv; esep territory boundaries"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importer = sub.add_parser(
            "import", help="load or refresh the KATO classifier from its CSV (all or nothing)"
        )
        importer.add_argument("path", help="KATO CSV: kato,kato_version,level,type_code,name_ru,name_kk")
        importer.add_argument("--quiet-progress", action="store_true", help="no progress bar")
        sub.add_parser("boundaries", help="rewrite the web copies of data/boundaries (rounded, KATO only)")

    def handle(self, *args: object, **options: object) -> None:
        if options["action"] == "boundaries":
            for written in write_web_boundaries(BOUNDARIES_SOURCE, BOUNDARIES_TARGET):
                self.stdout.write(f"{written} ({written.stat().st_size} bytes)")
            return
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
