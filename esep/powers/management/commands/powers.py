import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from esep.core.errors import ApplicationError
from esep.powers import analysis, exports, services
from esep.powers.catalogue_io import catalogue_csv, catalogue_xlsx
from esep.powers.models import Power


def _share(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise CommandError(_("%(value)s is not a number between 0 and 1.") % {"value": value}) from None
    return number


class Command(BaseCommand):
    help = (
        "The catalogue of powers and its analysis. Examples:\n"
        "  esep powers analyze                          (duplicated, non-core and missing powers, as text)\n"
        "  esep powers analyze --format json --threshold 0.4 --forward-share 0.6 --months 12\n"
        "  esep powers export powers.xlsx               (or powers.csv)\n"
        "  esep powers import powers.csv                (all or nothing; a second run changes nothing)\n"
        "  esep powers proposals accepted.xlsx          (the accepted proposals, by level and sector)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        analyze = commands.add_parser("analyze", help="print the duplicated, non-core and missing powers")
        analyze.add_argument("--format", choices=["text", "json"], default="text")
        analyze.add_argument("--threshold", type=_share, default=analysis.DEFAULT_THRESHOLD)
        analyze.add_argument("--forward-share", type=_share, default=analysis.DEFAULT_FORWARD_SHARE)
        analyze.add_argument("--min-volume-share", type=_share, default=analysis.DEFAULT_MIN_VOLUME_SHARE)
        analyze.add_argument("--months", type=int, default=analysis.DEFAULT_MONTHS)
        export = commands.add_parser("export", help="write the catalogue to a .csv or .xlsx file")
        export.add_argument("file")
        load = commands.add_parser("import", help="bring the catalogue in line with a .csv or .xlsx file")
        load.add_argument("file")
        proposals = commands.add_parser("proposals", help="write the accepted proposals to an .xlsx file")
        proposals.add_argument("file")

    def handle(self, *args: object, **options: object) -> None:
        action = options["action"]
        try:
            if action == "analyze":
                params = analysis.Params(
                    threshold=float(options["threshold"]),
                    forward_share=float(options["forward_share"]),
                    min_volume_share=float(options["min_volume_share"]),
                    months=int(options["months"]),
                )
                result = analysis.analyse(params)
                if options["format"] == "json":
                    self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
                else:
                    self._write_text(result)
            elif action == "export":
                self._export(Path(str(options["file"])))
            elif action == "import":
                result = services.catalogue_import(path=str(options["file"]))
                self.stdout.write(
                    _("catalogue imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                    % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
                )
                for note in result.notes:
                    self.stdout.write(note)
            elif action == "proposals":
                path = Path(str(options["file"]))
                if path.suffix.lower() != ".xlsx":
                    raise CommandError(_("The file must end in .xlsx."))
                accepted = exports.accepted_proposals()
                path.write_bytes(exports.proposals_xlsx(accepted))
                self.stdout.write(
                    _("%(count)d accepted proposals written to %(file)s")
                    % {"count": len(accepted), "file": path}
                )
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc

    def _export(self, path: Path) -> None:
        powers = Power.objects.order_by("level", "code")
        suffix = path.suffix.lower()
        if suffix == ".csv":
            path.write_text(catalogue_csv(powers), encoding="utf-8")
        elif suffix == ".xlsx":
            path.write_bytes(catalogue_xlsx(powers))
        else:
            raise CommandError(_("The file must end in .csv or .xlsx."))
        self.stdout.write(_("%(count)d powers written to %(file)s") % {"count": len(powers), "file": path})

    def _write_text(self, result: analysis.Analysis) -> None:
        write = self.stdout.write
        params = result.params
        write(
            _(
                "Powers analysis: %(powers)d powers; requests %(start)s..%(end)s: %(registered)d, "
                "forwarded %(forwarded)d"
            )
            % {
                "powers": result.powers_count,
                "start": result.period_start.strftime("%Y-%m"),
                "end": result.period_end.strftime("%Y-%m"),
                "registered": result.registered,
                "forwarded": result.forwarded,
            }
        )
        write("")
        write(
            _("1. Duplicated powers (similarity >= %(threshold).2f): %(count)d")
            % {"threshold": params.threshold, "count": len(result.duplicates)}
        )
        for rank, pair in enumerate(result.duplicates, start=1):
            verdict = f" [{analysis.verdict_label(pair.verdict)}]" if pair.verdict else ""
            write(
                f"{rank:>3}. {pair.score:.3f} (ru {pair.score_ru:.3f}, kk {pair.score_kk:.3f}) "
                f"{pair.first.code} [{pair.first.level}] ~ {pair.second.code} [{pair.second.level}]{verdict}"
            )
            write(f"       {pair.first.code}: {pair.first.text_ru}")
            write(f"       {pair.second.code}: {pair.second.text_ru}")
        write("")
        write(
            _("2a. Non-core powers of the rural akim (sector owned by another body): %(count)d")
            % {"count": len(result.non_core_powers)}
        )
        for finding in result.non_core_powers:
            line = {
                "code": finding.power.code,
                "sector": finding.power.sector,
                "status": finding.power.status,
                "owner": finding.owner_body or finding.owner_level,
            }
            if not finding.owner_powers:
                write("  - {code} [{sector}, {status}] -> {owner}".format(**line))
                continue
            other, score = finding.owner_powers[0]
            write(
                "  - "
                + _("%(code)s [%(sector)s, %(status)s] -> %(owner)s; closest: %(closest)s %(score).3f")
                % {**line, "closest": other.code, "score": score}
            )
        write("")
        write(
            _("2b. Request categories mostly forwarded (share >= %(share).0f%%): %(count)d")
            % {"share": 100 * params.forward_share, "count": len(result.forwarded_categories)}
        )
        for stats in result.forwarded_categories:
            self._write_category(stats)
        write("")
        write(
            _(
                "3. Missing powers (>= %(volume).0f%% of requests, no rural power, "
                "forwarded >= %(share).0f%%): %(count)d"
            )
            % {
                "volume": 100 * params.min_volume_share,
                "share": 100 * params.forward_share,
                "count": len(result.missing),
            }
        )
        for stats in result.missing:
            self._write_category(stats)

    def _write_category(self, stats: analysis.CategoryStats) -> None:
        rural = ", ".join(stats.rural_power_codes) or _("no rural power")
        self.stdout.write(
            "  - "
            + _(
                "%(code)s (%(name)s): %(registered)d requests, %(forwarded)d forwarded (%(share).1f%%), "
                "%(volume).1f%% of all; -> %(holder)s; %(rural)s"
            )
            % {
                "code": stats.code,
                "name": stats.name,
                "registered": stats.registered,
                "forwarded": stats.forwarded,
                "share": 100 * stats.share,
                "volume": 100 * stats.volume_share,
                "holder": stats.holder,
                "rural": rural,
            }
        )
        for region in stats.by_region:
            self.stdout.write(
                f"      {region.kato} {region.name}: {region.registered} / {region.forwarded} "
                f"({100 * region.forwarded_share:.1f}%)"
            )
