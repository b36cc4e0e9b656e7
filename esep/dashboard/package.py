"""The open data package: one CSV per public entity and a `datapackage.json` (Frictionless Data, tabular data
package) that names and describes every column.

Personal data never enters it: no IIN in any form (fingerprint or masked), no dates of birth (only the year,
as the API shows it), no photos, no user accounts or their names, no residents' requests (only the counters
of `AppealStat` and `AppealAnswerDays` per unit and month), no signatures, no who-recorded-what. Akims' and
candidates' names are in it: they are public office holders and candidates, named on the site.

`write(directory)` is what `esep export DIR` runs; `zip_stream()` streams the same package as a zip, built
while it is sent, for the download page. Each resource is one query (two for training coverage), read with
`.iterator()`, so memory stays flat whatever the size.
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from esep.appeals.models import AppealAnswerDays, AppealStat, Category
from esep.appeals.stats import COUNTERS
from esep.dashboard import optional
from esep.dashboard.exports import Column, text_cell
from esep.elections.models import Candidacy, Election, Mandate, Party
from esep.powers.models import Power
from esep.programs.models import (
    FundingLine,
    LocalBudget,
    PlanItem,
    Program,
    ProgramStatus,
    PromiseEvent,
    PromiseStat,
)
from esep.programs.models import Promise as PromiseRow
from esep.territory.models import Territory
from esep.training.models import Competence, Module

CHUNK_ROWS = 2000
LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "CC BY 4.0"}
PUBLIC_PROGRAMS = (ProgramStatus.PUBLISHED, ProgramStatus.SUPERSEDED)


@dataclass(frozen=True)
class Resource:
    name: str
    title: str | Promise
    description: str | Promise
    columns: list[Column]
    rows: Callable[[], Iterable[Sequence[Any]]]
    primary_key: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"


def C(name: str, type_: str = "string", description: str | Promise = "") -> Column:  # noqa: N802
    return Column(name=name, title=name, type=type_, description=description)


def _values(queryset: Any, *fields: str) -> Callable[[], Iterable[Sequence[Any]]]:
    return lambda: queryset.values_list(*fields).iterator(chunk_size=CHUNK_ROWS)


def _unit_scope() -> Q:
    """Counter rows of a rural unit: not the country (""), a region or a district (codes ending in 00000)."""
    return ~Q(scope="") & ~Q(scope__endswith="00000")


def _public_promises() -> Any:
    return PromiseRow.objects.filter(program__status__in=PUBLIC_PROGRAMS)


def _plan_item_rows() -> Iterator[Sequence[Any]]:
    items = PlanItem.objects.select_related("plan__region").order_by("code")
    for item in items.iterator(chunk_size=CHUNK_ROWS):
        yield (
            item.code,
            item.plan.region.kato,
            item.plan.title,
            item.plan.year_from,
            item.plan.year_to,
            item.title,
            item.sector,
            " ".join(item.territories or []),
        )


def _plan_item_year_rows() -> Iterator[Sequence[Any]]:
    items = PlanItem.objects.order_by("code").values_list("code", "allocations", "committed")
    for code, allocations, committed in items.iterator(chunk_size=CHUNK_ROWS):
        years = sorted({*(allocations or {}), *(committed or {})}, key=int)
        for year in years:
            yield (code, int(year), (allocations or {}).get(year, 0), (committed or {}).get(year, 0))


def _training_coverage_rows() -> Iterator[Sequence[Any]]:
    """Per region and module: sitting akims, and how many of them hold the module (two grouped queries)."""
    akims = dict(
        Mandate.objects.current()
        .annotate(region=Substr("rural_unit__kato", 1, 2))
        .values("region")
        .annotate(n=Count("pk"))
        .values_list("region", "n")
    )
    held = {
        (row["region"], row["module__code"]): row["n"]
        for row in Competence.objects.filter(person__mandates__ended_on__isnull=True)
        .annotate(region=Substr("person__mandates__rural_unit__kato", 1, 2))
        .values("region", "module__code")
        .annotate(n=Count("person_id", distinct=True))
    }
    modules = list(Module.objects.order_by("position", "code").values_list("code", flat=True))
    for region in sorted(akims):
        for code in modules:
            yield (f"{region}0000000", code, akims[region], held.get((region, code), 0))


def resources() -> list[Resource]:
    found = [
        Resource(
            "territories",
            _("Territories"),
            _("KATO units: regions, districts, rural units and settlements, with names and voters."),
            [
                C("kato", description=_("KATO code")),
                C("level", description=_("region, district, unit or settlement")),
                C("kind", description=_("kind of unit in KATO")),
                C("name_kk", description=_("name in Kazakh")),
                C("name_ru", description=_("name in Russian")),
                C("name_en", description=_("name in Latin script")),
                C("parent", description=_("KATO code of the parent")),
                C("has_elected_akim", "boolean", _("headed by a directly elected akim")),
                C("voters", "integer", _("registered voters")),
                C("population", "integer", _("population")),
            ],
            _values(
                Territory.objects.order_by("kato"),
                "kato",
                "level",
                "kind",
                "name_kk",
                "name_ru",
                "name_en",
                "parent__kato",
                "has_elected_akim",
                "voters",
                "population",
            ),
            ("kato",),
        ),
        Resource(
            "parties",
            _("Parties"),
            _("Political parties that nominate candidates."),
            [
                C("code", description=_("party code")),
                C("name_kk", description=_("name in Kazakh")),
                C("name_ru", description=_("name in Russian")),
                C("name_en", description=_("name in English")),
                C("is_registered", "boolean", _("registered party")),
            ],
            _values(Party.objects.order_by("code"), "code", "name_kk", "name_ru", "name_en", "is_registered"),
            ("code",),
        ),
        Resource(
            "mandates",
            _("Akims and their mandates"),
            _("Every mandate of a rural akim, current and ended, with the akim's public profile."),
            [
                C("mandate_id", "integer", _("mandate number")),
                C("unit", description=_("KATO code of the rural unit")),
                C("person_id", "integer", _("person number")),
                C("full_name", description=_("akim's full name")),
                C("sex", description=_("M or F")),
                C("birth_year", "integer", _("year of birth")),
                C("education", description=_("level of education")),
                C("civil_service_years", "integer", _("years in the civil service")),
                C("party", description=_("code of the nominating party, empty if none")),
                C("nomination", description=_("party, self-nominated or nominated by the superior akim")),
                C("election_id", "integer", _("election that gave the mandate")),
                C("starts_on", "date", _("in office from")),
                C("ends_on", "date", _("term ends")),
                C("ended_on", "date", _("ended on, empty while current")),
                C("end_reason", description=_("why the mandate ended")),
            ],
            _values(
                Mandate.objects.order_by("rural_unit__kato", "starts_on", "pk"),
                "pk",
                "rural_unit__kato",
                "person_id",
                "person__full_name",
                "person__sex",
                "person__birth_date__year",
                "person__education",
                "person__civil_service_years",
                "party__code",
                "nomination",
                "election_id",
                "starts_on",
                "ends_on",
                "ended_on",
                "end_reason",
            ),
            ("mandate_id",),
        ),
        Resource(
            "elections",
            _("Elections and results"),
            _("Elections of rural akims (regular, early, repeat and recall votes) with their results."),
            [
                C("election_id", "integer", _("election number")),
                C("unit", description=_("KATO code of the rural unit")),
                C("kind", description=_("regular, early, repeat or recall vote")),
                C("status", description=_("stage of the election")),
                C("voting_date", "date", _("voting day")),
                C("called_on", "date", _("called on")),
                C("recall_of_mandate", "integer", _("mandate put to a recall vote")),
                C("repeat_of", "integer", _("election this one repeats")),
                C("voters_registered", "integer", _("voters on the lists")),
                C("ballots_cast", "integer", _("ballots cast")),
                C("invalid_ballots", "integer", _("invalid ballots")),
                C("certified_on", "date", _("result registered on")),
                C("winner_candidacy", "integer", _("winning candidacy")),
                C("tie", "boolean", _("tie for first place")),
                C("recall_votes_for", "integer", _("votes for the recall")),
                C("cancel_reason", description=_("reason for cancelling")),
            ],
            _values(
                Election.objects.order_by("pk"),
                "pk",
                "rural_unit__kato",
                "kind",
                "status",
                "voting_date",
                "called_on",
                "recall_of_id",
                "repeat_of_id",
                "result__voters_registered",
                "result__ballots_cast",
                "result__invalid_ballots",
                "result__certified_on",
                "result__winner_id",
                "result__tie",
                "result__recall_votes_for",
                "cancel_reason",
            ),
            ("election_id",),
        ),
        Resource(
            "candidacies",
            _("Candidacies"),
            _("Candidates of each election, how they were nominated, registered and voted for."),
            [
                C("candidacy_id", "integer", _("candidacy number")),
                C("election_id", "integer", _("election number")),
                C("person_id", "integer", _("person number")),
                C("full_name", description=_("candidate's full name")),
                C("nomination", description=_("party, self-nominated or nominated by the superior akim")),
                C("party", description=_("code of the nominating party")),
                C("signatures", "integer", _("voters' signatures submitted")),
                C("status", description=_("nominated, registered, refused, withdrawn")),
                C("refusal_reason", description=_("reason for refusal")),
                C("nominated_on", "date", _("nominated on")),
                C("decided_on", "date", _("registered or refused on")),
                C("votes", "integer", _("votes received")),
            ],
            _values(
                Candidacy.objects.order_by("pk"),
                "pk",
                "election_id",
                "person_id",
                "person__full_name",
                "nomination",
                "party__code",
                "signatures",
                "status",
                "refusal_reason",
                "nominated_on",
                "decided_on",
                "result__votes",
            ),
            ("candidacy_id",),
        ),
        Resource(
            "programs",
            _("Programs"),
            _("Published versions of candidates' and akims' programs (drafts are not public)."),
            [
                C("program_id", "integer", _("program number")),
                C("candidacy_id", "integer", _("candidacy the program belongs to")),
                C("unit", description=_("KATO code of the rural unit")),
                C("version", "integer", _("version")),
                C("status", description=_("published, or superseded by an amendment")),
                C("term_start", "date", _("term starts")),
                C("term_end", "date", _("term ends")),
                C("previous_id", "integer", _("version this one amends")),
                C("published_at", "datetime", _("published at")),
                C("summary", description=_("summary")),
                C("amendment_reason", description=_("reason for the amendment")),
            ],
            _values(
                Program.objects.filter(status__in=PUBLIC_PROGRAMS).order_by("pk"),
                "pk",
                "candidacy_id",
                "rural_unit__kato",
                "version",
                "status",
                "term_start",
                "term_end",
                "previous_id",
                "published_at",
                "summary",
                "amendment_reason",
            ),
            ("program_id",),
        ),
        Resource(
            "promises",
            _("Promises"),
            _("Promises of the published programs with their economic block and the tracker's status."),
            [
                C("promise_id", "integer", _("promise number")),
                C("program_id", "integer", _("program number")),
                C("number", description=_("number within the program (P1, P2...)")),
                C("title", description=_("title")),
                C("sector", description=_("sector")),
                C("power", description=_("code of the power it rests on")),
                C("indicator", description=_("indicator")),
                C("indicator_unit", description=_("unit of the indicator")),
                C("baseline", "number", _("baseline")),
                C("target", "number", _("target")),
                C("deadline", "date", _("deadline")),
                C("cost_kzt", "integer", _("cost, tenge")),
                C("status", description=_("tracker status")),
                C("status_reason", description=_("reason given for a broken or dropped promise")),
                C("progress", "integer", _("progress, %")),
                C("spent_kzt", "integer", _("spent so far, tenge")),
                C("status_changed_at", "datetime", _("status changed at")),
                C("removed_in", "integer", _("program version that left it out")),
            ],
            _values(
                _public_promises().order_by("pk"),
                "pk",
                "program_id",
                "local_id",
                "title",
                "sector",
                "power__code",
                "indicator_name",
                "indicator_unit",
                "indicator_baseline",
                "indicator_target",
                "deadline",
                "cost_kzt",
                "status",
                "status_reason",
                "progress",
                "spent_kzt",
                "status_changed_at",
                "removed_in_id",
            ),
            ("promise_id",),
        ),
        Resource(
            "funding_lines",
            _("Funding lines"),
            _("Where the money of each promise comes from, by year."),
            [
                C("funding_line_id", "integer", _("line number")),
                C("promise_id", "integer", _("promise number")),
                C("source", description=_("funding source")),
                C("plan_item", description=_("development plan item, for plan lines")),
                C("year", "integer", _("year")),
                C("amount_kzt", "integer", _("amount, tenge")),
            ],
            _values(
                FundingLine.objects.filter(promise__program__status__in=PUBLIC_PROGRAMS).order_by("pk"),
                "pk",
                "promise_id",
                "source",
                "plan_item",
                "year",
                "amount_kzt",
            ),
            ("funding_line_id",),
        ),
        Resource(
            "promise_events",
            _("Promise timeline"),
            _("What happened to each promise: status changes, progress, evidence (not who recorded it)."),
            [
                C("event_id", "integer", _("event number")),
                C("promise_id", "integer", _("promise number")),
                C("at", "datetime", _("when")),
                C("kind", description=_("update, left out by an amendment, deadline missed")),
                C("old_status", description=_("status before")),
                C("new_status", description=_("status after")),
                C("progress", "integer", _("progress, %")),
                C("spent_kzt", "integer", _("spent so far, tenge")),
                C("narrative", description=_("what happened")),
                C("evidence", description=_("evidence")),
                C("source", description=_("source")),
            ],
            _values(
                PromiseEvent.objects.filter(promise__program__status__in=PUBLIC_PROGRAMS).order_by("pk"),
                "pk",
                "promise_id",
                "at",
                "kind",
                "old_status",
                "new_status",
                "progress",
                "spent_kzt",
                "narrative",
                "evidence_note",
                "source",
            ),
            ("event_id",),
        ),
        Resource(
            "promise_stats",
            _("Promise figures by unit"),
            _("The tracker's summary of each rural unit's sitting akim: promises by status, overdue, money."),
            [
                C("unit", description=_("KATO code of the rural unit")),
                C("district", description=_("KATO code of the district")),
                C("region", description=_("KATO code of the region")),
                C("promises", "integer", _("tracked promises")),
                *[
                    C(name, "integer", _("promises with this status"))
                    for name in (
                        "not_rated",
                        "in_progress",
                        "stalled",
                        "partially_kept",
                        "kept",
                        "broken",
                        "dropped",
                    )
                ],
                C("overdue", "integer", _("open promises past their deadline")),
                C("cost_kzt", "integer", _("cost of the promises, tenge")),
                *[
                    C(f"{source}_kzt", "integer", _("money promised from this source, tenge"))
                    for source in (
                        "local_budget",
                        "district_budget",
                        "development_plan",
                        "republican_program",
                        "sponsor",
                    )
                ],
                C("as_of", "date", _("computed on")),
            ],
            _values(
                PromiseStat.objects.order_by("kato"),
                "kato",
                "district",
                "region",
                "promises",
                "not_rated",
                "in_progress",
                "stalled",
                "partially_kept",
                "kept",
                "broken",
                "dropped",
                "overdue",
                "cost_kzt",
                "local_budget_kzt",
                "district_budget_kzt",
                "development_plan_kzt",
                "republican_program_kzt",
                "sponsor_kzt",
                "as_of",
            ),
            ("unit",),
        ),
        Resource(
            "plan_items",
            _("Regional development plan items"),
            _("Items of the regions' development plans that promises may be funded from."),
            [
                C("code", description=_("item code")),
                C("region", description=_("KATO code of the region")),
                C("plan", description=_("plan title")),
                C("plan_year_from", "integer", _("first year of the plan")),
                C("plan_year_to", "integer", _("last year of the plan")),
                C("title", description=_("title")),
                C("sector", description=_("sector")),
                C("territories", description=_("KATO codes covered, separated by spaces")),
            ],
            _plan_item_rows,
            ("code",),
        ),
        Resource(
            "plan_item_years",
            _("Development plan money by year"),
            _("Allocated and already committed money of each plan item, per year."),
            [
                C("code", description=_("item code")),
                C("year", "integer", _("year")),
                C("allocated_kzt", "integer", _("allocated, tenge")),
                C("committed_kzt", "integer", _("already committed, tenge")),
            ],
            _plan_item_year_rows,
            ("code", "year"),
        ),
        Resource(
            "local_budgets",
            _("Local budgets"),
            _("Revenue forecasts of the rural units' budgets by year and source."),
            [
                C("unit", description=_("KATO code of the rural unit")),
                C("year", "integer", _("year")),
                C("source", description=_("revenue source (Budget Code, art. 27)")),
                C("amount_kzt", "integer", _("amount, tenge")),
            ],
            _values(
                LocalBudget.objects.order_by("unit__kato", "year", "source"),
                "unit__kato",
                "year",
                "source",
                "amount_kzt",
            ),
            ("unit", "year", "source"),
        ),
        Resource(
            "powers",
            _("Powers"),
            _("The catalogue of powers by level of government, with their legal basis."),
            [
                C("code", description=_("power code")),
                C("level", description=_("level of government")),
                C("body", description=_("body, for the level 'other'")),
                C("sector", description=_("sector")),
                C("text_kk", description=_("text in Kazakh")),
                C("text_ru", description=_("text in Russian")),
                C("text_en", description=_("text in English")),
                C("act", description=_("legal act")),
                C("article", description=_("article")),
                C("item", description=_("item")),
                C("status", description=_("status")),
                C("wording", description=_("wording")),
            ],
            _values(
                Power.objects.order_by("code"),
                "code",
                "level",
                "body",
                "sector",
                "text_kk",
                "text_ru",
                "text_en",
                "act",
                "article",
                "item",
                "status",
                "wording",
            ),
            ("code",),
        ),
        Resource(
            "request_categories",
            _("Request categories"),
            _("Kinds of residents' requests (Open311 services) and who holds the power."),
            [
                C("code", description=_("category code (Open311 service_code)")),
                C("name_kk", description=_("name in Kazakh")),
                C("name_ru", description=_("name in Russian")),
                C("name_en", description=_("name in English")),
                C("group", description=_("Open311 group")),
                C("holder", description=_("who holds the power")),
                C("active", "boolean", _("offered to residents")),
            ],
            _values(
                Category.objects.order_by("position", "code"),
                "code",
                "name_kk",
                "name_ru",
                "name_en",
                "group",
                "holder",
                "active",
            ),
            ("code",),
        ),
        Resource(
            "request_stats",
            _("Requests by unit, month and category"),
            _("Counters of residents' requests per rural unit, month and category (no request itself)."),
            [
                C("unit", description=_("KATO code of the rural unit")),
                C("month", "date", _("first day of the month of registration")),
                C("category", description=_("category code")),
                C("registered", "integer", _("registered")),
                C("forwarded", "integer", _("forwarded to another body")),
                C("answered", "integer", _("answered")),
                C("answered_on_time", "integer", _("answered within the deadline")),
                C("missed", "integer", _("deadline missed")),
                C("extended", "integer", _("deadline extended")),
                C("confirmed", "integer", _("answer confirmed by the resident")),
                C("disputed", "integer", _("answer disputed by the resident")),
                C("answer_days_total", "integer", _("sum of working days to answer")),
            ],
            _values(
                AppealStat.objects.filter(_unit_scope()).order_by("scope", "month", "category__code"),
                "scope",
                "month",
                "category__code",
                *COUNTERS,
            ),
            ("unit", "month", "category"),
        ),
        Resource(
            "request_answer_days",
            _("Days to answer by unit and month"),
            _("How many requests of a unit and month were answered in so many working days (60: or more)."),
            [
                C("unit", description=_("KATO code of the rural unit")),
                C("month", "date", _("first day of the month of registration")),
                C("days", "integer", _("working days to answer")),
                C("requests", "integer", _("requests answered in that many days")),
            ],
            _values(
                AppealAnswerDays.objects.filter(_unit_scope()).order_by("scope", "month", "days"),
                "scope",
                "month",
                "days",
                "count",
            ),
            ("unit", "month", "days"),
        ),
        Resource(
            "training_modules",
            _("Training modules"),
            _("Modules of the School of Akims."),
            [
                C("code", description=_("module code")),
                C("name_kk", description=_("name in Kazakh")),
                C("name_ru", description=_("name in Russian")),
                C("name_en", description=_("name in English")),
                C("required", "boolean", _("required of every akim")),
            ],
            _values(
                Module.objects.order_by("position", "code"),
                "code",
                "name_kk",
                "name_ru",
                "name_en",
                "required",
            ),
            ("code",),
        ),
        Resource(
            "training_coverage",
            _("Training coverage by region"),
            _("Per region and module: sitting akims, and how many of them hold the module."),
            [
                C("region", description=_("KATO code of the region")),
                C("module", description=_("module code")),
                C("akims", "integer", _("sitting akims")),
                C("trained", "integer", _("sitting akims holding the module")),
            ],
            _training_coverage_rows,
            ("region", "module"),
        ),
    ]
    if optional.reports_available():
        found.append(_report_stats())
    if optional.recall_available():
        found.append(_recall_initiatives())
    return found


def _report_stats() -> Resource:
    from esep.reports.models import ReportStat

    return Resource(
        "report_stats",
        _("Accountability reports by unit"),
        _("Where each unit's sitting akim stands against the report schedule, and residents' ratings."),
        [
            C("unit", description=_("KATO code of the rural unit")),
            C("due", "integer", _("reports due so far")),
            C("published", "integer", _("reports published")),
            C("on_time", "integer", _("published by the deadline")),
            C("late", "integer", _("published late")),
            C("days_late_total", "integer", _("sum of days late")),
            C("overdue", "integer", _("due and not published")),
            C("rating_count", "integer", _("residents' ratings")),
            C("rating_sum", "integer", _("sum of the ratings (1 to 5 each)")),
            C("as_of", "date", _("computed on")),
        ],
        _values(
            ReportStat.objects.order_by("kato"),
            "kato",
            "due",
            "published",
            "on_time",
            "late",
            "days_late_total",
            "overdue",
            "rating_count",
            "rating_sum",
            "as_of",
        ),
        ("unit",),
    )


def _recall_initiatives() -> Resource:
    from esep.recall.models import Initiative

    return Resource(
        "recall_initiatives",
        _("Recall initiatives"),
        _("Citizens' recall initiatives: state, dates and signature counts (no signatures, no initiators)."),
        [
            C("initiative_id", "integer", _("initiative number")),
            C("unit", description=_("KATO code of the rural unit")),
            C("mandate_id", "integer", _("mandate it seeks to end")),
            C("state", description=_("state of the initiative")),
            C("filed_on", "date", _("filed on")),
            C("decided_on", "date", _("registered or refused on")),
            C("voters", "integer", _("registered voters of the unit")),
            C("signatures_required", "integer", _("signatures required")),
            C("signing_opens_on", "date", _("signing opens on")),
            C("signing_closes_on", "date", _("last day of signing")),
            C("signatures", "integer", _("signatures collected")),
            C("valid", "integer", _("valid signatures")),
            C("rejected", "integer", _("rejected signatures")),
            C("certified_on", "date", _("count certified on")),
            C("recall_vote", "integer", _("election number of the recall vote")),
            C("closed_on", "date", _("closed on")),
        ],
        lambda: (
            (row[0], row[1], row[2], row[3], timezone.localdate(row[4]) if row[4] else None, *row[5:])
            for row in Initiative.objects.order_by("pk")
            .values_list(
                "pk",
                "kato",
                "mandate_id",
                "state",
                "filed_at",
                "decided_on",
                "voters",
                "signatures_required",
                "signing_opens_on",
                "signing_closes_on",
                "signature_count",
                "valid_count",
                "rejected_count",
                "certified_on",
                "recall_vote_id",
                "closed_on",
            )
            .iterator(chunk_size=CHUNK_ROWS)
        ),
        ("initiative_id",),
    )


def resource_get(name: str) -> Resource | None:
    return next((resource for resource in resources() if resource.name == name), None)


def descriptor() -> dict[str, Any]:
    """datapackage.json: the package and, for every resource, its file and the name, type and description of
    each column (in English, the source language)."""
    with translation.override("en"):
        return {
            "profile": "tabular-data-package",
            "name": "esep-open-data",
            "title": "Esep: rural akims of Kazakhstan, open data",
            "description": str(_("Public data of Esep. No personal data: see docs/dashboard.md.")),
            "created": timezone.now().replace(microsecond=0).isoformat(),
            "licenses": [LICENSE],
            "sources": [
                {"title": "Esep"},
                {"title": "KATO classifier, Bureau of National Statistics", "path": "https://stat.gov.kz"},
            ],
            "resources": [
                {
                    "name": resource.name,
                    "path": resource.path,
                    "title": str(resource.title),
                    "description": str(resource.description),
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": {
                        "fields": [
                            {"name": column.name, "type": column.type, "description": str(column.description)}
                            for column in resource.columns
                        ],
                        **({"primaryKey": list(resource.primary_key)} if resource.primary_key else {}),
                    },
                }
                for resource in resources()
            ],
        }


def descriptor_json() -> str:
    return json.dumps(descriptor(), ensure_ascii=False, indent=2)


def csv_chunks(resource: Resource) -> Iterator[bytes]:
    """The resource as CSV (header: the field names; no byte-order mark), in chunks of a few thousand rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in resource.columns])
    for count, row in enumerate(resource.rows(), 1):
        writer.writerow([text_cell(cell) for cell in row])
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write(directory: Path) -> list[tuple[str, int]]:
    """Write the package into `directory` (created if needed); returns (file, bytes) for each file."""
    (directory / "data").mkdir(parents=True, exist_ok=True)
    written = []
    for resource in resources():
        target = directory / resource.path
        with target.open("wb") as handle:
            for chunk in csv_chunks(resource):
                handle.write(chunk)
        written.append((resource.path, target.stat().st_size))
    (directory / "datapackage.json").write_text(descriptor_json(), encoding="utf-8")
    written.append(("datapackage.json", (directory / "datapackage.json").stat().st_size))
    return written


class _Sink:
    """A write-only file for `zipfile` that hands over what was written so far (the zip is never whole)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def zip_stream() -> Iterator[bytes]:
    """The package as a zip, produced while it is sent: datapackage.json first, then each CSV."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:  # type: ignore[arg-type]
        archive.writestr("datapackage.json", descriptor_json())
        yield sink.take()
        for resource in resources():
            with archive.open(resource.path, "w", force_zip64=True) as entry:
                for chunk in csv_chunks(resource):
                    entry.write(chunk)
                    data = sink.take()
                    if data:
                        yield data
            yield sink.take()
    yield sink.take()
