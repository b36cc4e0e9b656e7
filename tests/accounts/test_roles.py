import pytest
from django.urls import reverse

from esep.accounts.services import role_assign, role_revoke, user_create
from esep.core import access
from esep.core.audit.models import AuditEvent
from esep.core.errors import ApplicationError
from esep.core.models import Role, RoleAssignment
from esep.territory.models import Territory
from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_assigning_a_role_is_audited_and_takes_effect(make_user, unit_a) -> None:
    user = make_user()
    role_assign(user=user, role=Role.AKIM, territory=unit_a)
    assert access.has_role(user, Role.AKIM, unit_a)
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.action == "accounts.role_assign" and event.territory == unit_a.kato


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "kato", "message"),
    [
        (Role.AKIM, "100000000", "cannot be held at the level"),
        (Role.DISTRICT_SUPERVISOR, "103230000", "cannot be held at the level"),
        (Role.ADMINISTRATOR, "100000000", "cannot be held at the level"),
        (Role.RESIDENT, None, "cannot be held at the level"),
        (Role.AKIM, "101010000", "has no elected akim"),  # the city of Semey is not a rural unit
        (Role.PARTY_OFFICER, None, "must name the party"),
        ("emperor", None, "Unknown role"),
    ],
)
def test_roles_are_held_only_where_they_make_sense(
    make_user, role: str, kato: str | None, message: str
) -> None:
    territory = Territory.objects.get(kato=kato) if kato else None
    with pytest.raises(ApplicationError, match=message):
        role_assign(user=make_user(), role=role, territory=territory)


@pytest.mark.django_db
def test_the_same_role_twice_is_refused_even_nationwide(make_user, unit_a) -> None:
    user = make_user(Role.ANALYST, None)
    with pytest.raises(ApplicationError, match="already holds"):
        role_assign(user=user, role=Role.ANALYST, territory=None)
    role_assign(user=user, role=Role.RESIDENT, territory=unit_a)
    with pytest.raises(ApplicationError, match="already holds"):
        role_assign(user=user, role=Role.RESIDENT, territory=unit_a)
    assert RoleAssignment.objects.filter(user=user).count() == 2


@pytest.mark.django_db
def test_administrators_get_the_admin_flags_and_lose_them_on_revoke(make_user) -> None:
    user = make_user(Role.ADMINISTRATOR, None)
    assert user.is_staff and user.is_superuser
    role_revoke(assignment=user.role_assignments.get())
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser
    assert not access.may(user, "admin.site")


@pytest.mark.django_db
def test_user_names_are_unique_and_passwords_checked() -> None:
    user_create(username="aigul", password=PASSWORD)
    with pytest.raises(ApplicationError, match="taken"):
        user_create(username="AIGUL", password=PASSWORD)
    with pytest.raises(ApplicationError):
        user_create(username="weak", password="123")
    with pytest.raises(ApplicationError):
        user_create(username="  ", password=PASSWORD)


@pytest.mark.django_db
def test_login_me_and_logout(client, make_user, unit_a) -> None:
    make_user(Role.RESIDENT, unit_a, username="resident.a")
    response = client.post(reverse("accounts:login"), {"username": "resident.a", "password": PASSWORD})
    assert response.status_code == 302
    me = client.get(reverse("accounts:me"))
    assert me.status_code == 200 and unit_a.name_en in me.content.decode()
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:me")).status_code == 302


@pytest.mark.django_db
def test_a_wrong_password_is_a_clear_message_in_the_users_language(client, make_user) -> None:
    make_user(username="someone")
    response = client.post(
        reverse("accounts:login"), {"username": "someone", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


@pytest.mark.django_db
def test_the_roles_page_assigns_and_revokes(client, make_user, unit_a) -> None:
    client.force_login(make_user(Role.ADMINISTRATOR, None))
    target = make_user(username="newcomer")
    response = client.post(
        reverse("accounts:roles"), {"username": "newcomer", "role": Role.RESIDENT, "territory": unit_a.kato}
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=target)
    bad = client.post(
        reverse("accounts:roles"), {"username": "newcomer", "role": Role.AKIM, "territory": "12"}
    )
    assert bad.status_code == 400 and "9 digits" in bad.content.decode()
    wrong_level = client.post(
        reverse("accounts:roles"), {"username": "newcomer", "role": Role.AKIM, "territory": "100000000"}
    )
    assert wrong_level.status_code == 400
    assert client.post(reverse("accounts:role_revoke", args=[assignment.pk])).status_code == 302
    assert not RoleAssignment.objects.filter(user=target).exists()
    assert client.get(reverse("accounts:role_revoke", args=[assignment.pk])).status_code == 405
