import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from esep.core.errors import ApplicationError
from esep.core.imports import ImportResult
from esep.programs.checker import (
    CheckInputError,
    CheckReport,
    check_program,
    parse_context,
    parse_program,
    tenge,
)
from esep.programs.selectors import context_for_unit
from esep.programs.services import budget_import_csv, plan_import_csv
from esep.territory.models import Territory

EXIT_FINDINGS = 1
EXIT_INVALID = 2


def _read_json(path: str, what: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(
            _("cannot read the %(what)s file %(path)s: %(reason)s")
            % {"what": what, "path": path, "reason": exc},
            returncode=EXIT_INVALID,
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(
            _("%(path)s is not JSON: %(reason)s (line %(line)d, column %(column)d)")
            % {"path": path, "reason": exc.msg, "line": exc.lineno, "column": exc.colno},
            returncode=EXIT_INVALID,
        ) from exc


def report_as_text(report: CheckReport) -> str:
    lines = []
    for finding in report.findings:
        where = finding.promise or _("program")
        lines.append(f"{finding.severity.upper():7} {where:10} {finding.code:26} {finding.message}")
    totals = report.totals
    lines.append(
        _("Cost %(cost)s tenge, funded %(funded)s tenge.")
        % {"cost": tenge(totals.cost_kzt), "funded": tenge(totals.funded_kzt)}
    )
    lines.append(
        "  " + ", ".join(f"{source}: {tenge(amount)}" for source, amount in totals.by_source.items())
    )
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = _("OK") if report.ok else _("NOT OK")
    lines.append(
        _("%(verdict)s: %(errors)d errors, %(warnings)d warnings (rule set %(version)s).")
        % {"verdict": verdict, "errors": errors, "warnings": warnings, "version": report.rule_set}
    )
    return "\n".join(lines)


class Command(BaseCommand):
    # The checker is a pure function used from scripts and CI: it should not wait for the project's checks.
    requires_system_checks: list[str] = []
    help = (
        "Programs tools. Examples:\n"
        "  esep programs check docs/examples/program.json --context docs/examples/context.json\n"
        "  esep programs import-plans docs/examples/development-plan.csv\n"
        "  esep programs import-budgets docs/examples/local-budget.csv"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser(
            "check",
            help="check a program's economic block; exit 0 without errors, 1 with errors, 2 on invalid input",
        )
        check.add_argument("program", help="PROGRAM.json (docs/program-format.md)")
        check.add_argument(
            "--context",
            help="CONTEXT.json; without it the context is built from the database for the program's unit",
        )
        check.add_argument("--format", choices=["json", "text"], default="json", help="output format (json)")
        check.add_argument(
            "--on", type=date.fromisoformat, help="with the database: the date whose rule set applies (today)"
        )
        plans = sub.add_parser(
            "import-plans", help="import regional development plans from CSV (all or nothing)"
        )
        plans.add_argument(
            "path", help="CSV: region,plan_title,plan_years,code,title,sector,territories,year,..."
        )
        budgets = sub.add_parser(
            "import-budgets", help="import local budget forecasts from CSV (all or nothing)"
        )
        budgets.add_argument("path", help="CSV: unit,year,source,amount_kzt")

    def handle(self, *args: object, **options: Any) -> None:
        action = options["action"]
        if action == "check":
            self.check_program(options)
        elif action == "import-plans":
            self.report_import(_("development plans"), self._import(plan_import_csv, options["path"]))
        else:
            self.report_import(_("local budgets"), self._import(budget_import_csv, options["path"]))

    def _import(self, service: Any, path: str) -> ImportResult:
        try:
            return service(path=path)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc

    def report_import(self, what: str, result: ImportResult) -> None:
        counts = {"what": what, **result.__dict__}
        if result.changed:
            self.stdout.write(
                _("%(what)s imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % counts
            )
        else:
            self.stdout.write(_("%(what)s are up to date: nothing changed (%(unchanged)d rows)") % counts)

    def check_program(self, options: dict[str, Any]) -> None:
        program_data = _read_json(options["program"], _("program"))
        try:
            program = parse_program(program_data)
        except CheckInputError as exc:
            raise CommandError(
                _("invalid program: %(error)s") % {"error": exc}, returncode=EXIT_INVALID
            ) from exc
        if options.get("context"):
            context_data = _read_json(options["context"], _("context"))
        else:
            context_data = self.context_from_database(program.rural_unit, options.get("on"))
        try:
            context = parse_context(context_data)
        except CheckInputError as exc:
            raise CommandError(
                _("invalid context: %(error)s") % {"error": exc}, returncode=EXIT_INVALID
            ) from exc
        report = check_program(program, context)
        if options["format"] == "text":
            self.stdout.write(report_as_text(report))
        else:
            self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        if not report.ok:
            raise CommandError(
                _("the program has %(count)d errors") % {"count": len(report.errors)},
                returncode=EXIT_FINDINGS,
            )

    def context_from_database(self, kato: str, on: date | None) -> dict[str, Any]:
        unit = Territory.objects.elected_units().filter(kato=kato).first()
        if unit is None:
            raise CommandError(
                _(
                    "invalid program: $.rural_unit: %(kato)s is not a rural unit with an elected akim; "
                    "give --context or import the territory"
                )
                % {"kato": kato},
                returncode=EXIT_INVALID,
            )
        try:
            return context_for_unit(unit, on=on or timezone.localdate())
        except ApplicationError as exc:
            raise CommandError(str(exc), returncode=EXIT_INVALID) from exc
