"""Signatures per second of a recall initiative under concurrent signers, on SQLite or PostgreSQL.

    .venv/bin/python bench/recall_signing.py                                   # SQLite, a temporary file
    .venv/bin/python -m tests.pgserver run -- .venv/bin/python bench/recall_signing.py   # PostgreSQL
    .venv/bin/python bench/recall_signing.py --signers 2000 --processes 2 --threads 25 --repeat-share 0.1

Without ESEP_DATABASE_URL or ESEP_VAR_DIR in the environment it builds a fresh SQLite database in a temporary
folder (migrations, the KATO territory); with either, it uses that database as it is (the benchmark runner's
generated dataset, or the throwaway PostgreSQL server of `tests.pgserver`). Never point it at production data.

It picks a unit with a sitting akim and no recall yet, takes an initiative there to collecting through
the services, gives `--signers` residents an account (with their IIN, as residents who registered with it;
`--first-time` leaves it off, so that the signature also ties the IIN to the account) and a row in the demo
population register, then starts `--processes` x `--threads` signers at once, each thread with its own
database connection, calling `esep.recall.services.signature_sign` for every attempt: each signer once, and
`--repeat-share` of them a second time at the same moment (a double submit). It asserts that nothing is lost
or doubled (the live count and the rows equal the distinct signers, every refusal is "already signed") and
prints one JSON line. A signature is the whole service: IIN check, register look-up with its trail and audit
link, insert, counter, audit.

`generate_signatures(count=, seed=)` is the bulk path `bench/generate.py` uses to give its dataset signatures.
"""

import argparse
import json
import multiprocessing
import os
import queue
import random
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SHEET_LINES = 50


def configure(connections_per_process: int) -> str:
    """Point Django at the database to measure; return where it is. Must run before django.setup()."""
    os.environ.setdefault("ESEP_TESTING", "1")  # local keys for a scratch or benchmark database
    os.environ["ESEP_RATE_LIMITS"] = "false"
    url = os.environ.get("ESEP_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        query.setdefault("pool_max", str(connections_per_process))  # a connection for every thread
        os.environ["ESEP_DATABASE_URL"] = urlunsplit(parts._replace(query=urlencode(query)))
        return "given"
    if url or os.environ.get("ESEP_VAR_DIR"):
        return "given"
    scratch = Path(tempfile.mkdtemp(prefix="esep-bench-recall-"))
    os.environ["ESEP_VAR_DIR"] = str(scratch)
    return "scratch"


def setup_django(connections_per_process: int) -> str:
    where = configure(connections_per_process)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esep.settings")
    import django

    django.setup()
    return where


# --- A unit, its initiative, its signers ---------------------------------------------------------------


def _account(username: str, *, unit: object = None, role: str = "", iin: str = "") -> object:
    from esep.accounts.services import profile_set_iin, role_assign, user_create

    user = user_create(username=username, password=None, check_password=False)
    if role:
        role_assign(user=user, role=role, territory=unit)
    if iin:
        profile_set_iin(user=user, iin=iin)
    return user


def _free_units(min_voters: int = 1) -> list:
    """Units whose akim has held the mandate long enough for a recall and where no recall was ever filed."""
    from django.utils import timezone

    from esep.elections.models import Mandate
    from esep.recall import selectors
    from esep.recall.models import Initiative

    oldest = timezone.localdate() - timedelta(
        days=selectors.parameters(timezone.localdate()).min_mandate_age_days
    )
    taken = set(Initiative.objects.values_list("rural_unit_id", flat=True))
    mandates = (
        Mandate.objects.current()
        .filter(starts_on__lte=oldest, rural_unit__voters__gte=min_voters)
        .select_related("rural_unit")
        .order_by("rural_unit__kato")
    )
    return [mandate.rural_unit for mandate in mandates if mandate.rural_unit_id not in taken]


def _unit_with_akim(token: str) -> object:
    """A unit ready for a recall: one of the dataset, or unit 103230000 of a fresh database with an akim."""
    from django.core.management import call_command
    from django.utils import timezone

    from esep.territory.models import Territory
    from esep.territory.services import territory_import, unit_set_figures

    call_command("migrate", verbosity=0)
    if not Territory.objects.exists():
        territory_import(path=ROOT / "data" / "kato.csv")
    free = _free_units()
    if free:
        return free[0]
    from tests.elections.factories import make_party, make_sitting_akim

    unit = Territory.objects.get(kato="103230000")
    if unit.voters is None:
        unit_set_figures(unit=unit, voters=5000, population=7500)
        unit.refresh_from_db()
    make_sitting_akim(unit, party=make_party("AMANAT"), starts_on=timezone.localdate() - timedelta(days=800))
    return unit


def _collecting(unit: object, token: str) -> object:
    """An initiative in `unit` taken to collecting through the services (group of residents, commission)."""
    from esep.core.models import Role
    from tests.recall.factories import collecting_initiative

    group = [_account(f"bench.{token}.group.{n}", unit=unit, role=Role.RESIDENT) for n in range(_min_group())]
    commission = _account(f"bench.{token}.commission", role=Role.COMMISSION)
    return collecting_initiative(unit, group, commission)


def prepare(signers: int, *, first_time: bool) -> tuple:
    """A collecting initiative and `signers` (account id, IIN) pairs of residents of its unit."""
    from tests.recall.factories import register_resident

    token = secrets.token_hex(3)
    unit = _unit_with_akim(token)
    initiative = _collecting(unit, token)
    people = []
    for n in range(signers):
        iin = register_resident(unit.kato)
        account = _account(f"bench.{token}.signer.{n}", iin="" if first_time else iin)
        people.append((account.pk, iin))
    return initiative, people


# --- The burst -----------------------------------------------------------------------------------------


def _signers(initiative_pk: int, attempts: list, threads: int, start: object, results: object) -> None:
    """One process: `threads` threads sign `attempts`, starting when every process is ready."""
    from django.contrib.auth import get_user_model
    from django.db import connections

    from esep.recall import services
    from esep.recall.models import Initiative

    initiative = Initiative.objects.get(pk=initiative_pk)
    accounts = get_user_model().objects.in_bulk([account for account, _iin in attempts])
    connections.close_all()
    work: queue.Queue = queue.Queue()
    for attempt in attempts:
        work.put(attempt)
    outcomes: Counter = Counter()
    errors: list[str] = []
    lock = threading.Lock()

    def one_thread() -> None:
        try:
            while True:
                try:
                    account, iin = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    services.signature_sign(initiative=initiative, iin=iin, signer=accounts[account])
                    outcome = "signed"
                except services.SignatureRefused as refused:
                    outcome = refused.code
                except Exception as exc:  # noqa: BLE001 - reported, and the run fails
                    with lock:
                        errors.append(repr(exc))
                    continue
                with lock:
                    outcomes[outcome] += 1
        finally:
            connections.close_all()

    pool = [threading.Thread(target=one_thread) for _n in range(threads)]
    start.wait()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    results.put({"outcomes": dict(outcomes), "errors": errors, "finished": time.time()})


def measure(
    initiative: object, people: list, *, processes: int, threads: int, repeat_share: float, seed: int
) -> dict:
    from django.db import connection, connections

    rng = random.Random(seed)
    attempts = people + rng.sample(people, int(len(people) * repeat_share))
    rng.shuffle(attempts)
    shares = [attempts[n::processes] for n in range(processes)]
    connections.close_all()
    if connection.vendor == "postgresql":
        connection.close_pool()  # every process opens its own pool after the fork
    context = multiprocessing.get_context("fork")
    start = context.Barrier(processes + 1)
    results = context.Queue()
    children = [
        context.Process(target=_signers, args=(initiative.pk, share, threads, start, results))
        for share in shares
    ]
    for child in children:
        child.start()
    start.wait()
    started = time.time()
    reports = [results.get(timeout=1800) for _child in children]
    for child in children:
        child.join()
    outcomes: Counter = Counter()
    for report in reports:
        outcomes.update(report["outcomes"])
    return {
        "attempts": len(attempts),
        "outcomes": dict(outcomes),
        "errors": [error for report in reports for error in report["errors"]],
        "seconds": max(report["finished"] for report in reports) - started,
    }


# --- Bulk signatures for the benchmark dataset ---------------------------------------------------------


def _synthetic_people(rng: random.Random, count: int, opens_on: date) -> list[str]:
    """`count` distinct valid IINs of adults (18 to 75 on the signing day), from the seeded generator."""
    from esep.core.iin import generate_valid_iin

    found: dict[str, None] = {}
    while len(found) < count:
        birth = opens_on - timedelta(days=rng.randint(18 * 366, 75 * 365))
        try:
            found[generate_valid_iin(birth, rng.choice("MF"), rng.randint(0, 9999))] = None
        except ValueError:
            continue
    return list(found)


def _bulk_sheets(initiative: object, iins: list[str], commission: object) -> int:
    """Paper sheets of `iins` for one initiative in one transaction: the invariants of `paper_sheet_enter`
    hold by construction (adults, distinct people, signed on the first day of the period), the register is
    not asked (these people are generated), one audit event for the batch."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from esep.core.audit.chain import audit_record
    from esep.core.iin import iin_fingerprint, mask_iin
    from esep.recall.models import Initiative, PaperSheet, PaperSheetLine, Signature

    day = initiative.signing_opens_on
    signed_at = timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=12)))
    with transaction.atomic():
        sheets = PaperSheet.objects.bulk_create(
            PaperSheet(
                initiative=initiative,
                number=number,
                entered_by=commission,
                entered_at=signed_at,
                lines_total=len(iins[(number - 1) * SHEET_LINES : number * SHEET_LINES]),
                lines_accepted=len(iins[(number - 1) * SHEET_LINES : number * SHEET_LINES]),
            )
            for number in range(1, (len(iins) + SHEET_LINES - 1) // SHEET_LINES + 1)
        )
        signatures = Signature.private_objects.bulk_create(
            (
                Signature(
                    initiative=initiative,
                    iin_fingerprint=iin_fingerprint(iin),
                    iin_masked=mask_iin(iin),
                    channel="paper",
                    sheet=sheets[index // SHEET_LINES],
                    sheet_line=index % SHEET_LINES + 1,
                    signed_at=signed_at,
                )
                for index, iin in enumerate(iins)
            ),
            batch_size=2000,
        )
        PaperSheetLine.objects.bulk_create(
            (
                PaperSheetLine(
                    sheet=signature.sheet,
                    line=signature.sheet_line,
                    iin_masked=signature.iin_masked,
                    signed_on=day,
                    outcome="accepted",
                    signature=signature,
                )
                for signature in signatures
            ),
            batch_size=2000,
        )
        Initiative.objects.filter(pk=initiative.pk).update(signature_count=F("signature_count") + len(iins))
        audit_record(
            actor=commission,
            action="recall.bulk_load",
            subject=initiative,
            territory=initiative.kato,
            data={"signatures": len(iins), "sheets": len(sheets), "source": "bench/recall_signing.py"},
        )
    return len(iins)


def generate_signatures(*, count: int, seed: int) -> int:
    """Give the dataset `count` recall signatures: initiatives collecting in as many units as needed (at most
    half of a unit's voters each), taken there through the services, their signatures on paper sheets in bulk.
    Django must be set up on the dataset's database. Returns the number of signatures written."""
    from esep.core.models import Role

    rng = random.Random(f"recall-signatures-{seed}")  # noqa: S311 - seeded dataset
    token = f"gen{seed}"
    commission = _account(f"bench.{token}.{secrets.token_hex(2)}.commission", role=Role.COMMISSION)
    written = 0
    for unit in _free_units(min_voters=100):
        if written >= count:
            break
        from tests.recall.factories import collecting_initiative

        group = [
            _account(f"bench.{token}.{unit.kato}.{n}", unit=unit, role=Role.RESIDENT)
            for n in range(_min_group())
        ]
        initiative = collecting_initiative(unit, group, commission)
        size = min(count - written, max(1, unit.voters // 2))
        written += _bulk_sheets(
            initiative, _synthetic_people(rng, size, initiative.signing_opens_on), commission
        )
    return written


def _min_group() -> int:
    from django.utils import timezone

    from esep.recall import selectors

    return selectors.parameters(timezone.localdate()).min_group


# --- The command ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signers", type=int, default=1000, help="distinct signers (default 1000)")
    parser.add_argument("--processes", type=int, default=2, help="signing processes (default 2)")
    parser.add_argument(
        "--threads", type=int, default=25, help="threads per process (default 25: 50 at once)"
    )
    parser.add_argument("--repeat-share", type=float, default=0.1, help="share of signers who try twice")
    parser.add_argument("--first-time", action="store_true", help="accounts without an IIN yet")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true", help="print only the JSON line (the default output)")
    args = parser.parse_args(argv)

    where = setup_django(args.threads)
    from django.db import connection

    from esep.recall.models import Initiative, Signature

    setup_started = time.perf_counter()
    initiative, people = prepare(args.signers, first_time=args.first_time)
    setup_seconds = time.perf_counter() - setup_started
    backend = connection.vendor
    run = measure(
        initiative,
        people,
        processes=args.processes,
        threads=args.threads,
        repeat_share=args.repeat_share,
        seed=args.seed,
    )
    fresh = Initiative.objects.get(pk=initiative.pk)
    rows = Signature.private_objects.filter(initiative=fresh).count()
    signed = run["outcomes"].get("signed", 0)
    refusals = {code: n for code, n in run["outcomes"].items() if code != "signed"}
    rate = round(signed / run["seconds"], 1)
    figures = {
        "bench": "recall_signing",
        "backend": backend,
        "database": where,
        "signers": args.signers,
        "attempts": run["attempts"],
        "processes": args.processes,
        "threads": args.threads,
        "concurrent": args.processes * args.threads,
        "first_time": args.first_time,
        "seconds": round(run["seconds"], 3),
        "signatures_per_s": rate,
        "attempts_per_s": round(run["attempts"] / run["seconds"], 1),
        "signed": signed,
        "refused": refusals,
        "count": fresh.signature_count,
        "rows": rows,
        "lost": args.signers - rows,
        "doubled": max(0, fresh.signature_count - args.signers, rows - args.signers),
        "errors": len(run["errors"]),
        "setup_seconds": round(setup_seconds, 1),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    print(json.dumps(figures), flush=True)
    assert not run["errors"], run["errors"][:5]
    assert signed == rows == fresh.signature_count == args.signers, figures
    assert set(refusals) <= {"already_signed"} and sum(refusals.values()) == run["attempts"] - args.signers, (
        figures
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
