"""Signing online: a voter of the unit (valid IIN, 18 or older on the signing day, resident per the
population register), once per person, guaranteed by the database; withdrawal until the period closes."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from esep.accounts.models import Profile
from esep.core.errors import ApplicationError
from esep.core.iin import iin_fingerprint, mask_iin
from esep.core.iin_scan import scan_database
from esep.elections.rules import add_years
from esep.recall import services
from esep.recall.models import Initiative, Signature
from esep.recall.states import State
from esep.registries.models import Lookup
from tests.recall.factories import at, collecting_initiative, filed_initiative, new_iin, register_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(unit, residents, commission) -> Initiative:
    return collecting_initiative(unit, residents, commission)


def sign(initiative: Initiative, iin: str, signer, **kwargs):
    return services.signature_sign(initiative=initiative, iin=iin, signer=signer, **kwargs)


def count(initiative: Initiative) -> int:
    return Initiative.objects.get(pk=initiative.pk).signature_count


def test_a_resident_signs_once_and_the_count_follows(initiative, unit, make_user) -> None:
    iin = register_resident(unit.kato)
    signer = make_user()
    signature = sign(initiative, iin, signer)
    assert (signature.iin_fingerprint, signature.iin_masked) == (iin_fingerprint(iin), mask_iin(iin))
    assert signature.channel == "online" and signature.signer == signer
    assert count(initiative) == 1
    # The account now speaks for this person only.
    assert Profile.objects.get(user=signer).iin_fingerprint == iin_fingerprint(iin)
    # The look-up in the population register is on the trail, for its purpose.
    assert Lookup.private_objects.filter(
        subject_fingerprint=iin_fingerprint(iin), purpose="recall.signature"
    ).exists()


@pytest.mark.parametrize(
    ("typed", "code", "message"),
    [
        ("12345", "invalid_iin", "exactly 12 digits"),
        ("850412401235", "invalid_iin", "last digit"),
        ("", "invalid_iin", "exactly 12 digits"),
    ],
)
def test_an_invalid_iin_is_refused_with_the_reason(initiative, make_user, typed, code, message) -> None:
    with pytest.raises(ApplicationError, match=message) as refused:
        sign(initiative, typed, make_user())
    assert refused.value.code == code
    assert count(initiative) == 0


def test_a_signer_18_years_less_one_day_old_is_refused_and_on_the_birthday_accepted(
    initiative, unit, make_user, today
) -> None:
    birthday = add_years(today, -18)
    too_young = register_resident(unit.kato, birth_date=birthday + timedelta(days=1))
    with pytest.raises(ApplicationError, match="18 or older on the signing day") as refused:
        sign(initiative, too_young, make_user())
    assert refused.value.code == "under_18"
    just_18 = register_resident(unit.kato, birth_date=birthday)
    sign(initiative, just_18, make_user())
    assert count(initiative) == 1


def test_a_resident_of_another_unit_or_unknown_to_the_register_is_refused(
    initiative, unit_b, make_user
) -> None:
    elsewhere = register_resident(unit_b.kato)
    with pytest.raises(ApplicationError, match="does not list this person as a resident") as refused:
        sign(initiative, elsewhere, make_user())
    assert refused.value.code == "not_resident"
    with pytest.raises(ApplicationError, match="does not list this person") as refused:
        sign(initiative, new_iin(), make_user())
    assert refused.value.code == "not_resident"
    assert count(initiative) == 0 and not Signature.private_objects.exists()


def test_a_second_signature_of_the_same_person_is_refused(initiative, unit, make_user) -> None:
    iin = register_resident(unit.kato)
    signer = make_user()
    sign(initiative, iin, signer)
    with pytest.raises(ApplicationError, match="already signed") as refused:
        sign(initiative, iin, signer)
    assert refused.value.code == "already_signed"
    assert count(initiative) == 1 and Signature.private_objects.count() == 1


def test_the_database_refuses_a_second_row_for_the_person(initiative, unit, make_user) -> None:
    iin = register_resident(unit.kato)
    first = sign(initiative, iin, make_user())
    twin = Signature(
        initiative=initiative,
        iin_fingerprint=first.iin_fingerprint,
        iin_masked=first.iin_masked,
        channel="paper",
        signed_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_someone_elses_iin_is_refused(initiative, unit, make_user) -> None:
    signer = make_user()
    sign(initiative, register_resident(unit.kato), signer)
    with pytest.raises(ApplicationError, match="not the IIN of your account") as refused:
        sign(initiative, register_resident(unit.kato), signer)
    assert refused.value.code == "not_your_iin"
    # An IIN already tied to another account cannot be used from a new one either.
    owner = make_user()
    taken = register_resident(unit.kato)
    from esep.accounts.services import profile_set_iin

    profile_set_iin(user=owner, iin=taken)
    with pytest.raises(ApplicationError, match="Another account holds this IIN") as refused:
        sign(initiative, taken, make_user())
    assert refused.value.code == "not_your_iin"
    assert count(initiative) == 1 and Signature.private_objects.count() == 1


def test_signing_is_refused_before_opening_and_after_closing(
    unit, residents, commission, make_user, today
) -> None:
    later = services.initiative_register(
        initiative=filed_initiative(unit, residents),
        actor=commission,
        signing_opens_on=today + timedelta(days=2),
    )
    iin = register_resident(unit.kato)
    with pytest.raises(ApplicationError, match="does not take signatures") as refused:
        sign(later, iin, make_user())
    assert refused.value.code == "not_collecting"
    services.initiative_open_signing(initiative=later, now=at(today + timedelta(days=2)))
    later.refresh_from_db()
    with pytest.raises(ApplicationError, match="Signatures are given from") as refused:
        sign(later, iin, make_user(), now=at(later.signing_closes_on + timedelta(days=1)))
    assert refused.value.code == "outside_period"
    assert services.initiative_close_signing(
        initiative=later, now=at(later.signing_closes_on + timedelta(days=1))
    )
    later.refresh_from_db()
    with pytest.raises(ApplicationError, match="does not take signatures"):
        sign(later, iin, make_user())


def test_a_signer_withdraws_until_the_close_and_may_sign_again(initiative, unit, make_user) -> None:
    iin = register_resident(unit.kato)
    signer = make_user()
    sign(initiative, iin, signer)
    services.signature_withdraw(initiative=initiative, signer=signer)
    assert count(initiative) == 0
    assert Signature.private_objects.get().withdrawn_at is not None
    with pytest.raises(ApplicationError, match="no signature of this person") as refused:
        services.signature_withdraw(initiative=initiative, signer=signer)
    assert refused.value.code == "not_signed"
    again = sign(initiative, iin, signer)
    assert again.withdrawn_at is None and count(initiative) == 1
    assert Signature.private_objects.count() == 1  # the same row came back: still one per person


def test_a_signature_cannot_be_withdrawn_after_the_close(initiative, unit, make_user) -> None:
    signer = make_user()
    sign(initiative, register_resident(unit.kato), signer)
    with pytest.raises(ApplicationError, match="only until the signing period closes") as refused:
        services.signature_withdraw(
            initiative=initiative, signer=signer, now=at(initiative.signing_closes_on + timedelta(days=1))
        )
    assert refused.value.code == "withdrawal_closed"
    assert count(initiative) == 1 and Signature.private_objects.get().withdrawn_at is None


def test_a_signer_without_an_iin_on_the_account_withdraws_with_the_typed_iin(
    initiative, unit, make_user, commission
) -> None:
    iin = register_resident(unit.kato)
    services.paper_sheet_enter(
        initiative=initiative,
        number=1,
        lines=[services.PaperLine(1, iin, timezone.localdate())],
        actor=commission,
    )
    paper_signer = make_user()
    services.signature_withdraw(initiative=initiative, signer=paper_signer, iin=iin)
    assert count(initiative) == 0
    assert Profile.objects.get(user=paper_signer).iin_fingerprint == iin_fingerprint(iin)


def test_the_commission_records_a_written_withdrawal(
    initiative, unit, make_user, commission, other_commission
) -> None:
    iin = register_resident(unit.kato)
    sign(initiative, iin, make_user())
    with pytest.raises(ApplicationError, match="Only the election commission"):
        services.signature_withdraw_in_person(initiative=initiative, iin=iin, actor=other_commission)
    services.signature_withdraw_in_person(initiative=initiative, iin=iin, actor=commission)
    assert count(initiative) == 0


def test_no_iin_is_kept_or_logged_in_clear(initiative, unit, make_user, commission) -> None:
    iins = [register_resident(unit.kato) for _n in range(3)]
    sign(initiative, iins[0], make_user())
    services.paper_sheet_enter(
        initiative=initiative,
        number=1,
        lines=[services.PaperLine(n, iin, timezone.localdate()) for n, iin in enumerate(iins[1:], 1)],
        actor=commission,
    )
    services.signature_withdraw(
        initiative=initiative, signer=Signature.private_objects.get(channel="online").signer
    )
    assert list(scan_database()) == []
    assert State.COLLECTING == Initiative.objects.get(pk=initiative.pk).state
