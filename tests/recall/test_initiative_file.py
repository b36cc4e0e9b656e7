"""Filing a recall initiative: by a resident of the unit, with grounds of at most 200 words citing evidence
from Esep (a failed promise, a late request; reports only once Esep keeps them), one under way per mandate;
the group forms as residents join, until the commission decides."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from esep.appeals import services as appeals
from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.core.models import Role
from esep.elections.models import EndReason
from esep.elections.services import mandate_end
from esep.programs.services import promise_record_update
from esep.recall import services
from esep.recall.models import EvidenceKind, GroupMember, Initiative, InitiativeEvent, RecallEvidence
from esep.recall.services import Cited
from esep.recall.states import State
from tests.programs.factories import promise_draft, published_program, reference_data
from tests.recall.factories import collecting_initiative, filed_initiative, overdue_appeal

pytestmark = pytest.mark.django_db


def file(unit, actor, *, grounds: str = "Обещания не выполнены.", evidence=None) -> Initiative:
    evidence = (
        evidence if evidence is not None else [Cited(EvidenceKind.APPEAL, overdue_appeal(unit, actor).pk)]
    )
    return services.initiative_file(unit=unit, grounds=grounds, evidence=evidence, actor=actor)


def test_a_resident_files_and_is_the_first_member_with_the_evidence_kept(unit, residents, mandate) -> None:
    appeal = overdue_appeal(unit, residents[1])
    initiative = file(unit, residents[0], evidence=[Cited(EvidenceKind.APPEAL, appeal.pk)])
    assert (initiative.state, initiative.mandate_id, initiative.kato) == (State.FILED, mandate.pk, unit.kato)
    assert list(GroupMember.objects.filter(initiative=initiative).values_list("user_id", "is_filer")) == [
        (residents[0].pk, True)
    ]
    evidence = RecallEvidence.objects.get(initiative=initiative)
    assert (evidence.kind, evidence.object_id, evidence.summary) == ("appeal", appeal.pk, appeal.number)
    assert evidence.detail["answered"] is None and evidence.detail["overdue"] is True
    # Only what open data shows of a request: never the resident or the text.
    assert appeal.text not in str(evidence.detail) and "resident" not in evidence.detail
    event = InitiativeEvent.objects.get(initiative=initiative)
    assert (event.from_state, event.to_state, event.by) == ("", State.FILED, "group")
    assert AuditEvent.objects.filter(action="recall.initiative_file", subject_id=str(initiative.pk)).exists()


def test_only_a_resident_of_the_unit_may_file(unit, residents, outsider, make_user) -> None:
    for actor in (outsider, make_user(Role.COMMISSION, unit)):
        with pytest.raises(ApplicationError, match="Only residents of") as refused:
            file(unit, actor, evidence=[Cited(EvidenceKind.APPEAL, overdue_appeal(unit, residents[0]).pk)])
        assert refused.value.code == "not_resident"
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(("words", "accepted"), [(200, True), (201, False)])
def test_the_grounds_have_at_most_200_words(unit, residents, words: int, accepted: bool) -> None:
    grounds = " ".join(["слово"] * words)
    if accepted:
        assert file(unit, residents[0], grounds=grounds).grounds == grounds
    else:
        with pytest.raises(ApplicationError, match="at most 200 words; this has 201"):
            file(unit, residents[0], grounds=grounds)


def test_empty_grounds_or_no_evidence_are_refused(unit, residents) -> None:
    with pytest.raises(ApplicationError, match="Write the grounds"):
        file(unit, residents[0], grounds="   ")
    with pytest.raises(ApplicationError, match="Cite at least one item") as refused:
        file(unit, residents[0], evidence=[])
    assert refused.value.code == "no_evidence"


def test_a_request_answered_on_time_or_of_another_unit_is_not_evidence(
    unit, unit_b, residents, outsider, make_user
) -> None:
    fresh = appeals.appeal_register(
        unit=unit, category=overdue_appeal(unit, residents[0]).category, text="Вопрос.", resident=residents[0]
    )
    with pytest.raises(ApplicationError, match="answered on time") as refused:
        file(unit, residents[0], evidence=[Cited(EvidenceKind.APPEAL, fresh.pk)])
    assert refused.value.code == "evidence_not_failure"
    elsewhere = overdue_appeal(unit_b, outsider)
    with pytest.raises(ApplicationError, match="is not a request of this unit"):
        file(unit, residents[0], evidence=[Cited(EvidenceKind.APPEAL, elsewhere.pk)])


def test_a_request_answered_late_is_evidence(unit, residents, make_user) -> None:
    appeal = overdue_appeal(unit, residents[0])
    appeals.appeal_answer(actor=make_user(Role.AKIMAT_STAFF, unit), appeal=appeal, answer="Отремонтируем.")
    initiative = file(unit, residents[0], evidence=[Cited(EvidenceKind.APPEAL, appeal.pk)])
    assert initiative.evidence.get().detail["answered"] is not None


def test_a_broken_or_overdue_promise_of_the_sitting_akim_is_evidence_a_kept_one_is_not(
    unit, residents, mandate, today
) -> None:
    reference_data(unit)
    program = published_program(
        mandate,
        promises=[promise_draft(1), promise_draft(2, deadline=today - timedelta(days=1)), promise_draft(3)],
    )
    broken, overdue, kept = (program.promises.get(local_id=f"P{n}") for n in (1, 2, 3))
    promise_record_update(
        promise=broken,
        status="broken",
        progress=0,
        spent_kzt=None,
        narrative="Нет денег.",
        reason="Нет денег.",
        actor=None,
        source="report",
    )
    promise_record_update(
        promise=kept,
        status="kept",
        progress=100,
        spent_kzt=None,
        narrative="Сделано.",
        actor=None,
        source="report",
    )
    with pytest.raises(ApplicationError, match="not evidence of failure"):
        file(unit, residents[0], evidence=[Cited(EvidenceKind.PROMISE, kept.pk)])
    initiative = file(
        unit,
        residents[0],
        evidence=[Cited(EvidenceKind.PROMISE, broken.pk), Cited(EvidenceKind.PROMISE, overdue.pk)],
    )
    details = {row.object_id: row.detail for row in initiative.evidence.all()}
    assert details[broken.pk]["status"] == "broken" and details[overdue.pk]["overdue"] is True


def test_a_promise_of_another_program_is_not_evidence(unit, unit_b, residents) -> None:
    from tests.elections.factories import make_sitting_akim

    reference_data(unit_b)
    other = published_program(make_sitting_akim(unit_b), promises=1).promises.get()
    with pytest.raises(ApplicationError, match="not in the published program of the sitting akim"):
        file(unit, residents[0], evidence=[Cited(EvidenceKind.PROMISE, other.pk)])


def test_a_report_is_refused_while_esep_keeps_no_reports(unit, residents, monkeypatch) -> None:
    real = apps.get_model

    def without_reports(app_label: str, model_name: str | None = None, *args: object, **kwargs: object):
        if app_label == "reports":
            raise LookupError("no reports")
        return real(app_label, model_name, *args, **kwargs)

    monkeypatch.setattr(apps, "get_model", without_reports)
    with pytest.raises(ApplicationError, match="reports are not kept in Esep yet") as refused:
        file(unit, residents[0], evidence=[Cited(EvidenceKind.REPORT, 1)])
    assert refused.value.code == "reports_unavailable"


def test_one_initiative_under_way_per_mandate_even_past_the_service(unit, residents, mandate) -> None:
    first = file(unit, residents[0])
    with pytest.raises(ApplicationError, match="already under way") as refused:
        file(unit, residents[1])
    assert refused.value.code == "initiative_under_way"
    # The database holds the rule too.
    copy = Initiative(
        rural_unit=unit,
        kato=unit.kato,
        mandate=mandate,
        state=State.COLLECTING,
        state_changed_at=first.filed_at,
        grounds="x",
        filed_by=residents[1],
        filed_at=first.filed_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    services.initiative_withdraw(initiative=first, actor=residents[0])
    assert file(unit, residents[1]).state == State.FILED


def test_no_initiative_without_a_sitting_akim(unit, residents, mandate, today) -> None:
    appeal = overdue_appeal(unit, residents[0])
    mandate_end(mandate=mandate, reason=EndReason.RESIGNATION, on=today)
    with pytest.raises(ApplicationError, match="has no sitting akim"):
        file(unit, residents[0], evidence=[Cited(EvidenceKind.APPEAL, appeal.pk)])


# --- The group ------------------------------------------------------------------------------------------


def test_residents_join_and_leave_until_the_commission_decides(unit, residents, outsider, commission) -> None:
    initiative = file(unit, residents[0])
    services.initiative_join(initiative=initiative, actor=residents[1])
    with pytest.raises(ApplicationError, match="already in the initiative group"):
        services.initiative_join(initiative=initiative, actor=residents[1])
    with pytest.raises(ApplicationError, match="Only residents of") as refused:
        services.initiative_join(initiative=initiative, actor=outsider)
    assert refused.value.code == "not_resident"
    services.initiative_leave(initiative=initiative, actor=residents[1])
    with pytest.raises(ApplicationError, match="withdraws it instead of leaving"):
        services.initiative_leave(initiative=initiative, actor=residents[0])
    assert GroupMember.objects.filter(initiative=initiative).count() == 1


def test_the_group_is_closed_once_registered(unit, residents, commission, make_user) -> None:
    initiative = collecting_initiative(unit, residents, commission)
    newcomer = make_user(Role.RESIDENT, unit)
    with pytest.raises(ApplicationError, match="group is closed") as refused:
        services.initiative_join(initiative=initiative, actor=newcomer)
    assert refused.value.code == "group_closed"
    with pytest.raises(ApplicationError, match="group is closed"):
        services.initiative_leave(initiative=initiative, actor=residents[3])


def test_only_the_filer_withdraws_and_only_before_the_decision(unit, residents, commission) -> None:
    initiative = filed_initiative(unit, residents)
    with pytest.raises(ApplicationError, match="Only the member who filed"):
        services.initiative_withdraw(initiative=initiative, actor=residents[1])
    services.initiative_withdraw(initiative=initiative, actor=residents[0])
    initiative.refresh_from_db()
    assert initiative.state == State.WITHDRAWN
    registered = collecting_initiative(unit, residents, commission)
    with pytest.raises(ApplicationError, match="cannot become") as refused:
        services.initiative_withdraw(initiative=registered, actor=residents[0])
    assert refused.value.code == "transition_refused"


def test_the_akim_answers_beside_the_grounds_and_only_the_akim(
    unit, residents, akim_user, make_user, unit_b
) -> None:
    initiative = filed_initiative(unit, residents)
    services.initiative_answer(
        initiative=initiative, text="Водопровод будет в следующем году.", actor=akim_user
    )
    initiative.refresh_from_db()
    assert initiative.akim_answer == "Водопровод будет в следующем году." and initiative.akim_answered_at
    other_akim = make_user(Role.AKIM, unit_b)
    with pytest.raises(ApplicationError, match="Only the akim of the unit"):
        services.initiative_answer(initiative=initiative, text="Нет.", actor=other_akim)
    with pytest.raises(ApplicationError, match="at most 300 words"):
        services.initiative_answer(initiative=initiative, text="слово " * 301, actor=akim_user)
    services.initiative_withdraw(initiative=initiative, actor=residents[0])
    with pytest.raises(ApplicationError, match="closed"):
        services.initiative_answer(initiative=initiative, text="Поздно.", actor=akim_user)
