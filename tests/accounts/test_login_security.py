"""Login throttling and lockout, and the second factor that officials confirm every login with."""

import pytest
from django.test import override_settings
from django.urls import reverse

from esep.accounts.models import TwoFactorDevice
from esep.accounts.services import two_factor_verify
from esep.core import totp
from esep.core.errors import ApplicationError
from esep.core.models import Role
from tests.conftest import PASSWORD


def login(client, username: str, password: str = PASSWORD, *, address: str = "127.0.0.1", **fields):
    data = {"username": username, "password": password, **fields}
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_an_official_sets_up_the_authenticator_on_first_login_then_needs_a_code(
    client, make_user, unit_a
) -> None:
    make_user(Role.AKIM, unit_a, username="akim.a")
    response = login(client, "akim.a")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two_factor")
    assert client.get(reverse("accounts:me")).status_code == 302  # not logged in yet
    setup = client.get(reverse("accounts:two_factor"))
    assert setup.context["setting_up"]
    secret = TwoFactorDevice.objects.get(user__username="akim.a").secret
    assert setup.context["uri"].startswith("otpauth://totp/Esep%3Aakim.a?secret=" + secret)
    wrong = client.post(reverse("accounts:two_factor"), {"code": "000000"})
    assert wrong.status_code == 400
    right = client.post(reverse("accounts:two_factor"), {"code": totp.code_at(secret, totp.current_step())})
    assert right.status_code == 302
    assert client.get(reverse("accounts:me")).status_code == 200
    client.post(reverse("accounts:logout"))
    # Next time: a code, no new secret.
    login(client, "akim.a")
    again = client.get(reverse("accounts:two_factor"))
    assert not again.context["setting_up"]
    assert TwoFactorDevice.objects.get(user__username="akim.a").secret == secret


@pytest.mark.django_db
def test_a_code_cannot_be_replayed(make_user, unit_a) -> None:
    user = make_user(Role.AKIM, unit_a)
    secret = TwoFactorDevice.objects.create(user=user, secret=totp.new_secret()).secret
    code = totp.code_at(secret, totp.current_step())
    two_factor_verify(user=user, code=code, confirm=True)
    with pytest.raises(ApplicationError, match="already used"):
        two_factor_verify(user=user, code=code)


@pytest.mark.django_db
def test_residents_log_in_with_a_password_alone(client, make_user, unit_a) -> None:
    make_user(Role.RESIDENT, unit_a, username="resident.a")
    assert login(client, "resident.a")["Location"] == reverse("accounts:me")


@pytest.mark.django_db
@override_settings(ESEP_OFFICIAL_2FA=False)
def test_the_second_factor_can_be_switched_off_for_a_local_demo(client, make_user, unit_a) -> None:
    make_user(Role.AKIM, unit_a, username="akim.a")
    assert login(client, "akim.a")["Location"] == reverse("accounts:me")


@pytest.mark.django_db
def test_five_failures_lock_the_account_from_that_address(client, make_user, unit_a) -> None:
    make_user(Role.RESIDENT, unit_a, username="resident.a")
    for _ in range(5):
        assert login(client, "resident.a", "wrong-password").status_code == 200
    locked = login(client, "resident.a")  # even the right password
    assert locked.status_code == 429 and "Retry-After" in locked
    assert client.get(reverse("accounts:me")).status_code == 302
    other_address = login(client, "resident.a", address="10.9.9.9")
    assert other_address.status_code == 302  # the lock is per account and address below the account limit


@pytest.mark.django_db
def test_next_must_stay_on_this_site(client, make_user, unit_a) -> None:
    make_user(Role.RESIDENT, unit_a, username="resident.a")
    response = login(client, "resident.a", next="https://evil.example/")
    assert response["Location"] == reverse("accounts:me")


def test_totp_matches_the_rfc_6238_reference_values() -> None:
    # RFC 6238 appendix B, SHA-1 key "12345678901234567890": 6-digit tails of the published 8-digit codes.
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    for unix_time, expected in [
        (59, "287082"),
        (1111111109, "081804"),
        (1234567890, "005924"),
        (2000000000, "279037"),
    ]:
        assert totp.code_at(secret, unix_time // 30) == expected
    assert totp.matching_step(secret, "287082", now=59 + 30) == 1  # one step of drift is accepted
    assert totp.matching_step(secret, "287082", now=59 + 90) is None
    assert totp.matching_step(secret, "28708x", now=59) is None
