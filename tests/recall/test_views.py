"""Recall pages: who may use each (the owner, a colleague of another territory, an outsider), what they
show, bad input answered with a 400 and the reason, list pages whose query count does not grow with rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from esep.core.models import Role
from esep.recall import services
from esep.recall.models import Initiative, PartyWithdrawal, Signature
from esep.recall.states import State
from esep.territory.models import Territory
from tests.recall.factories import (
    closed_initiative,
    collecting_initiative,
    filed_initiative,
    overdue_appeal,
    reached_initiative,
    register_resident,
    signed_by,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(unit, residents, commission) -> Initiative:
    return collecting_initiative(unit, residents, commission)


def url(name: str, *args: object) -> str:
    return reverse(f"recall:{name}", args=args)


def withdrawn_initiatives(unit, residents, count: int) -> None:
    """`count` more initiatives in the unit, each filed and withdrawn (a cheap way to have more rows)."""
    for _n in range(count):
        services.initiative_withdraw(initiative=filed_initiative(unit, residents[:1]), actor=residents[0])


# --- Public pages --------------------------------------------------------------------------------------


def test_the_initiative_page_shows_grounds_answer_count_and_timeline_to_anyone(
    client, initiative, akim_user, unit, make_user
) -> None:
    services.initiative_answer(initiative=initiative, text="Водопровод будет в 2027 году.", actor=akim_user)
    iin = register_resident(unit.kato)
    services.signature_sign(initiative=initiative, iin=iin, signer=make_user())
    page = client.get(url("detail", initiative.pk)).content.decode()
    assert "Обещанный ремонт дорог не выполнен" in page
    assert "Водопровод будет в 2027 году." in page
    assert '<progress class="recall-progress" max="10" value="1">' in page
    assert "30 days left to sign" in page
    assert "10% of 100 registered voters" in page
    assert "Filed, awaiting registration — initiative group" in page  # the timeline, from its first event
    assert "Collecting signatures — Esep (on schedule)" in page
    signature = Signature.private_objects.get()
    assert iin not in page and signature.iin_masked not in page


def test_the_count_fragment_is_what_htmx_reloads(client, initiative) -> None:
    fragment = client.get(url("count", initiative.pk)).content.decode()
    assert 'hx-trigger="every 30s"' in fragment and "of 10 signatures needed" in fragment


def test_the_list_filters_by_area_and_state(client, initiative, unit, unit_b) -> None:
    assert (
        unit.name in client.get(url("list"), {"area": unit.district_code, "state": "active"}).content.decode()
    )
    assert unit.name not in client.get(url("list"), {"area": unit_b.district_code}).content.decode()
    assert unit.name not in client.get(url("list"), {"state": "recalled"}).content.decode()
    assert client.get(url("list"), {"area": "999999999"}).status_code == 400
    assert client.get(url("list"), {"state": "nonsense"}).status_code == 400


@pytest.mark.parametrize("name", ["list", "unit"])
def test_the_list_query_count_does_not_grow_with_its_rows(client, unit, residents, mandate, name) -> None:
    target = url(name) if name == "list" else url(name, unit.kato)
    withdrawn_initiatives(unit, residents, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(target).status_code == 200
    withdrawn_initiatives(unit, residents, 3)
    with CaptureQueriesContext(connection) as many:
        page = client.get(target).content.decode()
    assert page.count('class="tag recall-withdrawn"') == 4
    assert len(many) == len(few)


def test_the_mandate_record_lists_every_initiative(client, initiative, unit, residents, mandate) -> None:
    page = client.get(url("mandate", mandate.pk)).content.decode()
    assert f"Initiative No. {initiative.pk}" in page


# --- Filing, the group, the answer ---------------------------------------------------------------------


def test_a_resident_files_from_the_form_citing_a_late_request(client, unit, residents, mandate) -> None:
    appeal = overdue_appeal(unit, residents[0])
    client.force_login(residents[0])
    form = client.get(url("file", unit.kato)).content.decode()
    assert appeal.number in form
    bad = client.post(url("file", unit.kato), {"grounds": "Не выполнил."})
    assert bad.status_code == 400 and "Cite at least one item of evidence" in bad.content.decode()
    long = client.post(url("file", unit.kato), {"grounds": "слово " * 201, "appeals": [appeal.pk]})
    assert long.status_code == 400 and "at most 200 words" in long.content.decode()
    done = client.post(url("file", unit.kato), {"grounds": "Не выполнил.", "appeals": [appeal.pk]})
    initiative = Initiative.objects.get()
    assert done.status_code == 302 and done["Location"] == url("detail", initiative.pk)
    assert initiative.evidence.get().object_id == appeal.pk


def test_filing_is_for_residents_of_the_unit(client, unit, mandate, outsider, make_user) -> None:
    response = client.get(url("file", unit.kato))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(outsider)
    assert client.get(url("file", unit.kato)).status_code == 403
    client.force_login(make_user(Role.AKIM, unit))
    assert client.get(url("file", unit.kato)).status_code == 403


def test_residents_join_from_the_page_and_outsiders_cannot(client, unit, residents, outsider) -> None:
    initiative = filed_initiative(unit, residents[:1])
    client.force_login(residents[1])
    assert "Join the initiative group" in client.get(url("detail", initiative.pk)).content.decode()
    assert client.post(url("join", initiative.pk)).status_code == 302
    assert initiative.members.count() == 2
    again = client.post(url("join", initiative.pk))
    assert again.status_code == 400 and "already in the initiative group" in again.content.decode()
    client.force_login(outsider)
    assert client.post(url("join", initiative.pk)).status_code == 403
    client.force_login(residents[0])
    assert client.post(url("withdraw", initiative.pk)).status_code == 302
    assert Initiative.objects.get().state == State.WITHDRAWN


def test_only_the_akim_of_the_unit_answers(client, initiative, akim_user, make_user, unit_b) -> None:
    client.force_login(make_user(Role.AKIM, unit_b))
    assert client.post(url("answer", initiative.pk), {"text": "Нет."}).status_code == 403
    client.force_login(akim_user)
    assert "Publish the answer" in client.get(url("detail", initiative.pk)).content.decode()
    assert client.post(url("answer", initiative.pk), {"text": ""}).status_code == 400
    assert client.post(url("answer", initiative.pk), {"text": "Работаем."}).status_code == 302
    assert Initiative.objects.get().akim_answer == "Работаем."


# --- Signing -------------------------------------------------------------------------------------------


def test_signing_from_the_phone_form_and_withdrawing(client, initiative, unit, make_user) -> None:
    signer = make_user()
    assert client.get(url("sign", initiative.pk)).status_code == 302  # log in first
    client.force_login(signer)
    form = client.get(url("sign", initiative.pk)).content.decode()
    assert 'inputmode="numeric"' in form and 'autocomplete="off"' in form
    refused = client.post(url("sign", initiative.pk), {"iin": "850412401235", "confirm": "on"})
    assert refused.status_code == 400 and "last digit of the IIN" in refused.content.decode()
    elsewhere = client.post(
        url("sign", initiative.pk), {"iin": register_resident("113630000"), "confirm": "on"}
    )
    assert (
        elsewhere.status_code == 400
        and "does not list this person as a resident" in elsewhere.content.decode()
    )
    iin = register_resident(unit.kato)
    unconfirmed = client.post(url("sign", initiative.pk), {"iin": iin})
    assert unconfirmed.status_code == 400 and iin not in unconfirmed.content.decode()  # never echoed back
    assert client.post(url("sign", initiative.pk), {"iin": iin, "confirm": "on"}).status_code == 302
    page = client.get(url("detail", initiative.pk)).content.decode()
    assert "You signed on" in page and "Withdraw my signature" in page
    assert client.post(url("unsign", initiative.pk)).status_code == 302
    assert Initiative.objects.get().signature_count == 0


def test_signing_is_rate_limited(client, initiative, settings, make_user) -> None:
    settings.ESEP_RATE_LIMITS = True
    client.force_login(make_user())
    codes = [
        client.post(url("sign", initiative.pk), {"iin": "1", "confirm": "on"}).status_code for _n in range(11)
    ]
    assert codes[:10] == [400] * 10 and codes[10] == 429


# --- The commission ------------------------------------------------------------------------------------


def test_the_commission_of_the_territory_registers_others_cannot(
    client, unit, residents, commission, other_commission
) -> None:
    initiative = filed_initiative(unit, residents)
    for outsider in (other_commission, residents[1]):
        client.force_login(outsider)
        assert client.post(url("register", initiative.pk)).status_code == 403
    client.force_login(commission)
    page = client.get(url("detail", initiative.pk)).content.decode()
    assert "Register the initiative" in page
    assert client.post(url("register", initiative.pk)).status_code == 302
    assert Initiative.objects.get().state == State.COLLECTING


def test_a_blocked_registration_names_the_obstacle_and_refusal_needs_a_reason(
    client, unit, residents, commission
) -> None:
    initiative = filed_initiative(unit, residents[:4])
    client.force_login(commission)
    page = client.get(url("detail", initiative.pk)).content.decode()
    assert "The initiative group has 4 members; at least 10 are required." in page
    response = client.post(url("register", initiative.pk))
    assert response.status_code == 400 and "at least 10 are required" in response.content.decode()
    assert client.post(url("refuse", initiative.pk), {"reason": ""}).status_code == 400
    assert client.post(url("refuse", initiative.pk), {"reason": "Мало членов группы."}).status_code == 302
    assert Initiative.objects.get().state == State.REFUSED


def test_the_commission_enters_a_paper_sheet_and_sees_each_line(client, initiative, unit, commission) -> None:
    client.force_login(commission)
    good = register_resident(unit.kato)
    today = timezone.localdate().isoformat()
    bad_format = client.post(url("paper", initiative.pk), {"form": "sheet", "number": 4, "lines": f"{good}"})
    assert bad_format.status_code == 400 and "line 1:" in bad_format.content.decode()
    lines = f"{good} {today}\n123 {today}\n"
    response = client.post(url("paper", initiative.pk), {"form": "sheet", "number": 4, "lines": lines})
    assert response.status_code == 302 and response["Location"] == url("sheet", initiative.pk, 4)
    sheet = client.get(response["Location"]).content.decode()
    assert "1 of 2 lines accepted." in sheet and "the IIN is not valid" in sheet
    assert good not in sheet
    assert Initiative.objects.get().signature_count == 1


def test_commission_pages_are_closed_to_others(client, initiative, other_commission, residents) -> None:
    for user in (other_commission, residents[0]):
        client.force_login(user)
        for name in ("paper", "verify", "vote", "result"):
            assert client.get(url(name, initiative.pk)).status_code == 403, name
        assert client.post(url("certify", initiative.pk)).status_code == 403


def test_verification_page_rejects_with_a_reason_and_its_query_count_is_fixed(
    client, initiative, commission
) -> None:
    signed_by(initiative, 2, commission)
    closed = closed_initiative(initiative)
    client.force_login(commission)
    with CaptureQueriesContext(connection) as few:
        client.get(url("verify", closed.pk))
    signed_by(closed, 6, commission, number=2)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("verify", closed.pk)).content.decode()
    assert len(many) == len(few)
    assert page.count("paper sheet") >= 8
    signature = Signature.private_objects.filter(initiative=closed).first()
    target = url("signature_verify", signature.pk)
    client.post(target, {"action": "reject"})
    assert Signature.private_objects.get(pk=signature.pk).verification == "pending"  # no reason: nothing done
    client.post(target, {"action": "reject", "reason": "not_genuine"})
    assert Signature.private_objects.get(pk=signature.pk).rejection_reason == "not_genuine"
    assert client.post(url("certify", closed.pk)).status_code == 302
    assert Initiative.objects.get().state == State.CERTIFIED_NOT_REACHED  # 7 valid of 10


def test_the_commission_schedules_the_vote_from_the_page(client, unit, residents, commission) -> None:
    initiative = reached_initiative(unit, residents, commission)
    client.force_login(commission)
    too_soon = client.post(url("vote", initiative.pk), {"voting_date": timezone.localdate().isoformat()})
    assert too_soon.status_code == 400 and "at least 30 days after" in too_soon.content.decode()
    day = (timezone.localdate() + timezone.timedelta(days=40)).isoformat()
    assert client.post(url("vote", initiative.pk), {"voting_date": day}).status_code == 302
    assert Initiative.objects.get().state == State.VOTE_SCHEDULED
    result = client.get(url("result", initiative.pk)).content.decode()
    assert "at least 50% of the voters on the lists took part" in result


# --- Parties -------------------------------------------------------------------------------------------


def test_a_party_officer_files_a_withdrawal_the_commission_registers(
    client, mandate, unit, commission, make_user
) -> None:
    officer = make_user(Role.PARTY_OFFICER, Territory.objects.get(kato=unit.region_code), party_code="AMANAT")
    other = make_user(Role.PARTY_OFFICER, Territory.objects.get(kato=unit.region_code), party_code="AUYL")
    client.force_login(other)
    assert client.get(url("withdrawal_file", mandate.pk)).status_code == 403
    client.force_login(officer)
    assert mandate.person.display_name in client.get(url("party")).content.decode()
    missing = client.post(
        url("withdrawal_file", mandate.pk), {"decision_number": "1", "decision_date": "2026-01-01"}
    )
    assert missing.status_code == 400
    data = {
        "decision_number": "7-П",
        "decision_date": (timezone.localdate() - timezone.timedelta(days=1)).isoformat(),
        "grounds": "Невыполнение программы.",
        "document": SimpleUploadedFile("d.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf"),
    }
    response = client.post(url("withdrawal_file", mandate.pk), data)
    withdrawal = PartyWithdrawal.objects.get()
    assert response.status_code == 302 and response["Location"] == url("withdrawal", withdrawal.pk)
    client.logout()
    document = client.get(url("withdrawal_document", withdrawal.pk))
    assert document["Content-Type"] == "application/pdf" and b"".join(document.streaming_content).startswith(
        b"%PDF"
    )
    client.force_login(officer)
    assert client.post(url("withdrawal_decide", withdrawal.pk), {"action": "register"}).status_code == 403
    client.force_login(commission)
    assert client.post(url("withdrawal_decide", withdrawal.pk), {"action": "refuse"}).status_code == 400
    assert client.post(url("withdrawal_decide", withdrawal.pk), {"action": "register"}).status_code == 302
    mandate.refresh_from_db()
    assert mandate.end_reason == "party_withdrawn"


# --- Thresholds ----------------------------------------------------------------------------------------


def test_analysts_publish_a_thresholds_table_residents_cannot(client, make_user, residents) -> None:
    client.force_login(residents[0])
    assert client.get(url("thresholds_publish")).status_code == 403
    client.force_login(make_user(Role.ANALYST, None))
    today = timezone.localdate().isoformat()
    broken = client.post(url("thresholds_publish"), {"effective_from": today, "bands": "100-: 5%"})
    assert (
        broken.status_code == 400
        and "line 1: the first band must start at 0 voters" in broken.content.decode()
    )
    ok = client.post(url("thresholds_publish"), {"effective_from": today, "bands": "0-499: 40\n500-: 8%"})
    assert ok.status_code == 302
    page = client.get(url("thresholds")).content.decode()
    assert "500–…" in page and "8% of the voters" in page


# --- Territory sections --------------------------------------------------------------------------------


def test_the_unit_page_shows_the_initiative_under_way_then_the_last_closed_one(
    client, initiative, unit, commission
) -> None:
    page = client.get(reverse("territory:detail", args=[unit.kato])).content.decode()
    assert f'href="{url("detail", initiative.pk)}"' in page and "recall-progress" in page
    signed_by(initiative, 3, commission)
    services.initiative_certify(initiative=closed_initiative(initiative), actor=commission)
    page = client.get(reverse("territory:detail", args=[unit.kato])).content.decode()
    assert "did not reach the threshold" in page and "recall-progress" not in page


def test_area_pages_count_initiatives_by_state_with_a_fixed_number_of_queries(
    unit, residents, commission, mandate
) -> None:
    from esep.recall.sections import territory_section

    district = Territory.objects.get(kato=unit.district_code)
    withdrawn_initiatives(unit, residents, 1)
    with CaptureQueriesContext(connection) as few:
        html = territory_section(None, district)
    assert "0 initiatives under way · 1 in all" in html
    withdrawn_initiatives(unit, residents, 2)
    collecting_initiative(unit, residents, commission)
    with CaptureQueriesContext(connection) as many:
        territory_section(None, district)
        country = territory_section(None, None)
    assert len(many) == 2 * len(few) == 2
    assert "1 initiative under way · 4 in all" in country


def test_the_commission_work_list_shows_its_territory_only_with_fixed_queries(
    client, unit, residents, commission, other_commission, mandate
) -> None:
    withdrawn_initiatives(unit, residents, 1)
    filed = filed_initiative(unit, residents)
    client.force_login(other_commission)
    assert f'href="{url("detail", filed.pk)}"' not in client.get(url("manage")).content.decode()
    client.force_login(commission)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url("manage")).content.decode()
    assert f'href="{url("detail", filed.pk)}"' in page
    services.initiative_withdraw(initiative=filed, actor=residents[0])
    collecting_initiative(unit, residents, commission)
    with CaptureQueriesContext(connection) as many:
        client.get(url("manage"))
    assert len(many) == len(few)


def test_the_page_of_a_recalled_akim_shows_the_vote(client, unit, residents, commission) -> None:
    initiative = reached_initiative(unit, residents, commission)
    vote_day = timezone.localdate() - timezone.timedelta(days=10)
    services.recall_vote_schedule(
        initiative=initiative,
        voting_date=vote_day,
        actor=commission,
        now=timezone.make_aware(
            timezone.datetime.combine(vote_day - timezone.timedelta(days=35), timezone.datetime.min.time())
        ),
    )
    services.recall_vote_result(
        initiative=initiative,
        voters_registered=100,
        ballots_cast=70,
        invalid_ballots=0,
        votes_for_recall=60,
        actor=commission,
    )
    page = client.get(url("detail", initiative.pk)).content.decode()
    assert "the akim was recalled" in page.lower()
    assert "For the recall" in page and "<dd>60</dd>" in page
    unit_page = client.get(reverse("territory:detail", args=[unit.kato])).content.decode()
    assert "ended with the recall of" in unit_page
