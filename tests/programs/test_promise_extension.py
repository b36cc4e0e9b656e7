"""Deadline extensions (issue #5): the akim files one with a reason, the district supervisor decides; while an
approved extension's new date has not passed, `esep tick` does not mark the promise broken."""

from datetime import timedelta

import pytest
from django.utils import timezone

from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.core.models import Role
from esep.programs import tick
from esep.programs.models import ExtensionStatus, Promise, PromiseExtension
from esep.programs.services import (
    program_amend,
    program_publish,
    promise_extension_decide,
    promise_extension_file,
)
from esep.territory.models import Territory
from tests.programs.factories import promise_draft, published_program


@pytest.fixture
def supervisor(unit_a, make_user):
    return make_user(
        Role.DISTRICT_SUPERVISOR, Territory.objects.get(kato=unit_a.district_code), username="sup-a"
    )


@pytest.fixture
def late_promise(akim_a) -> Promise:
    """Deadline 100 days ago: past the 90-day grace period, so the tick would mark it broken."""
    today = timezone.localdate()
    program = published_program(akim_a, promises=[promise_draft(1, deadline=today - timedelta(days=100))])
    return program.promises.get()


def file(promise, actor, days: int = 60, reason: str = "Подрядчик сорвал сроки, договор перезаключён."):
    return promise_extension_file(
        promise=promise, new_deadline=timezone.localdate() + timedelta(days=days), reason=reason, actor=actor
    )


@pytest.mark.django_db
def test_an_approved_extension_keeps_the_promise_from_turning_broken(late_promise, owner, supervisor) -> None:
    extension = file(late_promise, owner)
    assert extension.status == ExtensionStatus.PENDING
    promise_extension_decide(extension=extension, approve=True, note="", actor=supervisor)
    assert tick.run(now=timezone.now()).startswith("0 promises past their deadline marked broken")
    late_promise.refresh_from_db()
    assert late_promise.status == "not_rated"
    assert AuditEvent.objects.filter(action="programs.extension_decide", actor_id=supervisor.pk).exists()


@pytest.mark.django_db
def test_once_the_new_date_passes_the_promise_turns_broken(late_promise, owner, supervisor) -> None:
    today = timezone.localdate()
    # Filed a month ago for a new date that was yesterday.
    extension = promise_extension_file(
        promise=late_promise,
        new_deadline=today - timedelta(days=1),
        reason="Подрядчик сорвал сроки, договор перезаключён.",
        actor=owner,
        today=today - timedelta(days=30),
    )
    promise_extension_decide(extension=extension, approve=True, note="", actor=supervisor)
    tick.run(now=timezone.now())
    late_promise.refresh_from_db()
    assert late_promise.status == "broken"


@pytest.mark.django_db
def test_a_pending_or_refused_extension_does_not_stop_the_rule(late_promise, owner, supervisor) -> None:
    extension = file(late_promise, owner)
    tick.run(now=timezone.now())
    late_promise.refresh_from_db()
    assert late_promise.status == "broken"
    with pytest.raises(ApplicationError) as refused:
        promise_extension_decide(extension=extension, approve=False, note="", actor=supervisor)
    assert refused.value.code == "invalid"  # a refusal says why
    promise_extension_decide(extension=extension, approve=False, note="Нет оснований.", actor=supervisor)
    assert PromiseExtension.objects.get().status == ExtensionStatus.REFUSED


@pytest.mark.django_db
def test_only_the_akim_files_and_only_the_district_supervisor_decides(
    late_promise, owner, colleague, supervisor, make_user, unit_b
) -> None:
    with pytest.raises(ApplicationError) as staff_refused:
        file(late_promise, colleague)
    assert staff_refused.value.code == "forbidden"
    extension = file(late_promise, owner)
    far = make_user(Role.DISTRICT_SUPERVISOR, Territory.objects.get(kato=unit_b.district_code))
    for user in (far, owner, colleague):
        with pytest.raises(ApplicationError) as refused:
            promise_extension_decide(extension=extension, approve=True, note="", actor=user)
        assert refused.value.code == "forbidden"
    promise_extension_decide(extension=extension, approve=True, note="", actor=supervisor)
    with pytest.raises(ApplicationError) as twice:
        promise_extension_decide(extension=extension, approve=False, note="Передумал.", actor=supervisor)
    assert twice.value.code == "decided"


@pytest.mark.parametrize(
    ("days", "reason", "code"),
    [
        (-1, "Подрядчик сорвал сроки.", "invalid"),
        (3000, "Подрядчик сорвал сроки.", "invalid"),
        (30, "мало", "invalid"),
    ],
)
@pytest.mark.django_db
def test_the_new_date_and_the_reason_are_checked(late_promise, owner, days, reason, code) -> None:
    with pytest.raises(ApplicationError) as refused:
        file(late_promise, owner, days=days, reason=reason)
    assert refused.value.code == code
    assert not PromiseExtension.objects.exists()


@pytest.mark.django_db
def test_one_pending_extension_at_a_time_and_none_for_a_closed_promise(late_promise, owner) -> None:
    file(late_promise, owner)
    with pytest.raises(ApplicationError) as pending:
        file(late_promise, owner, days=90)
    assert pending.value.code == "pending"
    tick.run(now=timezone.now())  # broken: closed
    PromiseExtension.objects.all().delete()
    with pytest.raises(ApplicationError) as closed:
        file(late_promise, owner)
    assert closed.value.code == "closed"


@pytest.mark.django_db
def test_an_extension_follows_the_promise_into_an_amended_version(late_promise, owner, supervisor) -> None:
    promise_extension_decide(extension=file(late_promise, owner), approve=True, note="", actor=supervisor)
    amended = program_amend(program=late_promise.program, reason="Уточнены сроки работ.", actor=owner)
    program_publish(program=amended, actor=owner)
    tick.run(now=timezone.now())
    assert amended.promises.get(local_id="P1").status == "not_rated"


@pytest.mark.django_db
def test_the_extension_pages(client, late_promise, owner, supervisor) -> None:
    client.force_login(owner)
    url = f"/reports/promise/{late_promise.pk}/extension/"
    assert client.get(url).status_code == 200
    day = (timezone.localdate() + timedelta(days=45)).isoformat()
    assert client.post(url, {"new_deadline": day, "reason": "коротко"}).status_code == 400
    assert (
        client.post(url, {"new_deadline": day, "reason": "Проект на экспертизе до весны."}).status_code == 302
    )
    extension = PromiseExtension.objects.get()
    assert client.get("/reports/extensions/").status_code == 403
    client.force_login(supervisor)
    assert "Проект на экспертизе" in client.get("/reports/extensions/").content.decode()
    client.post(f"/reports/extensions/{extension.pk}/decide/", {"decision": "approve", "note": ""})
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED and extension.decided_by == supervisor
