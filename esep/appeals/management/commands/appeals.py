from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from esep.appeals import services, stats
from esep.appeals.models import ApiKey, Category
from esep.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Requests: Open311 keys, categories, summary counters. Examples:\n"
        '  esep appeals issue-key "Village Watch NGO"   (prints the key once)\n'
        "  esep appeals revoke-key Ab12Cd34\n"
        "  esep appeals keys\n"
        "  esep appeals categories [--load]\n"
        "  esep appeals rebuild-stats\n"
        "  esep appeals import requests.csv   (all or nothing; columns in docs/appeals.md)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        issue = commands.add_parser("issue-key", help="issue an Open311 API key to an organisation")
        issue.add_argument("organisation")
        revoke = commands.add_parser("revoke-key", help="revoke a key by the prefix shown when it was issued")
        revoke.add_argument("prefix")
        commands.add_parser("keys", help="list the keys (organisation, prefix, state)")
        categories = commands.add_parser("categories", help="list the categories and their routing")
        categories.add_argument("--load", action="store_true", help="create or update the default catalogue")
        commands.add_parser("rebuild-stats", help="recount the summary counters from the requests")
        bulk = commands.add_parser("import", help="import requests from a CSV file, all or nothing")
        bulk.add_argument("file", help="UTF-8 CSV with a header: unit,category,registered_at,text,...")

    def handle(self, *args: object, **options: object) -> None:
        action = options["action"]
        try:
            if action == "issue-key":
                key, raw = services.api_key_issue(organisation=str(options["organisation"]))
                self.stdout.write(
                    _("Key for %(org)s (shown once, keep it secret):") % {"org": key.organisation}
                )
                self.stdout.write(raw)
            elif action == "revoke-key":
                count = services.api_key_revoke(prefix=str(options["prefix"]))
                self.stdout.write(_("%(count)d key(s) revoked.") % {"count": count})
            elif action == "keys":
                for key in ApiKey.objects.order_by("organisation", "pk"):
                    state = _("active") if key.active else _("revoked")
                    self.stdout.write(f"{key.prefix}  {state:<8} {key.organisation}")
            elif action == "categories":
                if options["load"]:
                    created, updated = services.categories_load()
                    self.stdout.write(_("created %(c)d, updated %(u)d") % {"c": created, "u": updated})
                from esep.appeals.routing import routes_for

                categories = list(Category.objects.order_by("position"))
                routes = routes_for(categories)
                for category in categories:
                    route = routes[category.pk]
                    source = "catalogue" if route.from_catalogue else "default"
                    self.stdout.write(f"{category.code:<14} {route.holder:<9} ({source})  {category.name_en}")
            elif action == "rebuild-stats":
                rows, buckets = stats.stats_rebuild()
                self.stdout.write(
                    _("%(rows)d counter rows, %(buckets)d histogram rows")
                    % {"rows": rows, "buckets": buckets}
                )
            elif action == "import":
                from esep.appeals.importer import appeals_import

                report = appeals_import(path=str(options["file"]))
                self.stdout.write(
                    _(
                        "%(count)d requests imported (%(answered)d answered), numbers %(first)s to %(last)s, "
                        "in %(seconds).1f s (%(rate).0f rows/s)"
                    )
                    % {
                        "count": report.created,
                        "answered": report.answered,
                        "first": report.first_number,
                        "last": report.last_number,
                        "seconds": report.seconds,
                        "rate": report.rows_per_second,
                    }
                )
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
