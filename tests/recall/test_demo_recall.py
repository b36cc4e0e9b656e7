"""`esep demo` for recall: initiatives in every stage across the country, through the real services, once."""

import io

import pytest

from esep.core.audit.chain import audit_verify
from esep.demo import accounts
from esep.elections import demo as elections_demo
from esep.elections.models import Election, ElectionKind, EndReason, Mandate
from esep.recall import demo
from esep.recall.models import Initiative, PartyWithdrawal, Signature
from esep.recall.states import State
from esep.registries import demo as registries_demo

pytestmark = pytest.mark.django_db


def test_the_demo_covers_every_stage_and_runs_once() -> None:
    for step in (accounts.run, elections_demo.run, registries_demo.run):
        step(out=io.StringIO())
    out = io.StringIO()
    demo.run(out=out)
    print(out.getvalue())
    states = set(Initiative.objects.values_list("state", flat=True))
    assert states >= {
        State.FILED,
        State.COLLECTING,
        State.VERIFICATION,
        State.VOTE_SCHEDULED,
        State.RECALLED,
        State.NOT_RECALLED,
        State.CERTIFIED_NOT_REACHED,
        State.REFUSED,
    }, out.getvalue()
    in_demo_unit = Initiative.objects.get(kato=accounts.DEMO_UNIT_KATO)
    assert in_demo_unit.state == State.COLLECTING and in_demo_unit.signature_count > 5
    assert in_demo_unit.filed_by.username == "demo.resident" and in_demo_unit.akim_answer
    recalled = Initiative.objects.get(state=State.RECALLED)
    assert Mandate.objects.get(pk=recalled.mandate_id).end_reason == EndReason.RECALLED
    assert (
        Election.objects.open().filter(rural_unit_id=recalled.rural_unit_id, kind=ElectionKind.EARLY).exists()
    )
    withdrawn = PartyWithdrawal.objects.get(state="registered")
    assert Mandate.objects.get(pk=withdrawn.mandate_id).end_reason == EndReason.PARTY_WITHDRAWN
    assert PartyWithdrawal.objects.filter(state="filed", kato__startswith="1032").exists()
    for initiative in Initiative.objects.exclude(signing_opens_on=None):
        live = Signature.private_objects.filter(initiative=initiative, withdrawn_at=None).count()
        assert initiative.signature_count == live
    assert audit_verify().intact
    again = io.StringIO()
    demo.run(out=again)
    assert "already loaded" in again.getvalue()
