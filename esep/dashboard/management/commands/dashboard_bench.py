from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from esep.dashboard import bench

LIMIT = 1.5


class Command(BaseCommand):
    help = (
        "Time the country, a region and a district dashboard with the requests' summary tables filled as N "
        "requests would leave them, for each N; at the end the summaries are recounted from the requests. "
        "Run it on a copy of the database. Example: "
        "ESEP_VAR_DIR=/tmp/bench esep dashboard_bench --replace-counters --requests 100000 "
        "--requests 10000000"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, action="append", help="a volume of requests (repeatable)")
        parser.add_argument(
            "--repeat", type=int, default=15, help="timed requests per page (the fastest counts)"
        )
        parser.add_argument("--rounds", type=int, default=2, help="times every volume is filled and timed")
        parser.add_argument(
            "--replace-counters",
            action="store_true",
            help="required: the requests' summary tables are replaced while it runs, then recounted",
        )

    def handle(self, *args: object, **options: object) -> None:
        if not options["replace_counters"]:
            raise CommandError(
                _(
                    "This replaces the requests' summary tables while it runs: "
                    "use a copy of the database and pass --replace-counters."
                )
            )
        volumes = sorted(set(options["requests"] or [100_000, 10_000_000]))
        if any(volume < 1 for volume in volumes):
            raise CommandError(_("A volume of requests is a positive number."))
        timings = bench.run(
            volumes, repeat=max(1, int(options["repeat"])), rounds=max(1, int(options["rounds"]))
        )
        self.stdout.write("requests\tcounter rows\thistogram rows\tpage\tbest ms")
        for timing in timings:
            self.stdout.write(
                f"{timing.requests}\t{timing.counter_rows}\t{timing.histogram_rows}\t{timing.page}\t"
                f"{timing.milliseconds:.0f}"
            )
        if len(volumes) < 2:
            return
        smallest, largest = volumes[0], volumes[-1]
        by = {(timing.requests, timing.page): timing.milliseconds for timing in timings}
        worst = 0.0
        for page in dict.fromkeys(timing.page for timing in timings):
            ratio = by[(largest, page)] / by[(smallest, page)]
            worst = max(worst, ratio)
            self.stdout.write(
                _("%(page)s: %(large)s requests take %(ratio).2f× the time of %(small)s")
                % {"page": page, "large": largest, "ratio": ratio, "small": smallest}
            )
        verdict = self.style.SUCCESS if worst <= LIMIT else self.style.ERROR
        self.stdout.write(
            verdict(_("worst ratio %(ratio).2f (limit %(limit)s)") % {"ratio": worst, "limit": LIMIT})
        )
