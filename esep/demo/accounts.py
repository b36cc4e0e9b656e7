"""Demo accounts: one per role, all in one sample unit, so a newcomer can try every role at once."""

from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.contrib.auth import get_user_model

from esep.accounts.services import role_assign, user_create
from esep.core.models import Role
from esep.territory.models import Territory

# Қараауыл ауылдық округі, Abay district, Abay region: the first elected-akim unit in KATO order.
DEMO_UNIT_KATO = "103230000"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    scope: str  # "unit", "district", "region" or "country"
    party_code: str = ""


DEMO_ACCOUNTS = [
    DemoAccount("demo.resident", "Айгүл Сапарова", Role.RESIDENT, "unit"),
    DemoAccount("demo.akim", "Ерлан Қасымов", Role.AKIM, "unit"),
    DemoAccount("demo.staff", "Дана Омарова", Role.AKIMAT_STAFF, "unit"),
    DemoAccount("demo.supervisor", "Бауыржан Ахметов", Role.DISTRICT_SUPERVISOR, "district"),
    DemoAccount("demo.region", "Гүлнар Жұмабаева", Role.REGION_SUPERVISOR, "region"),
    DemoAccount("demo.commission", "Нұрлан Серікбаев", Role.COMMISSION, "district"),
    DemoAccount("demo.party", "Асель Тұрсынова", Role.PARTY_OFFICER, "region", party_code="AMANAT"),
    DemoAccount("demo.analyst", "Марат Исаев", Role.ANALYST, "country"),
    DemoAccount("demo.admin", "Әлия Бекова", Role.ADMINISTRATOR, "country"),
]


def demo_unit() -> Territory:
    unit = Territory.objects.filter(kato=DEMO_UNIT_KATO).first()
    if unit is None:
        raise RuntimeError(
            "the territory is not imported yet: run `esep territory import data/kato.csv` first"
        )
    return unit


def ensure_demo_accounts() -> int:
    """Create the demo accounts that do not exist yet; return how many were created."""
    unit = demo_unit()
    scopes = {
        "unit": unit,
        "district": Territory.objects.get(kato=unit.district_code),
        "region": Territory.objects.get(kato=unit.region_code),
        "country": None,
    }
    created = 0
    users = get_user_model().objects
    for account in DEMO_ACCOUNTS:
        if users.filter(username=account.username).exists():
            continue
        user = user_create(
            username=account.username,
            password=settings.ESEP_DEMO_PASSWORD,
            full_name=account.full_name,
            check_password=False,
        )
        role_assign(
            user=user, role=account.role, territory=scopes[account.scope], party_code=account.party_code
        )
        created += 1
    return created


def run(*, out: TextIO) -> None:
    created = ensure_demo_accounts()
    if created:
        out.write(f"demo accounts created: {created}\n")
