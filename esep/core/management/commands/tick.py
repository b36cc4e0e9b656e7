from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from esep.core.leases import lease


class Command(BaseCommand):
    help = (
        "Periodic work: reminders, escalations, deadlines, closing petitions. Safe to run every minute "
        "from cron and twice at once (the second run waits for nothing and exits). Example: esep tick"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lease-seconds", type=int, default=600, help="how long one run may hold the lock"
        )

    def handle(self, *args: object, **options: object) -> None:
        with lease("tick", seconds=int(options["lease_seconds"])) as token:
            if token is None:
                self.stdout.write(_("another tick is running; nothing done"))
                return
            now = timezone.now()
            for dotted in settings.ESEP_TICK_STEPS:
                summary = import_string(dotted)(now=now)
                self.stdout.write(f"{dotted}: {summary}")
            self.stdout.write(_("tick done"))
