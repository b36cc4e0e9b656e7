"""`report_save_update`: one update per active promise of the akim's program, with the tracker's rules."""

import pytest

from esep.core.errors import ApplicationError
from esep.reports.models import ReportUpdate
from esep.reports.services import active_promises, report_delete_update, report_save_update, report_start
from tests.reports.factories import akim_with_program, program_of


def save(report, promise, **changes):
    values = {
        "no_change": False,
        "status": "in_progress",
        "progress": 30,
        "spent_kzt": 0,
        "narrative": "Идут работы.",
        "reason": "",
    }
    values.update(changes)
    return report_save_update(report=report, promise=promise, actor=None, **values)


@pytest.mark.django_db
def test_saving_again_replaces_the_update(mandate) -> None:
    report = report_start(mandate=mandate, actor=None)
    promise = active_promises(program_of(mandate))[0]
    save(report, promise, progress=30)
    save(report, promise, progress=45, narrative="Уложили асфальт.")
    update = ReportUpdate.objects.get(report=report, promise=promise)
    assert (update.progress, update.narrative) == (45, "Уложили асфальт.")


@pytest.mark.django_db
def test_no_change_needs_only_a_reason_and_clears_the_figures(mandate) -> None:
    report = report_start(mandate=mandate, actor=None)
    promise = active_promises(program_of(mandate))[0]
    save(report, promise)
    save(report, promise, no_change=True, narrative="Ждём проектную документацию.")
    update = ReportUpdate.objects.get(report=report, promise=promise)
    assert update.no_change and update.status == "" and update.progress is None and update.spent_kzt is None
    with pytest.raises(ApplicationError):
        save(report, promise, no_change=True, narrative="   ")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "not_rated"}, "new status"),
        ({"status": "kept", "progress": 90}, "100 percent"),
        ({"status": "broken", "reason": ""}, "reason"),
        ({"status": "dropped", "reason": " "}, "reason"),
        ({"progress": 101}, "0 to 100"),
        ({"spent_kzt": -5}, "non-negative"),
        ({"narrative": ""}, "needs a text"),
    ],
)
@pytest.mark.django_db
def test_the_trackers_rules_hold_for_report_updates(mandate, changes, message) -> None:
    report = report_start(mandate=mandate, actor=None)
    with pytest.raises(ApplicationError, match=message):
        save(report, active_promises(program_of(mandate))[0], **changes)
    assert not ReportUpdate.objects.exists()


@pytest.mark.django_db
def test_a_broken_promise_keeps_its_reason(mandate) -> None:
    report = report_start(mandate=mandate, actor=None)
    promise = active_promises(program_of(mandate))[0]
    save(report, promise, status="broken", reason="Район не выделил средства.")
    assert ReportUpdate.objects.get().reason == "Район не выделил средства."


@pytest.mark.django_db
def test_a_promise_of_another_akims_program_is_refused(mandate, unit_a2) -> None:
    other = akim_with_program(unit_a2)
    report = report_start(mandate=mandate, actor=None)
    with pytest.raises(ApplicationError) as refused:
        save(report, active_promises(program_of(other))[0])
    assert refused.value.code == "not_in_program"


@pytest.mark.django_db
def test_a_draft_update_can_be_deleted(mandate) -> None:
    report = report_start(mandate=mandate, actor=None)
    update = save(report, active_promises(program_of(mandate))[0])
    report_delete_update(update=update, actor=None)
    assert not ReportUpdate.objects.exists()
