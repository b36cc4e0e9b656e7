from django.core.management.base import BaseCommand, CommandError

from esep.core.iin_scan import scan_database


class Command(BaseCommand):
    help = "Look through every table for an IIN stored in clear (there must be none). Example: esep scan_iin"

    def handle(self, *args: object, **options: object) -> None:
        found = list(scan_database())
        for place in found[:100]:
            self.stdout.write(f"IIN in clear: {place}")
        if found:
            raise CommandError(f"{len(found)} rows hold an IIN in clear")
        self.stdout.write("no IIN in clear")
