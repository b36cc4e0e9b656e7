"""Crash safety: the server is killed with SIGKILL in the middle of a signing burst and of a burst of report
publications, restarted, and nothing is half-written: every signature has its counter contribution, its audit
link and its account binding, every report is a clean draft or published with all its side effects, the counts
add up once the burst is finished, and `esep audit verify` says the chain is intact.

    .venv/bin/pytest -rs tests/security/test_crash_safety.py                                        # SQLite
    .venv/bin/python -m tests.pgserver run -- .venv/bin/pytest -rs tests/postgres/test_crash_safety.py

The server is the real one, not a worker calling the services: gunicorn serving `esep.wsgi` (2 workers x 4
threads) on a free loopback port, driven over HTTP by 12 concurrent clients with a browser (cookie jar) for
each person, who log in through the login form, then sign through the signing API (`POST
/api/v1/recall/initiatives/{pk}/signatures`, CSRF token from the cookie) or publish through the report
editor's form (`POST /reports/{pk}/publish/`). The burst is killed (SIGKILL to the whole process group,
master and workers) when half of the work is committed, as a poll of the database sees it, or at once if that
poll sees committed data that disagrees with itself (a partial record that a reader could see: the kill
leaves it for the checks). The kill must cut requests that were being served. The server is restarted on the
same database and address; it answers and shows the committed count, and the checks find no partial record;
then everyone who got no answer tries again, and the counts add up. tests/security/crash.py tells how the
server reaches the test database.

The checks are real. With the signing transaction split so that the counter commits after the row, and with
the publication split so that the promise updates commit before the report's status, every run failed, on
SQLite and on PostgreSQL. Without the poll's look for torn data, kills at random moments found the split
signing in 3 runs of 7 and the split publication in none of 3: a kill seldom lands in a gap of a millisecond.
"""

# ruff: noqa: S608 - the polls' SQL is built from our own models' table names, with parameters for values

import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import ngettext

from esep.accounts.models import Profile
from esep.core.audit.models import AuditEvent
from esep.elections.services import person_link_user
from esep.programs.models import Promise, PromiseEvent
from esep.recall.models import Initiative, Signature
from esep.reports.models import Report, ReportStat, ReportStatus, ReportUpdate
from esep.territory.models import Territory
from tests.conftest import PASSWORD, UNIT_A
from tests.programs.factories import reference_data
from tests.recall.factories import collecting_in_unit, register_resident
from tests.reports.factories import akim_with_program, filled_report
from tests.security import crash

pytestmark = pytest.mark.django_db(transaction=True)

SIGNERS = 40  # distinct people
REPEATS = 4  # of them submit twice at the same moment (a double click)
REPORTS = 8  # units, each with an akim whose filled draft is published
# Kills per burst, spread evenly over the work (1: at half of it). Each costs a restart, about 2 s on a loaded
# machine: a longer soak raises it.
KILLS = 1


@pytest.fixture
def site(territory: None, tmp_path: Path) -> Iterator[crash.Site]:
    site = crash.Site(tmp_path)
    try:
        yield site
    finally:
        site.close()  # kills a server still running and removes the database copy


def _chain_intact(site: crash.Site) -> None:
    """`esep audit verify`, in its own process, finds every event of the log linked (it speaks the site's
    default language)."""
    verified = site.audit_verify()
    assert verified.returncode == 0, verified.stdout + verified.stderr
    with translation.override(settings.LANGUAGE_CODE):
        count = AuditEvent.objects.count()
        intact = ngettext("chain intact: %(count)d event", "chain intact: %(count)d events", count) % {
            "count": count
        }
    assert verified.stdout.strip() == intact


# --- Signing ------------------------------------------------------------------------------------------------


def _collecting(make_user) -> Initiative:
    return collecting_in_unit(Territory.objects.get(kato=UNIT_A), make_user)


def _signature_checks(initiative: Initiative, signers: list) -> int:
    """No partial signature: each row with its counter contribution, its one audit link and the IIN tied to
    the signer's account, nothing of these without a row, no person twice. Returns the number of rows."""
    rows = list(
        Signature.private_objects.filter(initiative=initiative).values(
            "pk", "iin_fingerprint", "signer_id", "withdrawn_at"
        )
    )
    duplicates = [fp for fp, times in Counter(row["iin_fingerprint"] for row in rows).items() if times > 1]
    assert not duplicates, "a person signed twice"
    assert all(row["withdrawn_at"] is None for row in rows)
    count = Initiative.objects.get(pk=initiative.pk).signature_count
    assert count == len(rows), f"the counter says {count}, the rows are {len(rows)}"
    links = Counter(
        AuditEvent.objects.filter(action="recall.sign", subject_type="recall.signature").values_list(
            "subject_id", flat=True
        )
    )
    assert links == Counter(str(row["pk"]) for row in rows), "a signature without its one audit link"
    bound = dict(
        Profile.objects.filter(user__in=signers, iin_fingerprint__isnull=False).values_list(
            "user_id", "iin_fingerprint"
        )
    )
    assert bound == {row["signer_id"]: row["iin_fingerprint"] for row in rows}, "an IIN tied without signing"
    user_label = get_user_model()._meta.label_lower
    binding_links = AuditEvent.objects.filter(
        action="accounts.profile_set_iin",
        subject_type=user_label,
        subject_id__in=[str(user.pk) for user in signers],
    )
    assert sorted(binding_links.values_list("subject_id", flat=True)) == sorted(str(pk) for pk in bound)
    return len(rows)


def _torn_signatures_sql(initiative: Initiative, signers: list) -> tuple[str, list]:
    """One statement (one snapshot) that counts what a reader could see half-written: rows against the
    counter, against their audit links and against the accounts they tied the IIN to."""
    marks = ", ".join("?" for _user in signers)
    rows = f"(SELECT COUNT(*) FROM {Signature._meta.db_table} WHERE initiative_id = ?)"
    sql = (
        f"SELECT ABS({rows} - (SELECT signature_count FROM {Initiative._meta.db_table} WHERE id = ?))"
        f" + ABS({rows} - (SELECT COUNT(*) FROM {AuditEvent._meta.db_table} WHERE action = 'recall.sign'))"
        f" + ABS({rows} - (SELECT COUNT(*) FROM {Profile._meta.db_table}"
        f" WHERE iin_fingerprint IS NOT NULL AND user_id IN ({marks})))"
    )
    pk = initiative.pk
    return sql, [pk, pk, pk, pk, *[user.pk for user in signers]]


def _shows_count(site: crash.Site, initiative: Initiative, count: int) -> None:
    anyone = crash.Visitor(site.url, "", "")
    page = anyone.get(f"/recall/{initiative.pk}/")
    assert page.status == 200
    assert f"<strong>{count}</strong> of" in page.body
    api = anyone.get(f"/api/v1/recall/initiatives/{initiative.pk}/count")
    assert api.status == 200 and api.json()["signatures"] == count


def test_a_server_killed_in_a_signing_burst_leaves_no_partial_signature(site: crash.Site, make_user) -> None:
    initiative = _collecting(make_user)
    # First-time signers: the signature also ties the IIN to the account, in the same transaction.
    people = [(make_user(), register_resident(initiative.kato)) for _n in range(SIGNERS)]
    signers = [user for user, _iin in people]
    rng = random.Random(4)
    attempts = list(people)
    rng.shuffle(attempts)
    for person in rng.sample(people, REPEATS):  # the second submit right beside the first
        attempts.insert(attempts.index(person) + 1, person)

    site.start()
    visitors = {user.pk: crash.Visitor(site.url, user.username, PASSWORD) for user in signers}
    crash.log_in(list(visitors.values()))
    table = Signature._meta.db_table

    def sign(person: tuple) -> str:
        user, iin = person
        answer = visitors[user.pk].post_json(
            f"/api/v1/recall/initiatives/{initiative.pk}/signatures", {"iin": iin}
        )
        if answer.status == 201:
            return "signed"
        if answer.status == 400:
            return answer.json()["error"]["code"]
        raise crash.VisitFailed(f"signing answered {answer.status}: {answer.body[:300]}")

    def rows() -> int:
        return site.count(f"SELECT COUNT(*) FROM {table} WHERE initiative_id = ?", [initiative.pk])

    def torn() -> int:
        return site.count(*_torn_signatures_sql(initiative, signers))

    counted: set[int] = set()  # the people told "counted" before a kill
    for kill_number in range(1, KILLS + 1):
        burst = crash.Burst([person for person in attempts if person[0].pk not in counted], sign).start()
        kill = crash.kill_when(site, burst, rows, at_least=kill_number * SIGNERS // (KILLS + 1), torn=torn)
        assert set(kill.tally) <= {"signed", "already_signed", crash.CUT, crash.REFUSED, crash.NOT_TRIED}
        counted |= {user.pk for user, _iin in burst.attempts_with("signed")}

        site.start()  # the restart: the same database, the same address
        site.reload()
        committed = _signature_checks(initiative, signers)
        assert kill.committed <= committed
        kept = set(
            Signature.private_objects.filter(initiative=initiative).values_list("signer_id", flat=True)
        )
        assert counted <= kept  # a signature answered "counted" before the kill is still there
        assert not kill.torn  # and no reader ever saw a partial signature during the burst
        _shows_count(site, initiative, committed)

    # Everyone tries once more: those whose signature survived are told so, the others sign now.
    again = crash.Burst(people, sign).start().join()
    assert not again.errors, again.errors
    # Counter against Counter: a count of 0 equals a missing key (a plain dict with a 0 would not).
    assert again.tally() == Counter({"signed": SIGNERS - committed, "already_signed": committed})
    site.reload()
    assert _signature_checks(initiative, signers) == SIGNERS
    _shows_count(site, initiative, SIGNERS)
    _chain_intact(site)


# --- Report publication -------------------------------------------------------------------------------------


def _drafts(make_user) -> list[tuple[Report, object]]:
    """REPORTS units, each with a sitting akim (with an account) and a filled draft ready to publish."""
    units = list(Territory.objects.elected_units().order_by("kato")[:REPORTS])
    reference_data(*units)
    drafts = []
    for unit in units:
        mandate = akim_with_program(unit, due_in_days=10)
        akim = make_user()
        person_link_user(person=mandate.person, user=akim)
        drafts.append((filled_report(mandate, actor=akim), akim))
    return drafts


def _torn_reports_sql(ids: list[int]) -> tuple[str, list]:
    """One statement that counts what a reader could see half-published: timeline entries against the updates
    of the published reports, published reports against their audit events."""
    marks = ", ".join("?" for _id in ids)
    report, update = Report._meta.db_table, ReportUpdate._meta.db_table
    published = f"{report} WHERE status = 'published' AND id IN ({marks})"
    sql = (
        f"SELECT ABS((SELECT COUNT(*) FROM {PromiseEvent._meta.db_table} WHERE source IN ({marks}))"
        f" - (SELECT COUNT(*) FROM {update} WHERE report_id IN (SELECT id FROM {published})))"
        f" + ABS((SELECT COUNT(*) FROM {published})"
        f" - (SELECT COUNT(*) FROM {AuditEvent._meta.db_table} WHERE action = 'reports.publish'))"
    )
    return sql, [*(f"report:{pk}" for pk in ids), *ids, *ids]


def _promise_state(reports: list[Report]) -> dict[int, tuple]:
    promises = Promise.objects.filter(report_updates__report__in=reports)
    return {row[0]: row[1:] for row in promises.values_list("pk", "status", "progress", "spent_kzt")}


def _report_checks(drafts: list[tuple[Report, object]], before: dict[int, tuple]) -> int:
    """No partial publication: a draft has no published side effect and its promises are as they were; a
    published report has every update in its promise's timeline (each with its audit link), its promises
    set, its audit event naming those entries and its unit's figures counting it. Returns how many are out."""
    promise_links = Counter(
        event.data.get("event")
        for event in AuditEvent.objects.filter(
            action__in=["programs.promise_update", "programs.promise_no_change"], data__has_key="event"
        )
    )
    published = 0
    for draft, akim in drafts:
        report = Report.private_objects.get(pk=draft.pk)
        updates = list(report.updates.select_related("promise"))
        assert updates
        entries = {event.pk: event for event in PromiseEvent.objects.filter(source=f"report:{report.pk}")}
        audit = list(
            AuditEvent.objects.filter(
                action="reports.publish", subject_type="reports.report", subject_id=str(report.pk)
            )
        )
        stat = ReportStat.objects.filter(unit_id=report.rural_unit_id).first()
        if report.status == ReportStatus.DRAFT:
            where = f"draft report {report.pk}"
            assert report.published_at is None and report.published_by_id is None, where
            assert not entries, f"{where} has timeline entries {sorted(entries)}"
            assert not audit, f"{where} has a publication audit event"
            assert all(update.event_id is None for update in updates), where
            assert {pk: before[pk] for pk in _promise_state([report])} == _promise_state([report]), where
            assert stat is None or stat.published == 0, where
            continue
        published += 1
        where = f"published report {report.pk}"
        assert report.status == ReportStatus.PUBLISHED, where
        assert report.published_at is not None and report.published_by_id == akim.pk, where
        assert sorted(update.event_id or 0 for update in updates) == sorted(entries), where
        for update in updates:
            entry = entries[update.event_id]
            assert entry.promise_id == update.promise_id, where
            assert promise_links[entry.pk] == 1, f"{where}: entry {entry.pk} has no single audit link"
            if not update.no_change:
                promise = update.promise
                assert (promise.status, promise.progress) == (update.status, update.progress), where
        assert len(audit) == 1, f"{where} has {len(audit)} publication audit events"
        assert sorted(audit[0].data["events"]) == sorted(entries), where
        assert stat is not None and stat.published == 1 and stat.last_report_id == report.pk, where
    return published


def test_a_server_killed_while_reports_are_published_leaves_no_partial_report(
    site: crash.Site, make_user
) -> None:
    drafts = _drafts(make_user)
    before = _promise_state([report for report, _akim in drafts])
    ids = [report.pk for report, _akim in drafts]
    torn = _torn_reports_sql(ids)

    site.start()
    visitors = {report.pk: crash.Visitor(site.url, akim.username, PASSWORD) for report, akim in drafts}
    crash.log_in(list(visitors.values()))

    def publish(report_id: int) -> str:
        answer = visitors[report_id].post(f"/reports/{report_id}/publish/", {})
        if answer.status == 302 and answer.location.endswith(f"/reports/{report_id}/"):
            return "published"
        if answer.status == 400 and "A published report never changes" in answer.body:
            return "already_published"
        raise crash.VisitFailed(f"publishing {report_id} answered {answer.status}: {answer.body[:300]}")

    def published() -> int:
        marks = ", ".join("?" for _id in ids)
        return site.count(
            f"SELECT COUNT(*) FROM {Report._meta.db_table} WHERE status = 'published' AND id IN ({marks})",
            ids,
        )

    answered: set[int] = set()  # the reports whose akim was shown the published report before a kill
    for kill_number in range(1, KILLS + 1):
        burst = crash.Burst([pk for pk in ids if pk not in answered], publish).start()
        kill = crash.kill_when(
            site,
            burst,
            published,
            at_least=kill_number * REPORTS // (KILLS + 1),
            torn=lambda: site.count(*torn),
        )
        assert set(kill.tally) <= {
            "published",
            "already_published",
            crash.CUT,
            crash.REFUSED,
            crash.NOT_TRIED,
        }
        answered |= set(burst.attempts_with("published"))

        site.start()
        site.reload()
        out = _report_checks(drafts, before)
        assert kill.committed <= out
        kept = set(Report.private_objects.filter(status=ReportStatus.PUBLISHED).values_list("pk", flat=True))
        assert answered <= kept
        assert not kill.torn
        anyone = crash.Visitor(site.url, "", "")
        assert all(anyone.get(f"/reports/{pk}/").status == 200 for pk in sorted(kept)[:3])

    # The akims who got no answer try again: a report that went out before the kill is refused as published.
    again = crash.Burst([pk for pk in ids if pk not in answered], publish).start().join()
    assert not again.errors, again.errors
    assert again.tally() == Counter({"published": REPORTS - out, "already_published": out - len(answered)})
    site.reload()
    assert _report_checks(drafts, before) == REPORTS
    _chain_intact(site)
