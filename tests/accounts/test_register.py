from datetime import date

import pytest
from django.urls import reverse

from esep.accounts.models import Profile
from esep.accounts.services import resident_register
from esep.core import access
from esep.core.errors import ApplicationError
from esep.core.iin import generate_valid_iin, iin_fingerprint
from esep.core.models import Role
from tests.conftest import PASSWORD

IIN = generate_valid_iin(date(1990, 5, 17), "F", 123)


@pytest.mark.django_db
def test_a_resident_registers_with_an_iin_that_is_kept_only_as_a_fingerprint(unit_a) -> None:
    user = resident_register(username="aigul", password=PASSWORD, full_name="Айгүл С", unit=unit_a, iin=IIN)
    profile = Profile.objects.get(user=user)
    assert profile.iin_fingerprint == iin_fingerprint(IIN)
    assert IIN not in profile.iin_masked and profile.iin_masked.startswith(IIN[:2])
    assert access.has_role(user, Role.RESIDENT, unit_a)


@pytest.mark.django_db
def test_the_same_iin_cannot_register_twice(unit_a) -> None:
    resident_register(username="one", password=PASSWORD, full_name="One", unit=unit_a, iin=IIN)
    with pytest.raises(ApplicationError, match="already exists"):
        resident_register(username="two", password=PASSWORD, full_name="Two", unit=unit_a, iin=IIN)


@pytest.mark.django_db
def test_an_invalid_iin_is_refused_with_its_reason_and_nothing_is_written(unit_a) -> None:
    bad = IIN[:-1] + str((int(IIN[-1]) + 1) % 10)
    with pytest.raises(ApplicationError, match="last digit of the IIN"):
        resident_register(username="x", password=PASSWORD, full_name="X", unit=unit_a, iin=bad)
    assert not Profile.objects.exists()


@pytest.mark.django_db
def test_the_register_page(client, unit_a) -> None:
    page = client.get(reverse("accounts:register"), {"unit": unit_a.kato})
    assert page.status_code == 200 and unit_a.kato in page.content.decode()
    bad = client.post(
        reverse("accounts:register"),
        {"full_name": "A", "username": "a b", "password": "short", "unit": "100000000"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"username", "password", "unit"}
    ok = client.post(
        reverse("accounts:register"),
        {"full_name": "Айгүл", "username": "aigul", "password": PASSWORD, "unit": unit_a.kato, "iin": IIN},
    )
    assert ok.status_code == 302
    assert client.get(reverse("accounts:me")).status_code == 200
    invite = client.get(reverse("territory:detail", args=[unit_a.kato]))
    assert "accounts/register" not in invite.content.decode()  # signed in: no invitation


@pytest.mark.django_db
def test_a_resident_links_an_iin_later_once(client, make_user, unit_a) -> None:
    from esep.accounts.services import profile_set_iin

    user = make_user(Role.RESIDENT, unit_a)
    client.force_login(user)
    bad = client.post(reverse("accounts:me"), {"iin": "123"})
    assert bad.status_code == 400
    assert client.post(reverse("accounts:me"), {"iin": IIN}).status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.iin_fingerprint == iin_fingerprint(IIN)
    assert profile_set_iin(user=user, iin=IIN) == profile  # the same IIN again changes nothing
    other = generate_valid_iin(date(1970, 1, 1), "M", 5)
    with pytest.raises(ApplicationError, match="already has an IIN"):
        profile_set_iin(user=user, iin=other)
    with pytest.raises(ApplicationError, match="already exists"):
        profile_set_iin(user=make_user(Role.RESIDENT, unit_a), iin=IIN)
