"""`esep demo` step: the built-in demo register (people, plots, houses of every unit) and a look-up trail.

People are synthetic and reproducible: the IINs of a unit come from a generator seeded with its KATO code, so
they are never stored (only fingerprints are) and `esep registries demo-people KATO` prints them again.
The demo resident is the first person of the demo unit; akimat staff look them up for their open request
through the real service, so "who looked at my data" has rows.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from esep.accounts.models import Profile
from esep.accounts.services import profile_set_iin
from esep.appeals.models import OPEN_STATUSES, Appeal
from esep.core.audit.chain import audit_record
from esep.core.iin import generate_valid_iin, iin_fingerprint, mask_iin
from esep.demo.accounts import DEMO_UNIT_KATO
from esep.registries.models import DemoPerson, DemoPlot, DemoProperty, Lookup, Register
from esep.registries.services import LookupRefused, registry_lookup
from esep.territory.models import Territory

SOCIAL = ["targeted", "disability", "large_family", "survivor"]
LAND_USE = ["individual housing", "personal subsidiary plot", "gardening", "pasture", "hay meadow"]
RIGHTS = ["ownership", "lease", "temporary use"]
HOUSE_KINDS = ["house", "apartment", "house"]


@dataclass(frozen=True)
class DemoIdentity:
    iin: str
    birth_date: date
    sex: str


def demo_people(kato: str) -> Iterator[DemoIdentity]:
    """The unit's synthetic people, always the same (a generator seeded with the KATO code)."""
    rng = random.Random(f"esep-demo-register:{kato}")  # noqa: S311 (seeded demo data)
    count = rng.randint(20, 40)
    serial = int(kato[-6:]) % 9000
    made = 0
    while made < count:
        birth = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 55))
        sex = rng.choice("MF")
        serial = (serial + 1) % 10000
        try:
            iin = generate_valid_iin(birth, sex, serial)
        except ValueError:
            continue
        made += 1
        yield DemoIdentity(iin, birth, sex)


def run(*, out: TextIO) -> None:
    started = timezone.now()
    if DemoPerson.objects.exists():
        out.write("registries demo: already loaded\n")
    else:
        people, plots, houses = _load_register()
        seconds = (timezone.now() - started).total_seconds()
        out.write(f"registries demo: {people} people, {plots} plots, {houses} houses in {seconds:.0f}s\n")
    _demo_resident_trail(out)


def _load_register() -> tuple[int, int, int]:
    people: list[DemoPerson] = []
    plots: list[DemoPlot] = []
    houses: list[DemoProperty] = []
    seen: set[str] = set()
    units = Territory.objects.elected_units().order_by("kato").values_list("kato", flat=True)
    for kato in units:
        rng = random.Random(f"esep-demo-holdings:{kato}")  # noqa: S311 (seeded demo data)
        residents = []
        for person in demo_people(kato):
            fingerprint = iin_fingerprint(person.iin)
            if fingerprint in seen:
                continue  # the same synthetic IIN drawn for two units: the first unit keeps it
            seen.add(fingerprint)
            residents.append(person)
            status = rng.choice(SOCIAL) if rng.random() < 0.18 else ""
            people.append(
                DemoPerson(
                    iin_fingerprint=fingerprint,
                    iin_masked=mask_iin(person.iin),
                    kato=kato,
                    birth_date=person.birth_date,
                    sex=person.sex,
                    household_size=rng.randint(1, 8),
                    social_status=status,
                    social_since=date(2020, 1, 1) + timedelta(days=rng.randint(0, 1800)) if status else None,
                )
            )
            if rng.random() < 0.8:
                houses.append(
                    DemoProperty(
                        kato=kato,
                        owner_fingerprint=fingerprint,
                        kind=rng.choice(HOUSE_KINDS),
                        area_m2=Decimal(rng.randint(350, 1600)) / 10,
                        registered_on=date(1995, 1, 1) + timedelta(days=rng.randint(0, 10000)),
                    )
                )
        for index in range(rng.randint(5, 15)):
            owner = residents[index % len(residents)]
            plots.append(
                DemoPlot(
                    cadastral_number=f"{kato[:2]}-{kato[2:4]}-{kato[4:6]}-{index + 1:03d}",
                    kato=kato,
                    owner_fingerprint=iin_fingerprint(owner.iin),
                    area_ha=Decimal(rng.randint(6, 5000)) / 100,
                    land_use=rng.choice(LAND_USE),
                    right=rng.choice(RIGHTS),
                )
            )
    with transaction.atomic():
        DemoPerson.objects.bulk_create(people, batch_size=2000)
        DemoPlot.objects.bulk_create(plots, batch_size=2000)
        DemoProperty.objects.bulk_create(houses, batch_size=2000)
        audit_record(
            actor=None,
            action="registries.demo_load",
            data={"people": len(people), "plots": len(plots), "houses": len(houses)},
        )
    return len(people), len(plots), len(houses)


def _demo_resident_trail(out: TextIO) -> None:
    """Give demo.resident the IIN of the demo unit's first person and have demo.staff look them up."""
    users = get_user_model().objects
    resident = users.filter(username="demo.resident").first()
    staff = users.filter(username="demo.staff").first()
    if resident is None or staff is None:
        return
    identity = next(demo_people(DEMO_UNIT_KATO))
    fingerprint = iin_fingerprint(identity.iin)
    profile = Profile.objects.filter(user=resident).first()
    if profile is not None and profile.iin_fingerprint:
        fingerprint = profile.iin_fingerprint
    else:
        profile_set_iin(user=resident, iin=identity.iin)
    if Lookup.private_objects.filter(subject_fingerprint=fingerprint).exists():
        return
    open_requests = Appeal.private_objects.filter(
        resident=resident, kato=DEMO_UNIT_KATO, status__in=OPEN_STATUSES
    ).order_by("registered_at")
    appeal = open_requests.filter(category__code="social").first() or open_requests.first()
    if appeal is None:
        return
    for register, purpose in [
        (Register.POPULATION, "residence"),
        (Register.SOCIAL, "social_status"),
        (Register.REAL_ESTATE, "housing"),
    ]:
        try:
            registry_lookup(
                actor=staff, appeal=appeal, register=register, purpose=purpose, subject_iin=identity.iin
            )
        except LookupRefused:
            continue
    out.write(f"registries demo: look-ups of demo.resident ({mask_iin(identity.iin)}) for {appeal.number}\n")
