from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from esep.demo.accounts import DEMO_ACCOUNTS, demo_unit


class Command(BaseCommand):
    help = "Load the national demo data once (idempotent, seeded: the same every time). Example: esep demo"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--accounts-only", action="store_true", help="only print the demo accounts")

    def handle(self, *args: object, **options: object) -> None:
        if not options["accounts_only"]:
            for dotted in settings.ESEP_DEMO_STEPS:
                import_string(dotted)(out=self.stdout)
        unit = demo_unit()
        self.stdout.write("")
        self.stdout.write(
            _("Demo accounts (password %(password)s), all in %(unit)s (KATO %(kato)s):")
            % {"password": settings.ESEP_DEMO_PASSWORD, "unit": unit.name, "kato": unit.kato}
        )
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<18} {account.role}")
