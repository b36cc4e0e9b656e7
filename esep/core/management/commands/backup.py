from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from esep.core.backup import database_backup
from esep.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Write a consistent backup of the whole database. Example: esep backup var/backups/esep.dump"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="file to write (default: var/backups/esep-<time>.backup)")

    def handle(self, *args: object, **options: object) -> None:
        from django.conf import settings

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = Path(options["path"] or settings.VAR_DIR / "backups" / f"esep-{stamp}.backup")
        try:
            digest = database_backup(path)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("backup written: %(path)s sha256=%(digest)s") % {"path": path, "digest": digest})
