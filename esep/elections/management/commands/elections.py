from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from esep.core.errors import ApplicationError
from esep.elections import selectors
from esep.elections.services import results_import
from esep.territory.models import Territory


class Command(BaseCommand):
    help = (
        "Elections tools. Examples: esep elections import results.csv (columns in docs/elections.md); "
        "esep elections stats --territory 100000000"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importer = sub.add_parser("import", help="register election results from a CSV file (all or nothing)")
        importer.add_argument(
            "path",
            help="CSV: kato,voting_date,voters_registered,ballots_cast,invalid_ballots,candidate,votes",
        )
        stats = sub.add_parser("stats", help="print the composition of the sitting akims")
        stats.add_argument(
            "--territory", help="KATO code of a region or district (default: the whole country)"
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["action"] == "import":
            try:
                result = results_import(path=str(options["path"]))
            except ApplicationError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                _("results imported: %(created)d elections registered, %(unchanged)d unchanged")
                % result.__dict__
            )
            return
        territory = None
        if options["territory"]:
            territory = Territory.objects.filter(
                kato=options["territory"], level__in=["region", "district"]
            ).first()
            if territory is None:
                raise CommandError(
                    _("No region or district has the KATO code %(kato)s.") % {"kato": options["territory"]}
                )
        corps = selectors.composition(territory)
        for name in (
            "akims_in_office",
            "units",
            "average_age",
            "first_time_share",
            "no_civil_service_share",
            "women_share",
            "candidates_per_election",
            "turnout",
        ):
            self.stdout.write(f"{name}: {getattr(corps, name)}")
        for share in corps.by_party:
            self.stdout.write(f"  {share.code}: {share.akims} ({share.share:.1%})")
