from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from esep.core.audit.chain import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. Example: esep audit verify"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="walk the hash chain and report the first broken link")

    def handle(self, *args: object, **options: object) -> None:
        report = audit_verify()
        if report.intact:
            self.stdout.write(
                ngettext("chain intact: %(count)d event", "chain intact: %(count)d events", report.checked)
                % {"count": report.checked}
            )
            return
        raise CommandError(
            ngettext(
                "chain broken at event %(sequence)d: %(reason)s (%(count)d event before it is intact)",
                "chain broken at event %(sequence)d: %(reason)s (%(count)d events before it are intact)",
                report.checked,
            )
            % {"sequence": report.broken_at, "reason": report.reason, "count": report.checked}
        )
