"""Every URL, walked as eleven actors, must answer as its declared access says.

The declaration on each view (`public`, `authenticated`, `("scoped", permission)`) is the policy table;
`PERMISSIONS` says which roles hold a permission. A view without a declaration fails
tests/core/test_url_access.py. Here the behaviour is held to the declaration:
- nobody ever gets a 5xx;
- an anonymous visitor of a non-public view is sent to the login page, whatever the object;
- a signed-in actor whose roles do not hold a scoped view's permission gets 403 (or 404 for an object
  that is not theirs), never the page;
- public views never answer 403 to anyone.
Object-level rules (another unit's program, registry data, petition) are tested in their apps.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from esep.core.access import PERMISSIONS
from esep.core.models import Role
from esep.territory.models import Territory
from tests.conftest import UNIT_A, UNIT_B
from tests.core.test_url_access import declared_access

SKIPPED_NAMESPACES = {"admin", "api"}  # the admin site guards itself; the API has its own walker
SAMPLE = {"kato": UNIT_A, "fmt": "json"}
ACTORS = [
    ("anonymous", None, None),
    ("resident_a", Role.RESIDENT, UNIT_A),
    ("resident_b", Role.RESIDENT, UNIT_B),
    ("akim_a", Role.AKIM, UNIT_A),
    ("staff_a", Role.AKIMAT_STAFF, UNIT_A),
    ("akim_b", Role.AKIM, UNIT_B),
    ("supervisor_a", Role.DISTRICT_SUPERVISOR, "district_of_a"),
    ("commission", Role.COMMISSION, "district_of_a"),
    ("party_officer", Role.PARTY_OFFICER, "region_of_a"),
    ("analyst", Role.ANALYST, None),
    ("administrator", Role.ADMINISTRATOR, None),
]


def patterns(resolvers: list, prefix: str = "", namespace: str = ""):
    for item in resolvers:
        if isinstance(item, URLResolver):
            yield from patterns(item.url_patterns, prefix + str(item.pattern), item.namespace or namespace)
        elif isinstance(item, URLPattern):
            yield prefix + str(item.pattern), namespace, item


def concrete(route: str) -> str | None:
    """A URL for the route: KATO codes of unit A, ids that do not exist, a JSON suffix for Open311."""
    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"<kato:(\w+)>", SAMPLE["kato"], route)
    route = re.sub(r"<int:\w+>", "999999", route)
    route = re.sub(r"<(?:str|slug):\w+>", "zz-missing", route)
    route = re.sub(r"\(\?P<fmt>[^)]*\)", "json", route)
    route = re.sub(r"\\\.", ".", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "zz-missing", route)
    if re.search(r"[<>()\[\]\\?*+]", route):
        return None
    return "/" + route


@pytest.fixture
def actors(make_user) -> dict:
    unit_a = Territory.objects.get(kato=UNIT_A)
    places = {
        UNIT_A: unit_a,
        UNIT_B: Territory.objects.get(kato=UNIT_B),
        "district_of_a": Territory.objects.get(kato=unit_a.district_code),
        "region_of_a": Territory.objects.get(kato=unit_a.region_code),
        None: None,
    }
    made = {}
    for name, role, place in ACTORS:
        if role is None:
            made[name] = None
            continue
        party = "AMANAT" if role == Role.PARTY_OFFICER else ""
        made[name] = make_user(role, places[place], party_code=party, username=name)
    return made


@pytest.mark.django_db
def test_every_url_answers_each_actor_as_declared(actors) -> None:
    checked, problems = 0, []
    for route, namespace, pattern in patterns(get_resolver().url_patterns):
        if namespace in SKIPPED_NAMESPACES:
            continue
        url = concrete(route)
        # Whole-country file exports are slow by nature and are tested in their apps.
        if url is not None and re.search(r"download|export|xlsx|csv|zip|feed|open-data", url):
            continue
        declared = declared_access(pattern.callback)
        if url is None or declared is None:
            continue
        for name, user in actors.items():
            client = Client(HTTP_ACCEPT_LANGUAGE="en")
            if user is not None:
                client.force_login(user)
            response = client.get(url)
            checked += 1
            status = response.status_code
            where = f"{name} GET {url} ({declared})"
            if status >= 500:
                problems.append(f"{where}: {status}")
            elif declared == "public":
                if status == 403:
                    problems.append(f"{where}: 403 on a public view")
            elif user is None:
                if not (status == 302 and "/accounts/login/" in response["Location"]) and status != 405:
                    problems.append(f"{where}: anonymous got {status}, not the login page")
            elif isinstance(declared, tuple):
                roles = PERMISSIONS[declared[1]]
                holds = any(assignment.role in roles for assignment in user.role_assignments.all())
                if not holds and status not in {403, 404, 405}:
                    problems.append(f"{where}: {status} for an actor without the permission")
    assert checked > 400, checked
    assert not problems, "\n".join(problems[:60])
