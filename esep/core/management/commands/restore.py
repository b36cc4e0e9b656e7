from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from esep.core.audit.chain import audit_verify
from esep.core.backup import database_restore
from esep.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Replace the database with a backup made by `esep backup`, then verify the audit chain. "
        "Stop the web servers and workers first. Example: esep restore var/backups/esep.dump --yes"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--yes", action="store_true", help="confirm that the current data will be replaced"
        )

    def handle(self, *args: object, **options: object) -> None:
        if not options["yes"]:
            raise CommandError(_("restore replaces all current data: add --yes to confirm"))
        try:
            database_restore(Path(options["path"]))
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        report = audit_verify()
        if not report.intact:
            raise CommandError(
                _("restored, but the audit chain is broken at event %(sequence)d: %(reason)s")
                % {"sequence": report.broken_at, "reason": report.reason}
            )
        self.stdout.write(
            ngettext(
                "restored %(path)s; audit chain intact (%(count)d event)",
                "restored %(path)s; audit chain intact (%(count)d events)",
                report.checked,
            )
            % {"path": options["path"], "count": report.checked}
        )
