from django.core.management.base import BaseCommand, CommandParser

from esep.core.iin import iin_fingerprint, mask_iin
from esep.registries.demo import demo_people
from esep.registries.models import DemoPerson


class Command(BaseCommand):
    help = (
        "The state-databases gateway. Example: esep registries demo-people 103230000 --count 5 "
        "(prints synthetic IINs of the demo register's people of a unit, to try look-ups with)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        people = commands.add_parser("demo-people", help="synthetic people of a unit in the demo register")
        people.add_argument("kato")
        people.add_argument("--count", type=int, default=5)

    def handle(self, *args: object, **options: object) -> None:
        if options["action"] == "demo-people":
            kato, shown = str(options["kato"]), 0
            for person in demo_people(kato):
                if shown >= int(options["count"]):
                    break
                # Only people the register holds in this unit (an IIN drawn twice stays with the first unit).
                if DemoPerson.objects.filter(iin_fingerprint=iin_fingerprint(person.iin), kato=kato).exists():
                    self.stdout.write(
                        f"{person.iin}  {mask_iin(person.iin)}  {person.birth_date}  {person.sex}"
                    )
                    shown += 1
