from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run background tasks (django-tasks, database backend). Example: esep worker --batch"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="run the queued tasks, then exit")

    def handle(self, *args: object, **options: object) -> None:
        call_command("db_worker", *(["--batch"] if options["batch"] else []))
