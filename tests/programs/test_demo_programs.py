"""`esep demo` gives every sitting akim a published program of 5-15 promises that passes the check, with
timelines, and some units a failing draft amendment; a second run does nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.utils import timezone

from esep.core.audit.models import AuditEvent
from esep.elections.models import Mandate
from esep.programs.demo import DEMO_UNIT_KATO, GRACE_DAYS, run_programs
from esep.programs.models import OPEN_PROMISE_STATUSES, Program, Promise, PromiseEvent, PromiseStat
from esep.programs.services import program_publish
from tests.elections.factories import make_sitting_akim
from tests.programs.factories import reference_data


@pytest.fixture
def sitting(unit_a, unit_a2, unit_b) -> list[Mandate]:
    reference_data(unit_a, unit_a2, unit_b)
    return [make_sitting_akim(unit) for unit in (unit_a, unit_a2, unit_b)]


@pytest.mark.django_db
def test_every_sitting_akim_gets_a_published_program_that_passes_the_check(sitting, client) -> None:
    out = StringIO()
    run_programs(out=out)
    assert "3 published programs" in out.getvalue()
    today = timezone.localdate()
    for mandate in sitting:
        program = Program.objects.get(rural_unit=mandate.rural_unit, status="published")
        assert program.candidacy.person_id == mandate.person_id
        assert program.check_ok is True and program.rule_set_version == "T-1"
        assert 5 <= program.promises.count() <= 15
        assert (program.term_start, program.term_end) == (mandate.starts_on, mandate.ends_on)
        late = program.promises.filter(
            status__in=OPEN_PROMISE_STATUSES, deadline__lt=today - timedelta(days=GRACE_DAYS)
        )
        assert not late.exists()  # the tick would have marked them broken
        page = client.get(f"/programs/unit/{mandate.rural_unit.kato}/").content.decode()
        assert page.count("<article") == program.promises.count()
    stats = PromiseStat.objects.filter(promises__gt=0)
    assert stats.count() == 3
    for event_promise in Promise.objects.filter(events__isnull=False).distinct():
        times = list(PromiseEvent.objects.filter(promise=event_promise).values_list("at", flat=True))
        assert times == sorted(times) and times[0] > event_promise.program.published_at


@pytest.mark.django_db
def test_the_demo_units_failing_draft_cannot_be_published(sitting) -> None:
    run_programs(out=StringIO())
    draft = Program.objects.get(rural_unit__kato=DEMO_UNIT_KATO, status="draft")
    assert draft.check_ok is False and draft.previous.status == "published" and draft.amendment_reason
    with pytest.raises(Exception) as refused:
        program_publish(program=draft, actor=None)
    assert getattr(refused.value, "code", "") == "check_failed"


@pytest.mark.django_db
def test_a_second_run_changes_nothing(sitting) -> None:
    run_programs(out=StringIO())
    counts = (Program.objects.count(), Promise.objects.count(), AuditEvent.objects.count())
    again = StringIO()
    run_programs(out=again)
    assert again.getvalue() == "programs demo: already loaded\n"
    assert (Program.objects.count(), Promise.objects.count(), AuditEvent.objects.count()) == counts


@pytest.mark.django_db
def test_the_demo_is_the_same_on_every_run(sitting) -> None:
    run_programs(out=StringIO())
    first = list(
        Promise.objects.order_by("program__rural_unit__kato", "program__version", "order").values_list(
            "title", "cost_kzt", "status"
        )
    )
    PromiseEvent.objects.all().delete()
    PromiseStat.objects.all().delete()
    Promise.objects.all().delete()
    Program.objects.filter(previous__isnull=False).delete()
    Program.objects.all().delete()
    run_programs(out=StringIO())
    again = list(
        Promise.objects.order_by("program__rural_unit__kato", "program__version", "order").values_list(
            "title", "cost_kzt", "status"
        )
    )
    assert again == first
