"""Residents of the unit rate a published report once (and may change it), agree or disagree with each
update, and ask questions the akim answers in public; moderators hide abusive questions with a reason."""

import pytest

from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.core.models import Role
from esep.reports.models import NotificationKind, Question, Rating, Report, ReportNotification, ReportStat
from esep.reports.services import question_answer, question_ask, question_hide, report_rate, update_judge
from tests.reports.factories import filled_report, published_report


@pytest.fixture
def report(mandate, akim) -> Report:
    return published_report(mandate, actor=akim)


def counters(report: Report) -> tuple[int, int]:
    report.refresh_from_db()
    return report.rating_count, report.rating_sum


@pytest.mark.django_db
def test_a_resident_rates_once_and_may_change_the_rating(report, resident, make_user, unit_a) -> None:
    report_rate(report=report, user=resident, stars=2)
    report_rate(report=report, user=resident, stars=5)
    neighbour = make_user(Role.RESIDENT, unit_a)
    report_rate(report=report, user=neighbour, stars=4)
    assert Rating.private_objects.filter(report=report).count() == 2
    assert counters(report) == (2, 9)
    assert report.average_rating == 4.5
    stat = ReportStat.objects.get(unit=unit_a)
    assert (stat.rating_count, stat.rating_sum) == (2, 9)


@pytest.mark.django_db
def test_residents_of_other_units_and_officials_cannot_rate(report, other_resident, akim) -> None:
    for user in (other_resident, akim):
        with pytest.raises(ApplicationError) as refused:
            report_rate(report=report, user=user, stars=5)
        assert refused.value.code == "not_resident"
    assert counters(report) == (0, 0)


@pytest.mark.parametrize("stars", [0, 6, "5", True, None])
@pytest.mark.django_db
def test_a_rating_is_a_whole_number_from_1_to_5(report, resident, stars) -> None:
    with pytest.raises(ApplicationError):
        report_rate(report=report, user=resident, stars=stars)


@pytest.mark.django_db
def test_a_draft_cannot_be_rated_or_judged_or_questioned(mandate, akim, resident) -> None:
    draft = filled_report(mandate, actor=akim)
    for attempt in (
        lambda: report_rate(report=draft, user=resident, stars=3),
        lambda: update_judge(update=draft.updates.first(), user=resident, verdict="agree"),
        lambda: question_ask(report=draft, user=resident, text="Когда отремонтируют дорогу?"),
    ):
        with pytest.raises(ApplicationError) as refused:
            attempt()
        assert refused.value.code == "not_published"


@pytest.mark.django_db
def test_agreeing_then_disagreeing_moves_one_vote(report, resident, other_resident) -> None:
    update = report.updates.order_by("pk").first()
    update_judge(update=update, user=resident, verdict="agree")
    update.refresh_from_db()
    assert (update.agree_count, update.disagree_count) == (1, 0)
    update_judge(update=update, user=resident, verdict="disagree")
    update_judge(update=update, user=resident, verdict="disagree")
    update.refresh_from_db()
    assert (update.agree_count, update.disagree_count) == (0, 1)
    with pytest.raises(ApplicationError):
        update_judge(update=update, user=other_resident, verdict="agree")
    with pytest.raises(ApplicationError):
        update_judge(update=update, user=resident, verdict="maybe")


@pytest.mark.django_db
def test_a_question_is_answered_in_public_and_the_asker_is_told(report, resident, akim, staff) -> None:
    question = question_ask(report=report, user=resident, text="  Когда починят фонари на улице Абая?  ")
    assert question.text == "Когда починят фонари на улице Абая?"
    told = set(
        ReportNotification.objects.filter(kind=NotificationKind.QUESTION).values_list("recipient", flat=True)
    )
    assert told == {akim.pk, staff.pk}
    question_answer(question=question, text="В мае, подрядчик определён.", actor=akim)
    question.refresh_from_db()
    assert question.answer == "В мае, подрядчик определён." and question.answered_by_id == akim.pk
    assert ReportNotification.objects.filter(kind=NotificationKind.ANSWERED, recipient=resident).exists()
    with pytest.raises(ApplicationError) as again:
        question_answer(question=question, text="Ещё раз.", actor=akim)
    assert again.value.code == "answered"


@pytest.mark.django_db
def test_residents_of_other_units_cannot_ask(report, other_resident) -> None:
    with pytest.raises(ApplicationError):
        question_ask(report=report, user=other_resident, text="Почему так дорого?")
    assert not Question.moderation_objects.exists()


@pytest.mark.django_db
def test_a_moderator_hides_an_abusive_question_with_a_reason_that_stays_visible(
    report, resident, supervisor
) -> None:
    question = question_ask(report=report, user=resident, text="Оскорбительный текст о соседе.")
    question_hide(question=question, reason="оскорбление", actor=supervisor)
    question.refresh_from_db()
    assert question.is_hidden and question.public_text == "" and question.hidden_reason == "оскорбление"
    audit = AuditEvent.objects.get(action="reports.question_hide")
    assert audit.actor_id == supervisor.pk and audit.data["reason"] == "оскорбление"
    with pytest.raises(ApplicationError) as answered:
        question_answer(question=question, text="Ответ.", actor=None)
    assert answered.value.code == "hidden"


@pytest.mark.django_db
def test_only_moderators_of_the_territory_hide(report, resident, staff, make_user, unit_b) -> None:
    from esep.territory.models import Territory

    far_supervisor = make_user(Role.DISTRICT_SUPERVISOR, Territory.objects.get(kato=unit_b.district_code))
    question = question_ask(report=report, user=resident, text="Вопрос о бюджете округа.")
    for user in (staff, far_supervisor, resident):
        with pytest.raises(ApplicationError) as refused:
            question_hide(question=question, reason="не нравится", actor=user)
        assert refused.value.code == "forbidden"
    with pytest.raises(ApplicationError):
        question_hide(question=question, reason=" ", actor=make_user(Role.ADMINISTRATOR, None))
