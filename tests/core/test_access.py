"""The access module: roles, territory scopes, and the three standing actors (owner, colleague, outsider)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from esep.core import access
from esep.core.models import Role
from esep.territory.models import Territory


@pytest.mark.django_db
def test_a_district_grant_covers_its_units_and_nothing_else(make_user, unit_a, unit_a2, unit_b) -> None:
    district = Territory.objects.get(kato=unit_a.district_code)
    supervisor = make_user(Role.DISTRICT_SUPERVISOR, district)
    assert access.may(supervisor, "territory.supervise", unit_a)
    assert access.may(supervisor, "territory.supervise", unit_a2)
    assert access.may(supervisor, "territory.supervise", "103230100")  # a settlement by code
    assert not access.may(supervisor, "territory.supervise", unit_b)
    assert not access.may(supervisor, "territory.supervise", Territory.objects.get(kato=unit_a.region_code))
    assert not access.may(supervisor, "territory.edit_figures", unit_a)  # the role lacks that permission


@pytest.mark.django_db
def test_owner_colleague_outsider(make_user, unit_a, unit_a2, unit_b) -> None:
    owner = make_user(Role.COMMISSION, unit_a)
    colleague = make_user(Role.COMMISSION, unit_a2)
    outsider = make_user(Role.RESIDENT, unit_a)
    assert access.may(owner, "territory.edit_figures", unit_a)
    assert not access.may(colleague, "territory.edit_figures", unit_a)
    assert not access.may(outsider, "territory.edit_figures", unit_a)
    with pytest.raises(PermissionDenied):
        access.ensure(colleague, "territory.edit_figures", unit_a)


@pytest.mark.django_db
def test_nationwide_grants_cover_everything(make_user, unit_b) -> None:
    analyst = make_user(Role.ANALYST, None)
    assert access.may(analyst, "audit.view", unit_b)
    assert access.scope_q(analyst, "audit.view") is None


@pytest.mark.django_db
def test_scope_q_limits_a_queryset_to_the_users_territory(make_user, unit_a) -> None:
    district = Territory.objects.get(kato=unit_a.district_code)
    supervisor = make_user(Role.DISTRICT_SUPERVISOR, district)
    visible = Territory.objects.filter(access.scope_q(supervisor, "territory.supervise"))
    assert visible.count() == Territory.objects.within(district).count()
    nobody = make_user()
    assert not Territory.objects.filter(access.scope_q(nobody, "territory.supervise")).exists()


@pytest.mark.django_db
def test_anonymous_and_inactive_users_hold_nothing(make_user, unit_a) -> None:
    assert not access.may(AnonymousUser(), "territory.supervise")
    user = make_user(Role.ADMINISTRATOR, None)
    user.is_active = False
    access.forget_grants(user)
    assert not access.may(user, "admin.site")


def test_an_undeclared_permission_is_a_programming_error() -> None:
    with pytest.raises(LookupError):
        access.requires("nobody.knows")


def test_every_permission_names_real_roles() -> None:
    for permission, roles in access.PERMISSIONS.items():
        assert roles, permission
        assert roles <= set(Role.values), permission
