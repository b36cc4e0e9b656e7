"""Verification and certification: after the close the commission rejects signatures with a reason code,
certifies the count, and the threshold decides, exactly at its boundary."""

from datetime import timedelta

import pytest

from esep.core.errors import ApplicationError
from esep.recall import services
from esep.recall.models import Initiative, InitiativeEvent, Signature
from esep.recall.states import State
from tests.recall.factories import at, closed_initiative, collecting_initiative, signed_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(unit, residents, commission) -> Initiative:
    return collecting_initiative(unit, residents, commission)


def rejected(initiative: Initiative, count: int, commission, reason: str = "not_genuine") -> None:
    for signature in Signature.private_objects.filter(initiative=initiative, withdrawn_at=None)[:count]:
        services.signature_reject(signature=signature, reason=reason, actor=commission)


@pytest.mark.parametrize(
    ("signed", "rejected_count", "state"),
    [
        (10, 0, State.CERTIFIED_REACHED),  # exactly the 10 required
        (11, 1, State.CERTIFIED_REACHED),
        (10, 1, State.CERTIFIED_NOT_REACHED),  # one short
        (9, 0, State.CERTIFIED_NOT_REACHED),
    ],
)
def test_the_certified_count_decides_at_the_threshold(
    initiative, commission, signed: int, rejected_count: int, state: str
) -> None:
    signed_by(initiative, signed, commission)
    initiative = closed_initiative(initiative)
    assert initiative.state == State.VERIFICATION
    rejected(initiative, rejected_count, commission)
    certified = services.initiative_certify(
        initiative=initiative, actor=commission, now=at(initiative.signing_closes_on + timedelta(days=2))
    )
    assert certified.state == state
    assert (certified.valid_count, certified.rejected_count) == (signed - rejected_count, rejected_count)
    assert (certified.closed_on is not None) is (state == State.CERTIFIED_NOT_REACHED)
    assert not Signature.private_objects.filter(initiative=initiative, verification="pending").exists()
    event = InitiativeEvent.objects.filter(initiative=initiative).last()
    assert (event.to_state, event.by) == (state, "commission")
    assert f"{signed - rejected_count} valid signatures of 10 required" in event.note


def test_a_rejection_needs_a_known_reason_and_other_needs_a_note(initiative, commission) -> None:
    signed_by(initiative, 2, commission)
    initiative = closed_initiative(initiative)
    signature = Signature.private_objects.filter(initiative=initiative).first()
    with pytest.raises(ApplicationError, match="Choose the reason"):
        services.signature_reject(signature=signature, reason="dislike", actor=commission)
    with pytest.raises(ApplicationError, match="Explain the other reason"):
        services.signature_reject(signature=signature, reason="other", actor=commission)
    services.signature_reject(
        signature=signature, reason="other", note="Подпись карандашом.", actor=commission
    )
    signature.refresh_from_db()
    assert (signature.verification, signature.rejection_reason, signature.rejection_note) == (
        "rejected",
        "other",
        "Подпись карандашом.",
    )
    services.signature_accept(signature=signature, actor=commission)
    signature.refresh_from_db()
    assert (signature.verification, signature.rejection_reason) == ("valid", "")


def test_signatures_are_verified_only_after_the_close_by_the_commission_of_the_territory(
    initiative, commission, other_commission
) -> None:
    signed_by(initiative, 1, commission)
    signature = Signature.private_objects.get(initiative=initiative)
    with pytest.raises(ApplicationError, match="verified after signing closes") as refused:
        services.signature_reject(signature=signature, reason="illegible", actor=commission)
    assert refused.value.code == "not_verification"
    with pytest.raises(ApplicationError, match="cannot become"):
        services.initiative_certify(initiative=initiative, actor=commission)
    closed_initiative(initiative)
    with pytest.raises(ApplicationError, match="Only the election commission"):
        services.signature_reject(signature=signature, reason="illegible", actor=other_commission)
    with pytest.raises(ApplicationError, match="Only the election commission"):
        services.initiative_certify(initiative=initiative, actor=other_commission)


def test_withdrawn_signatures_do_not_count(initiative, unit, commission, make_user) -> None:
    from tests.recall.factories import register_resident

    signed_by(initiative, 10, commission)
    signer = make_user()
    services.signature_sign(initiative=initiative, iin=register_resident(unit.kato), signer=signer)
    services.signature_withdraw(initiative=initiative, signer=signer)
    certified = services.initiative_certify(initiative=closed_initiative(initiative), actor=commission)
    assert certified.valid_count == 10 and certified.state == State.CERTIFIED_REACHED
