"""The summary table equals a direct count, stays current through the services, and `esep tick` mends the
rows that time or the elections app made stale."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from esep.elections.services import mandate_end
from esep.programs import demo as programs_demo
from esep.programs import tick
from esep.programs.drafting import FundingDraft, draft_of
from esep.programs.models import OPEN_PROMISE_STATUSES, FundingLine, Promise, PromiseEvent, PromiseStat
from esep.programs.selectors import tracked_promises
from esep.programs.services import program_amend, program_publish, program_save_draft, promise_record_update
from esep.programs.stats import area_figures, stats_rebuild
from tests.elections.factories import make_sitting_akim
from tests.programs.factories import promise_draft, published_program


def direct_count(prefix: str, today) -> dict:
    promises = tracked_promises(prefix=prefix, today=today)
    counts = dict(promises.values_list("status").annotate(n=Count("pk")).order_by())
    money = dict(
        FundingLine.objects.filter(promise__in=promises.filter(removed_in__isnull=True))
        .values_list("source")
        .annotate(total=Sum("amount_kzt"))
        .order_by()
    )
    return {
        "promises": promises.count(),
        "overdue": promises.filter(status__in=OPEN_PROMISE_STATUSES, deadline__lt=today).count(),
        "kept": counts.get("kept", 0),
        "in_progress": counts.get("in_progress", 0),
        "dropped": counts.get("dropped", 0),
        "broken": counts.get("broken", 0),
        "local_budget_kzt": money.get("local_budget", 0),
        "sponsor_kzt": money.get("sponsor", 0),
    }


@pytest.mark.django_db
def test_the_summary_table_equals_a_direct_count(akim_a, unit_a, unit_b) -> None:
    today = timezone.localdate()
    late = promise_draft(1, deadline=today - timedelta(days=20))
    sponsored = promise_draft(2, funding=[FundingDraft("sponsor", today.year, 1_000_000)])
    program = published_program(akim_a, promises=[late, sponsored, promise_draft(3), promise_draft(4)])
    published_program(make_sitting_akim(unit_b), promises=2)
    promise_record_update(
        promise=program.promises.get(local_id="P2"),
        status="kept",
        progress=100,
        spent_kzt=None,
        narrative="Done.",
        actor=None,
        source="test",
    )
    draft = program_amend(program=program, reason="Street 4 is done by the district.", actor=None)
    rows = [
        draft_of(p)
        for p in draft.promises.select_related("power").prefetch_related("funding_lines")
        if p.local_id != "P4"
    ]
    program_save_draft(program=draft, promises=rows, actor=None)
    program_publish(program=draft, actor=None)
    for prefix in ("", unit_a.region_code[:2], unit_a.district_code[:4], unit_a.kato, unit_b.region_code[:2]):
        figures = area_figures(prefix)
        assert {name: figures[name] for name in direct_count(prefix, today)} == direct_count(prefix, today), (
            prefix
        )
    assert area_figures("")["promises"] == 6
    assert area_figures(unit_a.kato)["dropped"] == 1 and area_figures(unit_a.kato)["overdue"] == 1


@pytest.mark.django_db
def test_a_rebuild_on_a_later_day_counts_promises_that_became_overdue(akim_a, unit_a) -> None:
    today = timezone.localdate()
    published_program(akim_a, promises=[promise_draft(1, deadline=today + timedelta(days=3))])
    stat = PromiseStat.objects.get(unit=unit_a)
    assert (stat.overdue, stat.next_deadline) == (0, today + timedelta(days=3))
    stats_rebuild([unit_a.pk], today=today + timedelta(days=4))
    assert PromiseStat.objects.get(unit=unit_a).overdue == 1


@pytest.mark.django_db
def test_tick_refreshes_the_row_of_a_unit_whose_akim_left_office(akim_a, unit_a) -> None:
    published_program(akim_a, promises=2)
    assert PromiseStat.objects.get(unit=unit_a).promises == 2
    mandate_end(mandate=akim_a, reason="resignation", note="Ушёл в отставку.")
    summary = tick.run(now=timezone.now())
    assert "1 summary rows refreshed" in summary
    stat = PromiseStat.objects.get(unit=unit_a)
    assert (stat.promises, stat.mandate_id, stat.program_id) == (0, None, None)
    assert "0 summary rows refreshed" in tick.run(now=timezone.now())


@pytest.mark.django_db
def test_the_demos_last_step_rebuilds_rows_a_later_step_left_stale(akim_a, unit_a) -> None:
    published_program(akim_a, promises=2)
    mandate_end(mandate=akim_a, reason="resignation", note="Ушёл в отставку.")  # as the recall demo does
    out = io.StringIO()
    programs_demo.run_summaries(out=out)
    assert PromiseStat.objects.get(unit=unit_a).promises == 0
    assert "1 stale summary rows rebuilt" in out.getvalue()
    programs_demo.run_summaries(out=out)
    assert out.getvalue().endswith("0 stale summary rows rebuilt\n")


@pytest.mark.django_db
def test_tick_marks_a_promise_broken_once_the_grace_period_after_its_deadline_is_over(akim_a, unit_a) -> None:
    today = timezone.localdate()
    program = published_program(
        akim_a,
        promises=[
            promise_draft(1, deadline=today - timedelta(days=91)),
            promise_draft(2, deadline=today - timedelta(days=90)),
            promise_draft(3, deadline=today - timedelta(days=200)),
        ],
    )
    promise_record_update(
        promise=program.promises.get(local_id="P3"),
        status="kept",
        progress=100,
        spent_kzt=None,
        narrative="Done late.",
        actor=None,
        source="test",
    )
    assert tick.run(now=timezone.now()).startswith("1 promises past their deadline marked broken")
    statuses = dict(Promise.objects.values_list("local_id", "status"))
    assert statuses == {"P1": "broken", "P2": "not_rated", "P3": "kept"}
    event = PromiseEvent.objects.get(promise__local_id="P1")
    assert (event.kind, event.source) == ("deadline_missed", "esep tick")
    assert PromiseStat.objects.get(unit=unit_a).broken == 1
    assert tick.run(now=timezone.now()).startswith("0 promises")


@pytest.mark.django_db
def test_the_territory_sections_read_the_summary_table_in_a_fixed_number_of_queries(
    akim_a, unit_a, client
) -> None:
    published_program(akim_a, promises=3)
    from esep.programs.sections import territory_section

    request = client.get("/").wsgi_request
    for territory in (None, unit_a.parent.parent, unit_a.parent, unit_a):
        with CaptureQueriesContext(connection) as queries:
            html = territory_section(request, territory)
        assert len(queries) == 1, territory
        assert "/programs/" in html
    assert "<svg" in territory_section(request, unit_a.parent) and "<table>" in territory_section(
        request, None
    )
    settlement = unit_a.children.first()
    assert settlement.level == "settlement" and territory_section(request, settlement) == ""
