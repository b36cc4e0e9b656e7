import pytest
from django.contrib.auth import get_user_model

from esep.core import access
from esep.core.models import Role
from esep.demo.accounts import DEMO_ACCOUNTS, DEMO_UNIT_KATO, ensure_demo_accounts


@pytest.mark.django_db
def test_one_demo_account_per_role_all_in_the_sample_unit() -> None:
    assert ensure_demo_accounts() == len(DEMO_ACCOUNTS)
    assert ensure_demo_accounts() == 0  # idempotent
    assert {account.role for account in DEMO_ACCOUNTS} == set(Role.values)
    users = get_user_model().objects
    for account in DEMO_ACCOUNTS:
        user = users.get(username=account.username)
        assert access.has_role(user, account.role, DEMO_UNIT_KATO), account.username
