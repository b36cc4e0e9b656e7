from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from esep.core.errors import ApplicationError
from esep.core.imports import ImportFailed, RowError, read_csv_rows
from esep.recall import selectors
from esep.recall.models import Initiative
from esep.recall.services import PaperLine, paper_sheet_enter


def read_sheet(path: str) -> list[PaperLine]:
    """The lines of a paper sheet from a CSV with the columns line, iin, signed_on (YYYY-MM-DD); any format
    error stops everything, named by line and field. The IINs themselves are checked by the service."""
    lines: list[PaperLine] = []
    errors: list[RowError] = []
    for number, row in read_csv_rows(path, required=["line", "iin", "signed_on"]):
        try:
            line = int(row["line"])
        except ValueError:
            errors.append(RowError(number, "line", _("not a whole number")))
            continue
        try:
            signed_on = date.fromisoformat(row["signed_on"].strip())
        except ValueError:
            errors.append(RowError(number, "signed_on", _("not a date (YYYY-MM-DD)")))
            continue
        lines.append(PaperLine(line=line, iin=row["iin"].strip(), signed_on=signed_on))
    if errors:
        raise ImportFailed(path, errors)
    return lines


class Command(BaseCommand):
    help = (
        "Recall tools. Examples: esep recall status; esep recall status --initiative 12; "
        "esep recall paper-sheet 12 7 sheet7.csv --user commission.member "
        "(CSV columns: line,iin,signed_on)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        status = sub.add_parser("status", help="initiatives by state, or one initiative's count")
        status.add_argument("--initiative", type=int, help="number of an initiative")
        status.add_argument("--territory", default="", help="KATO prefix of an area (default: the country)")
        sheet = sub.add_parser("paper-sheet", help="enter a paper signature sheet (all or nothing)")
        sheet.add_argument("initiative", type=int)
        sheet.add_argument("number", type=int, help="the sheet's number")
        sheet.add_argument("path", help="CSV: line,iin,signed_on")
        sheet.add_argument("--user", required=True, help="user name of the commission member entering it")

    def handle(self, *args: object, **options: object) -> None:
        if options["action"] == "status":
            self._status(options)
            return
        initiative = Initiative.objects.filter(pk=options["initiative"]).first()
        if initiative is None:
            raise CommandError(_("No recall initiative has this number."))
        actor = get_user_model().objects.filter(username=options["user"]).first()
        if actor is None:
            raise CommandError(_("No user has this name."))
        try:
            sheet = paper_sheet_enter(
                initiative=initiative,
                number=options["number"],
                lines=read_sheet(options["path"]),
                actor=actor,
            )
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("sheet %(number)d entered: %(accepted)d of %(total)d lines accepted")
            % {"number": sheet.number, "accepted": sheet.lines_accepted, "total": sheet.lines_total}
        )
        for line in sheet.lines.order_by("line"):
            self.stdout.write(f"  {line.line:>4} {line.iin_masked or '-':<12} {line.outcome}")

    def _status(self, options: dict) -> None:
        if options["initiative"]:
            initiative = Initiative.objects.filter(pk=options["initiative"]).first()
            if initiative is None:
                raise CommandError(_("No recall initiative has this number."))
            self.stdout.write(
                f"{initiative.pk} {initiative.kato} {initiative.state} "
                f"{initiative.shown_count}/{initiative.signatures_required or '-'} "
                f"{initiative.signing_opens_on or '-'}..{initiative.signing_closes_on or '-'}"
            )
            return
        for state, count in sorted(selectors.counts_by_state(options["territory"]).items()):
            self.stdout.write(f"{state:<24} {count}")
