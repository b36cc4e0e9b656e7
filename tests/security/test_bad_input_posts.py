"""Every URL that takes a POST, posted hostile form data by the actor entitled to it: never a 5xx, and an
answer that refuses writes nothing.

The walker reuses the access matrix (tests/security/test_access_matrix.py): its URL walking and its actors
(akim and staff of unit A, district supervisor and commission, party officer, analyst, administrator,
residents), with the owners some pages need besides (the akim of unit A linked to their person, two
candidates, an initiative's filer, a signer). A world is made first through the factories of each app's tests
(`build_world`): a sitting akim with a published program, a published and a draft report with a question,
evidence and an extension, requests registered and answered, elections at nomination and at the vote, recall
initiatives filed, collecting, in verification and certified, a party withdrawal, a training session with an
enrolment, a staff post, an instruction with a final report, a proposal on the powers. Every route's path
arguments come from it (`path_args`); a route that takes a POST and that the walker cannot fill fails the test
unless it is listed in SKIPPED with the reason (none is).

Which routes take a POST: those whose view mentions POST, and those a page has a form or an htmx element
posting to. The fields posted are read from the forms (`crawl`: the route's own page, the pages above it and
FORM_PAGES, fetched as the route's actor, so owners' forms are seen); a route whose form is on no page gets
the field names of every esep form.

Per route, fixed bodies (`fixed_bodies`): the page's own values; an empty body; a 6 MB body (over
DATA_UPLOAD_MAX_MEMORY_SIZE); 1,100 fields (over DATA_UPLOAD_MAX_NUMBER_FIELDS); multipart bodies whose file
fields carry lying files (a script named photo.jpg, a path as the name, an executable named .pdf, an 11 MB
PDF, a pixel bomb), one kind per body where the page has file fields. Then Hypothesis examples
(`EXAMPLES_PER_URL`, derandomized): mostly the page's values with one or two fields made hostile (100k
characters, control characters, undecodable UTF-8 bytes, cp1251, text in number and date fields, 40-digit and
negative numbers, "²", HTML/JS, paths, formulas, lying files), sometimes every field drawn freely or left out,
urlencoded or multipart. Each request runs in a savepoint rolled back afterwards: each meets the same world.

For each answer:
- never a 5xx, never an exception;
- an answer that refuses — a 4xx, a redirect carrying an error message, or a page shown again with errors
  (`errorlist`, `role="alert"`) — leaves every table as it was (tests/security/writes.py: the count of every
  table and the content of every table of up to 3,000 rows; the session table aside).

Cases tried: 94 routes take a POST (the four staff-post actions and both Open311 formats counted apart; the
fields of 85 read from a page), each posted 5 fixed bodies (9 where the page has file fields: one body per
lying file) and 4 generated ones: 866 requests, 547 of them refusals.
"""

import inspect
import re
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, quote_from_bytes, urljoin, urlsplit

import pytest
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esep.appeals import services as appeals
from esep.appeals.models import Category
from esep.core.models import Role, RoleAssignment
from esep.elections import services as elections
from esep.elections.models import Nomination
from esep.powers import analysis
from esep.powers import services as powers
from esep.powers.models import Power
from esep.programs import services as programs
from esep.recall import services as recall
from esep.reports import services as reports
from esep.reports.services import active_promises
from esep.territory.models import Territory
from esep.territory.services import unit_set_figures
from esep.training import services as training
from esep.training.models import AssigneeKind, PositionKind
from tests.conftest import PASSWORD, UNIT_A, UNIT_A2
from tests.core.test_url_access import declared_access
from tests.elections.factories import (
    election_at_vote,
    ensure_voters,
    make_party,
    make_person,
    make_sitting_akim,
    open_election,
)
from tests.programs.factories import promise_draft, published_program, reference_data
from tests.recall.factories import (
    closed_initiative,
    collecting_initiative,
    filed_initiative,
    reached_initiative,
    register_resident,
    signed_by,
)
from tests.reports.factories import published_report
from tests.security.test_access_matrix import ACTORS, actors, concrete, patterns  # noqa: F401 (the fixture)
from tests.security.test_bad_input_forms import FILES, FORMS, NASTY_BYTES, NASTY_TEXT
from tests.security.writes import changed, rolled_back, snapshot
from tests.training.factories import make_body, make_catalogue, make_category, make_instruction, make_session

EXAMPLES_PER_URL = 4
SKIPPED_NAMESPACES = {"admin", "api"}  # the admin site is read-only; the API has its own fuzzer
UNIT_A3, UNIT_A4, UNIT_A5, UNIT_A6, UNIT_A7, UNIT_A8, UNIT_A9 = (
    "103235000",
    "103239000",
    "103243000",
    "103245000",
    "103247000",
    "103249000",
    "103253000",
)
# Routes the walker does not post to, with the reason.
SKIPPED: dict[str, str] = {}  # none at the time of writing: the world holds an object for every route
# Routes whose view reads files from whole-country tables: GET only, tested in their apps.
SLOW_GETS = re.compile(r"download|export|xlsx|csv|zip|feed|open-data|\.json$")
# Routes that need a session in a given state before they are posted to.
CLIENT_SETUP: dict[str, Callable[[Client, SimpleNamespace], object]] = {
    # The second step of an official's login: the password step leaves the login pending in the session.
    "accounts:two_factor": lambda client, w: client.post(
        reverse("accounts:login"), {"username": w.actors["staff_a"].username, "password": PASSWORD}
    ),
}
# Routes whose view reads an argument from the query string.
QUERY: dict[str, Callable[[SimpleNamespace], str]] = {
    "powers:proposal_create": lambda w: f"?finding={quote(w.finding_key)}",
}
# Pages that show the form of a route elsewhere than on the route itself or a page above it.
FORM_PAGES: dict[str, Callable[[SimpleNamespace], list[str]]] = {
    "programs:start": lambda w: [reverse("programs:mine", kwargs={})],
    "powers:status": lambda w: [
        reverse("powers:catalogue", kwargs={}),
        reverse("powers:analysis", kwargs={}),
    ],
    "reports:update_delete": lambda w: [reverse("reports:edit", kwargs={"report_id": w.draft.pk})],
    "reports:hide": lambda w: [reverse("reports:report", kwargs={"report_id": w.report.pk})],
    "recall:signature_verify": lambda w: [reverse("recall:verify", kwargs={"pk": w.verifying.pk})],
    "training:enrolment_complete": lambda w: [
        reverse("training:session", kwargs={"session_id": w.session.pk})
    ],
    "training:enrolment_withdraw": lambda w: [
        reverse("training:session", kwargs={"session_id": w.session.pk})
    ],
    "training:staff_position_action": lambda w: [reverse("training:staff_area", kwargs={"kato": UNIT_A})],
    "training:report_create": lambda w: [
        reverse("training:instruction", kwargs={"instruction_id": w.instruction.pk})
    ],
    "training:enrol": lambda w: [reverse("training:enrol") + f"?session={w.session.pk}"],
    "training:report_review": lambda w: [
        reverse("training:instruction", kwargs={"instruction_id": w.instruction.pk})
    ],
}
# Who posts where, when the declared permission alone does not name the entitled actor (object owners).
ACTOR_FOR = {
    "accounts:login": None,
    "accounts:register": None,
    "accounts:two_factor": None,
    "elections:person_edit": "akim_a",
    "elections:nominate": "commission",
    "programs:start": "candidate_two",
    "programs:edit": "candidate_one",
    "programs:promise_row": "candidate_one",
    "programs:funding_row": "candidate_one",
    "programs:check": "candidate_one",
    "programs:discard": "candidate_one",
    "programs:amend": "akim_a",
    "reports:subscribe": "resident_a",
    "appeals:submit": "resident_a",
    "appeals:start": "staff_a",
    "appeals:assign": "staff_a",
    "appeals:answer": "staff_a",
    "appeals:extend": "staff_a",
    "appeals:forward": "staff_a",
    "appeals:close": "resident_a",
    "recall:leave": "recall_filer",
    "recall:withdraw": "recall_filer",
    "recall:sign": "signer",
    "recall:unsign": "signer",
}


# --- the world ----------------------------------------------------------------------------------------------


def unit(kato: str, voters: int = 100) -> Territory:
    territory = Territory.objects.get(kato=kato)
    unit_set_figures(unit=territory, voters=voters, population=voters * 2)
    territory.refresh_from_db()
    return territory


def residents_of(make_user: Callable, territory: Territory, prefix: str) -> list:
    return [make_user(Role.RESIDENT, territory, username=f"{prefix}{n}") for n in range(10)]


def build_world(make_user: Callable, cast: dict) -> SimpleNamespace:  # noqa: PLR0915 (one scene, in order)
    """Everything a route's path can name, made through the services, around unit A and its district."""
    today = timezone.localdate()
    w = SimpleNamespace(actors=dict(cast))
    unit_a = unit(UNIT_A)
    district = Territory.objects.get(kato=unit_a.district_code)
    reference_data(unit_a, Territory.objects.get(kato=UNIT_A2))
    amanat = make_party("AMANAT")
    commission = cast["commission"]

    # Unit A: a sitting akim of AMANAT for 800 days, with a published program, reports and a login.
    w.mandate = make_sitting_akim(unit_a, party=amanat, starts_on=today - timedelta(days=800))
    w.program = published_program(w.mandate, promises=[promise_draft(n) for n in (1, 2, 3)])
    akim = cast["akim_a"]
    elections.person_link_user(person=w.mandate.person, user=akim)
    w.person = w.mandate.person
    w.report = published_report(w.mandate, actor=akim)
    w.question = reports.question_ask(report=w.report, user=cast["resident_a"], text="Когда починят дорогу?")
    w.update = w.report.updates.order_by("pk").last()
    w.draft = reports.report_start(mandate=w.mandate, actor=akim)
    w.promise = active_promises(w.program)[0]
    w.draft_update = reports.report_save_update(
        report=w.draft, promise=w.promise, no_change=True, narrative="Без изменений.", actor=akim
    )
    w.evidence = reports.evidence_add(
        update=w.draft_update,
        upload=SimpleUploadedFile("act.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        actor=akim,
    )
    w.extension = programs.promise_extension_file(
        promise=active_promises(w.program)[1],
        new_deadline=today + timedelta(days=400),
        reason="Подрядчик сорвал сроки поставки.",
        actor=akim,
    )

    # Requests of unit A: one registered, one answered.
    roads = Category.objects.get(code="roads")
    resident = cast["resident_a"]
    w.appeal = appeals.appeal_register(unit=unit_a, category=roads, text="Яма на дороге.", resident=resident)
    answered = appeals.appeal_register(unit=unit_a, category=roads, text="Нет света.", resident=resident)
    appeals.appeal_answer(actor=cast["staff_a"], appeal=answered, answer="Починили.")
    w.answered = answered

    # Elections: one open for nomination in unit A2 with two candidates (one with a draft program), one at
    # the vote in unit A3.
    unit_a2 = ensure_voters(unit(UNIT_A2, 2000))
    election = open_election(unit_a2)
    first, second = make_person(full_name="Кандидатов Бірінші"), make_person(full_name="Кандидатов Екінші")
    day = election.nomination_closes
    w.candidacy = elections.candidacy_nominate(
        election=election, person=first, nomination=Nomination.SELF, party=None, signatures=200, on=day
    )
    w.candidacy_two = elections.candidacy_nominate(
        election=election, person=second, nomination=Nomination.SELF, party=None, signatures=200, on=day
    )
    w.actors["candidate_one"] = make_user(username="candidate.one")
    w.actors["candidate_two"] = make_user(username="candidate.two")
    elections.person_link_user(person=first, user=w.actors["candidate_one"])
    elections.person_link_user(person=second, user=w.actors["candidate_two"])
    w.draft_program = programs.program_start(candidacy=w.candidacy, actor=w.actors["candidate_one"])
    w.election = election
    w.voting, _candidacies = election_at_vote(
        ensure_voters(unit(UNIT_A3, 2000)),
        [(make_person(full_name="Дауыс Бір"), Nomination.SELF, None), (make_person(), Nomination.SELF, None)],
        voting_date=today - timedelta(days=1),
    )
    w.unit_without_akim = unit(UNIT_A9, 2000)

    # Recall: filed in unit A (resident A is not in the group), collecting in A4, in verification in A5,
    # certified in A6; a party withdrawal filed against the akim of A8, and A7's akim to file one against.
    group = residents_of(make_user, unit_a, "group.a")
    w.actors["recall_filer"] = group[0]
    w.initiative = filed_initiative(unit_a, group)
    for kato, state in ((UNIT_A4, "collecting"), (UNIT_A5, "verification"), (UNIT_A6, "certified")):
        territory = unit(kato)
        make_sitting_akim(territory, party=amanat, starts_on=today - timedelta(days=800))
        people = residents_of(make_user, territory, f"group.{kato}.")
        if state == "collecting":
            w.collecting = collecting_initiative(territory, people, commission)
            w.actors["signer"] = make_user(Role.RESIDENT, territory, username="signer")
            w.signer_iin = register_resident(territory.kato)
            signed_by(w.collecting, 2, commission, number=1)
            w.sheet_number = 1
        elif state == "verification":
            verifying = collecting_initiative(territory, people, commission)
            signed_by(verifying, 3, commission, number=1)
            w.verifying = closed_initiative(verifying)
            w.signature = w.verifying.signatures.order_by("pk").first()
        else:
            w.certified = reached_initiative(territory, people, commission)
    w.withdrawal_target = make_sitting_akim(
        unit(UNIT_A7), party=amanat, starts_on=today - timedelta(days=800)
    )
    withdrawn = make_sitting_akim(unit(UNIT_A8), party=amanat, starts_on=today - timedelta(days=800))
    w.withdrawal = recall.party_withdrawal_file(
        mandate=withdrawn,
        decision_number="12-П",
        decision_date=today - timedelta(days=2),
        grounds="Невыполнение программы партии.",
        document=SimpleUploadedFile("decision.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        actor=cast["party_officer"],
    )

    # Training: a session with the akim of A enrolled, a staff post in A, an instruction to the akim of A
    # with a progress report.
    catalogue = make_catalogue()
    w.course = catalogue.courses["foundation"]
    w.session = make_session(w.course)
    w.enrolment = training.enrolment_bulk_create(session=w.session, mandates=[w.mandate]).enrolled[0]
    category = make_category()
    make_body()
    w.position = training.staff_position_create(
        unit=unit_a, kind=PositionKind.values[0], category=category, on=today, actor=akim
    )
    w.instruction = make_instruction(units=(unit_a,))
    w.assignment = w.instruction.assignments.get(kind=AssigneeKind.AKIM)
    w.progress = training.report_file(assignment=w.assignment, text="Сделано.", is_final=True, actor=akim)

    # Powers: a proposal from a pair of powers of two levels.
    first_power, second_power = pair_of_levels()
    w.power = first_power
    w.finding_key = analysis.duplicate_key(first_power.code, second_power.code)
    w.proposal = powers.proposal_create(
        actor=cast["analyst"],
        finding_key=w.finding_key,
        kind="exclude",
        rationale="Тот же орган выполняет эту функцию.",
        power_code=first_power.code,
    )
    w.assignment_to_revoke = RoleAssignment.objects.filter(user=cast["resident_b"]).first()
    w.district = district
    return w


def pair_of_levels() -> tuple[Power, Power]:
    powers_by_level: dict[str, Power] = {}
    for power in Power.objects.order_by("code"):
        powers_by_level.setdefault(power.level, power)
        if len(powers_by_level) == 2:
            break
    first, second = sorted(powers_by_level.values(), key=lambda power: power.code)
    return first, second


def path_args(w: SimpleNamespace) -> dict[str, list[dict[str, Any]]]:
    """The path arguments of every route that names an object, from the world (one or more variants)."""
    one = {
        "accounts:role_revoke": {"assignment_id": w.assignment_to_revoke.pk},
        "elections:person": {"person_id": w.person.pk},
        "elections:person_edit": {"person_id": w.person.pk},
        "elections:election": {"election_id": w.election.pk},
        "elections:party_edit": {"code": "AMANAT"},
        "elections:call": {"kato": w.unit_without_akim.kato},
        "elections:advance": {"election_id": w.election.pk},
        "elections:cancel": {"election_id": w.election.pk},
        "elections:nominate": {"election_id": w.election.pk},
        "elections:results": {"election_id": w.voting.pk},
        "elections:decide": {"candidacy_id": w.candidacy.pk},
        "elections:mandate_end": {"mandate_id": w.mandate.pk},
        "programs:start": {"candidacy_id": w.candidacy_two.pk},
        "programs:program": {"program_id": w.program.pk},
        "programs:edit": {"program_id": w.draft_program.pk},
        "programs:promise_row": {"program_id": w.draft_program.pk},
        "programs:funding_row": {"program_id": w.draft_program.pk},
        "programs:check": {"program_id": w.draft_program.pk},
        "programs:amend": {"program_id": w.program.pk},
        "programs:discard": {"program_id": w.draft_program.pk},
        "programs:promise_update": {"promise_id": w.promise.pk},
        "powers:proposal": {"pk": w.proposal.pk},
        "powers:proposal_decide": {"pk": w.proposal.pk},
        "powers:edit": {"code": w.power.code},
        "powers:status": {"code": w.power.code},
        "reports:mandate": {"mandate_id": w.mandate.pk},
        "reports:report": {"report_id": w.report.pk},
        "reports:edit": {"report_id": w.draft.pk},
        "reports:update": {"report_id": w.draft.pk, "promise_id": w.promise.pk},
        "reports:publish": {"report_id": w.draft.pk},
        "reports:erratum": {"report_id": w.report.pk},
        "reports:rate": {"report_id": w.report.pk},
        "reports:ask": {"report_id": w.report.pk},
        "reports:update_delete": {"update_id": w.draft_update.pk},
        "reports:judge": {"update_id": w.update.pk},
        "reports:evidence": {"evidence_id": w.evidence.pk},
        "reports:evidence_delete": {"evidence_id": w.evidence.pk},
        "reports:answer": {"question_id": w.question.pk},
        "reports:hide": {"question_id": w.question.pk},
        "reports:extension_file": {"promise_id": w.promise.pk},
        "reports:extension_decide": {"extension_id": w.extension.pk},
        "appeals:detail": {"number": w.appeal.number},
        "appeals:slip": {"number": w.appeal.number},
        "appeals:start": {"number": w.appeal.number},
        "appeals:assign": {"number": w.appeal.number},
        "appeals:answer": {"number": w.appeal.number},
        "appeals:extend": {"number": w.appeal.number},
        "appeals:forward": {"number": w.appeal.number},
        "appeals:close": {"number": w.answered.number},
        "registries:lookup": {"number": w.appeal.number},
        "recall:detail": {"pk": w.initiative.pk},
        "recall:count": {"pk": w.initiative.pk},
        "recall:join": {"pk": w.initiative.pk},
        "recall:leave": {"pk": w.initiative.pk},
        "recall:withdraw": {"pk": w.initiative.pk},
        "recall:answer": {"pk": w.initiative.pk},
        "recall:register": {"pk": w.initiative.pk},
        "recall:refuse": {"pk": w.initiative.pk},
        "recall:sign": {"pk": w.collecting.pk},
        "recall:unsign": {"pk": w.collecting.pk},
        "recall:paper": {"pk": w.collecting.pk},
        "recall:sheet": {"pk": w.collecting.pk, "number": w.sheet_number},
        "recall:verify": {"pk": w.verifying.pk},
        "recall:signature_verify": {"signature_id": w.signature.pk},
        "recall:certify": {"pk": w.verifying.pk},
        "recall:vote": {"pk": w.certified.pk},
        "recall:result": {"pk": w.certified.pk},
        "recall:mandate": {"mandate_id": w.mandate.pk},
        "recall:withdrawal_file": {"mandate_id": w.withdrawal_target.pk},
        "recall:withdrawal": {"pk": w.withdrawal.pk},
        "recall:withdrawal_document": {"pk": w.withdrawal.pk},
        "recall:withdrawal_decide": {"pk": w.withdrawal.pk},
        "training:course": {"code": w.course.code},
        "training:session": {"session_id": w.session.pk},
        "training:enrolment_complete": {"enrolment_id": w.enrolment.pk},
        "training:enrolment_withdraw": {"enrolment_id": w.enrolment.pk},
        "training:akim": {"person_id": w.person.pk},
        "training:instruction": {"instruction_id": w.instruction.pk},
        "training:report_create": {"assignment_id": w.assignment.pk},
        "training:report_review": {"report_id": w.progress.pk},
    }
    variants = {name: [kwargs] for name, kwargs in one.items()}
    variants["open311:requests"] = [{"fmt": "json"}, {"fmt": "xml"}]
    variants["training:staff_position_action"] = [
        {"position_id": w.position.pk, "action": action}
        for action in ("fill", "vacate", "recategorise", "abolish")
    ]
    return variants


# --- routes and their forms ---------------------------------------------------------------------------------


def routes(w: SimpleNamespace) -> tuple[list[tuple[str, str, Any]], list[str]]:
    """(name, url, view) of every route with its path filled, and the routes that could not be filled."""
    args = path_args(w)
    found, unfilled = [], []
    for route, namespace, pattern in patterns(get_resolver().url_patterns):
        if namespace in SKIPPED_NAMESPACES:
            continue
        name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
        if name in SKIPPED:
            continue
        query = QUERY[name](w) if name in QUERY else ""
        if name in args:
            found += [(name, reverse(name, kwargs=kwargs) + query, pattern.callback) for kwargs in args[name]]
            continue
        url = concrete(route)
        if url is None or "999999" in url or "zz-missing" in url:
            if takes_post(pattern.callback):
                unfilled.append(name)
            continue
        found.append((name, url + query, pattern.callback))
    return found, unfilled


class Forms(HTMLParser):
    """The POST forms of a page: target path -> {field name: {"kind", "values", "multiple"}}."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.targets: dict[str, dict[str, dict]] = {}
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None

    def _target(self, action: str | None) -> str:
        return urlsplit(urljoin(self.page, action or self.page)).path

    def _field(self, name: str, kind: str, value: str | None = None, multiple: bool = False) -> dict:
        fields = self._form["fields"]
        entry = fields.setdefault(name, {"kind": kind, "values": [], "multiple": multiple})
        if value is not None and value not in entry["values"]:
            entry["values"].append(value)
        return entry

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            targets = set()
            if attributes.get("method", "get").lower() == "post":
                targets.add(self._target(attributes.get("action")))
            if "hx-post" in attributes:
                targets.add(self._target(attributes["hx-post"]))
            self._form = {"fields": {}, "targets": targets}
            return
        if self._form is None:
            if tag in {"button", "a", "input"} and "hx-post" in attributes:
                self.targets.setdefault(self._target(attributes["hx-post"]), {})
            return
        if "hx-post" in attributes or ("formaction" in attributes and tag in {"button", "input"}):
            self._form["targets"].add(self._target(attributes.get("hx-post") or attributes["formaction"]))
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                self._field(name, kind, attributes.get("value", "on"), multiple=kind == "checkbox")
            elif kind in {"submit", "button", "image"}:
                self._field(name, "button", attributes.get("value", ""))
            else:
                self._field(name, kind, attributes.get("value", ""))
        elif tag == "button" and name:
            self._field(name, "button", attributes.get("value", ""))
        elif tag == "select" and name:
            self._select = self._field(name, "select", multiple="multiple" in attributes)
        elif tag == "option" and self._select is not None:
            self._select["values"].append(attributes.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = self._field(name, "textarea")

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and data.strip():
            self._textarea["values"].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self._form["fields"].pop("csrfmiddlewaretoken", None)
            for target in self._form["targets"]:
                merged = self.targets.setdefault(target, {})
                for name, entry in self._form["fields"].items():
                    merged.setdefault(name, {**entry, "values": list(entry["values"])})
            self._form = None


FALLBACK_FIELDS = {
    name: {"kind": "text", "values": [], "multiple": False}
    for form in FORMS.values()
    for name in form.base_fields
}


def takes_post(view: Callable) -> bool:
    try:
        source = inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):
        return False
    return "POST" in source


# --- bodies -------------------------------------------------------------------------------------------------


def plausible(entry: dict) -> str:
    """The page's own value of a field, or a value of its kind when the page has none."""
    values = [value for value in entry["values"] if value != ""]
    if values:
        return values[0]
    today = timezone.localdate()
    return {
        "date": today.isoformat(),
        "number": "1",
        "email": "resident@example.org",
        "url": "https://example.org/",
        "tel": "+7 701 000 00 00",
        "checkbox": "on",
    }.get(entry["kind"], "Проверка данных 123")


def urlencoded(pairs: list[tuple[str, str | bytes]]) -> bytes:
    def encoded(value: str | bytes) -> bytes:
        return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")

    return "&".join(
        f"{quote_from_bytes(encoded(k), safe='')}={quote_from_bytes(encoded(v), safe='')}" for k, v in pairs
    ).encode()


BOUNDARY = "esepBadInputBoundary7MA4YWxkTrZu0gW"


def multipart(pairs: list[tuple[str, str | bytes]], files: list[tuple[str, str, str, bytes]]) -> bytes:
    parts = []
    for name, value in pairs:
        raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode(
                "utf-8", "surrogatepass"
            )
            + raw
            + b"\r\n"
        )
    for name, filename, content_type, content in files:
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode("utf-8", "surrogatepass") + content + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
URLENCODED = "application/x-www-form-urlencoded"
HOSTILE = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.sampled_from(NASTY_BYTES),
    st.text(st.characters(exclude_categories=()), max_size=20),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)


def hostile_value(draw: st.DrawFn, entry: dict) -> list[str | bytes]:
    return draw(st.lists(HOSTILE, min_size=1, max_size=2))


def page_values(draw: st.DrawFn, entry: dict) -> list[str]:
    options = list(entry["values"]) or [plausible(entry)]
    if entry["multiple"]:
        return draw(st.lists(st.sampled_from(options), min_size=1, max_size=3))
    return [draw(st.sampled_from(options))]


@st.composite
def bodies(draw: st.DrawFn, fields: dict[str, dict]) -> tuple[bytes, str]:
    """Mostly the page's own values with one or two fields made hostile (so the view gets past the fields it
    checks first), sometimes every field drawn freely."""
    names = sorted(fields)
    freely = draw(st.integers(0, 3)) == 0
    chosen = (
        set(draw(st.lists(st.sampled_from(names), min_size=1, max_size=2))) if names and not freely else set()
    )
    pairs: list[tuple[str, str | bytes]] = []
    files: list[tuple[str, str, str, bytes]] = []
    for name in names:
        entry = fields[name]
        choice = (
            draw(st.sampled_from(["page", "hostile", "missing"]))
            if freely
            else ("hostile" if name in chosen else "page")
        )
        if choice == "missing":
            continue
        if entry["kind"] == "file":
            kind = draw(st.sampled_from(sorted(FILES))) if choice == "hostile" else "real png"
            filename, content, content_type, _image = FILES[kind]
            files.append((name, filename, content_type, content))
        elif choice == "page":
            pairs += [(name, value) for value in page_values(draw, entry)]
        else:
            pairs += [(name, value) for value in hostile_value(draw, entry)]
    if draw(st.booleans()):
        pairs.append((draw(st.sampled_from(["", "zz", "<x>", "a" * 300])), draw(HOSTILE)))
    if files or draw(st.integers(0, 3)) == 0:
        return multipart(pairs, files), MULTIPART
    return urlencoded(pairs), URLENCODED


LYING = ("script named photo.jpg", "path as name", "executable named pdf", "11 MB", "pixel bomb")
FILE_NAMES = ["photos", "files", "document", "photo", "file"]  # the file fields of esep's forms


def fixed_bodies(fields: dict[str, dict]) -> dict[str, tuple[bytes, str]]:
    """The page's own values, then bodies Django must refuse, then lying files: one kind at a time where the
    page has file fields (so a form's own count or size limit does not hide what the view does with the file),
    all kinds at once under every file field name of esep otherwise."""
    page = [(name, plausible(entry)) for name, entry in fields.items() if entry["kind"] != "file"]
    bodies_ = {
        "the page's own values": (urlencoded(page), URLENCODED),
        "empty body": (b"", URLENCODED),
        "6 MB body": (urlencoded([*page, ("text", "x" * (6 * 1024 * 1024))]), URLENCODED),
        "1,100 fields": (urlencoded([*page, *((f"f{n}", "1") for n in range(1100))]), URLENCODED),
    }
    file_fields = [name for name, entry in fields.items() if entry["kind"] == "file"]
    if not file_fields:
        lying = [(name, *file_part(kind)) for name in FILE_NAMES for kind in LYING]
        bodies_["lying files"] = (multipart(page, lying), MULTIPART)
    for kind in LYING if file_fields else ():
        bodies_[f"lying file: {kind}"] = (
            multipart(page, [(name, *file_part(kind)) for name in file_fields]),
            MULTIPART,
        )
    return bodies_


def file_part(kind: str) -> tuple[str, str, bytes]:
    filename, content, content_type, _really_image = FILES[kind]
    return filename, content_type, content


# --- the answer's verdict -----------------------------------------------------------------------------------


def refusal(response: Any) -> str:
    """Why the answer is a refusal ("" when it is not one)."""
    if 400 <= response.status_code < 500:
        return f"{response.status_code}"
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    if any(message.level >= message_levels.ERROR for message in queued):
        return f"{response.status_code} with an error message"
    if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
        body = response.content.decode("utf-8", "replace")
        if 'class="errorlist' in body or 'role="alert"' in body:
            return "200 with form errors"
    return ""


# --- the test -----------------------------------------------------------------------------------------------


@pytest.fixture
def world(actors, make_user, settings, tmp_path) -> SimpleNamespace:  # noqa: F811 (the access matrix's)
    settings.ESEP_RATE_LIMITS = False
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(make_user, actors)


def actor_for(name: str, view: Callable, w: SimpleNamespace) -> Any:
    if name in ACTOR_FOR:
        key = ACTOR_FOR[name]
        return None if key is None else w.actors[key]
    declared = declared_access(view)
    if declared == "public":
        return w.actors["resident_a"]
    if declared == "authenticated" or declared is None:
        return w.actors["resident_a"]
    roles = declared[1]
    from esep.core.access import PERMISSIONS

    for actor_name, role, _place in ACTORS:
        if role in PERMISSIONS[roles] and not actor_name.endswith("_b"):
            return w.actors[actor_name]
    return w.actors["administrator"]


def client_for(user: Any, name: str = "", w: SimpleNamespace | None = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    if name in CLIENT_SETUP:
        CLIENT_SETUP[name](client, w)
    return client


def form_pages(name: str, url: str, w: SimpleNamespace) -> list[str]:
    """Where the form posting to a route is shown: the route itself, the pages above it, and for routes whose
    form sits elsewhere (FORM_PAGES) that page."""
    pages = [url]
    parts = urlsplit(url).path.rstrip("/").split("/")
    pages += ["/".join(parts[:end]) + "/" for end in range(len(parts) - 1, 1, -1)]
    pages += FORM_PAGES[name](w) if name in FORM_PAGES else []
    return pages


def crawl(found: list[tuple[str, str, Any]], w: SimpleNamespace) -> dict[str, dict[str, dict]]:
    """The POST forms found on the pages of each route that takes a POST, fetched as the route's actor (who
    sees the owner's forms: the staff's answer box on a request, the commission's buttons on an initiative);
    returned by the path they post to."""
    seen: dict[tuple[str, Any, str], dict[str, dict[str, dict]]] = {}
    targets: dict[str, dict[str, dict]] = {}
    for name, url, view in found:
        if not takes_post(view) or SLOW_GETS.search(url):
            continue
        user = actor_for(name, view, w)
        for page in form_pages(name, url, w):
            key = (page, getattr(user, "pk", None), name if name in CLIENT_SETUP else "")
            if key not in seen:
                seen[key] = {}
                response = client_for(user, name, w).get(page)
                if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                    parser = Forms(page)
                    parser.feed(response.content.decode("utf-8", "replace"))
                    seen[key] = parser.targets
            for target, fields in seen[key].items():
                merged = targets.setdefault(target, {})
                for field_name, entry in fields.items():
                    merged.setdefault(field_name, entry)
    return targets


def generated(fields: dict[str, dict], send: Callable[[bytes, str], int]) -> None:
    @given(body=bodies(fields))
    @settings(
        max_examples=EXAMPLES_PER_URL,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(body: tuple[bytes, str]) -> None:
        send(*body)

    run()


@pytest.mark.django_db
def test_every_post_answers_hostile_input_without_a_server_error_and_a_refusal_writes_nothing(world) -> None:
    found, unfilled = routes(world)
    assert not unfilled, (
        f"routes whose path the walker cannot fill (add them to path_args or SKIPPED): {unfilled}"
    )
    targets = crawl(found, world)
    problems: list[str] = []
    posted: list[str] = []
    answers = {"requests": 0, "refusals": 0}

    def post(name: str, url: str, client: Client, body: bytes, content_type: str, case: str) -> int:
        with rolled_back():
            before = snapshot()
            try:
                response = client.generic("POST", url, body, content_type=content_type)
            except Exception as exc:  # noqa: BLE001 (collect every failing route, then report them all)
                problems.append(f"{name} POST {url} [{case}]: raised {type(exc).__name__}: {str(exc)[:300]}")
                return 500
            answers["requests"] += 1
            if response.status_code >= 500:
                problems.append(f"{name} POST {url} [{case}]: {response.status_code}")
            why = refusal(response)
            if why:
                answers["refusals"] += 1
                after = snapshot()
                if after != before:
                    problems.append(
                        f"{name} POST {url} [{case}]: refused ({why}) but wrote {changed(before, after)}"
                    )
            return response.status_code

    for name, url, view in found:
        path = urlsplit(url).path
        if path not in targets and not takes_post(view):
            continue
        fields = targets.get(path) or FALLBACK_FIELDS
        with rolled_back():
            client = client_for(actor_for(name, view, world), name, world)
            statuses = []
            for case, (body, content_type) in fixed_bodies(fields).items():
                statuses.append(post(name, url, client, body, content_type, case))
                if statuses[-1] == 405:
                    break
            if 405 in statuses:
                continue  # the route does not take a POST after all
            posted.append(name)
            generated(fields, partial(post, name, url, client, case="generated"))
    with_forms = [name for name, url, _view in found if name in posted and urlsplit(url).path in targets]
    assert len(posted) >= 90, posted
    assert len(with_forms) >= 80, sorted(set(posted) - set(with_forms))  # the fields came from a real form
    assert answers["refusals"] >= answers["requests"] // 3, answers
    assert not problems, "\n".join(problems[:80])
