from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from esep.core.errors import ApplicationError
from esep.training import services
from esep.training.models import Session


class Command(BaseCommand):
    help = (
        "School of Akims files, all or nothing. Examples:\n"
        "  esep training enrol --session 12 units.csv      (column kato: the units' sitting akims)\n"
        "  esep training results --session 12 results.csv  (columns kato, score, completed_on YYYY-MM-DD)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["enrol", "results"])
        parser.add_argument("path", help="a UTF-8 CSV file with a header row")
        parser.add_argument("--session", type=int, required=True, help="the session's number (see its page)")

    def handle(self, *args: object, **options: object) -> None:
        session = Session.objects.select_related("course", "region").filter(pk=options["session"]).first()
        if session is None:
            raise CommandError(_("No session number %(id)s.") % {"id": options["session"]})
        try:
            if options["action"] == "enrol":
                result = services.enrolments_import(session=session, path=str(options["path"]))
                self.stdout.write(
                    _("enrolled %(n)d; already enrolled %(e)d; already completed the course %(c)d")
                    % {"n": len(result.enrolled), "e": result.already_enrolled, "c": result.already_completed}
                )
            else:
                imported = services.completions_import(session=session, path=str(options["path"]))
                self.stdout.write(_("results recorded: %(n)d") % {"n": imported.created})
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
