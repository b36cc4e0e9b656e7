"""The Popolo export (http://www.popoloproject.com/): persons, organizations, posts, memberships and areas.

Organizations are the parties and one akimat per rural unit; each akimat has one post, "akim of <unit>";
a mandate is a membership in the akimat holding that post, on behalf of the nominating party; a party
membership is a membership in the party. Areas are the units, districts and regions, identified by KATO code.
Birth dates are given as the year only, and the IIN never leaves the database. Five queries in all.
"""

from collections.abc import Callable

from django.db.models import Exists, OuterRef
from django.urls import reverse

from esep.core.kato import kato_within
from esep.elections.models import Mandate, Party, Person
from esep.territory.models import Level, Territory
from esep.territory.translit import romanize

GENDERS = {"M": "male", "F": "female"}


def person_id(pk: int) -> str:
    return f"person/{pk}"


def party_id(code: str) -> str:
    return f"party/{code}"


def akimat_id(kato: str) -> str:
    return f"akimat/{kato}"


def post_id(kato: str) -> str:
    return f"post/{kato}"


def area_id(kato: str) -> str:
    return f"area/{kato}"


def popolo_export(*, prefix: str = "", url: Callable[[str], str] = str) -> dict:
    """Everything under a KATO prefix ("" is the country); `url` makes a path absolute for the links."""
    units = list(Territory.objects.elected_units().filter(kato_within("kato", prefix)).order_by("kato"))
    parents = {unit.parent_id for unit in units}
    areas_above = list(
        Territory.objects.filter(level__in=[Level.REGION, Level.DISTRICT]).filter(
            kato_within("kato", prefix[:2])
        )
    )
    parties = list(Party.objects.order_by("code"))
    mandates = list(
        Mandate.objects.within(prefix)
        .select_related("rural_unit", "party")
        .order_by("rural_unit__kato", "starts_on")
    )
    persons = list(
        Person.objects.filter(Exists(Mandate.objects.within(prefix).filter(person_id=OuterRef("pk"))))
        .select_related("party")
        .order_by("pk")
    )
    by_pk = {t.pk: t for t in areas_above}
    areas = [
        {
            "id": area_id(t.kato),
            "name": t.name_kk,
            "identifier": t.kato,
            "classification": t.kind,
            "parent_id": area_id(by_pk[t.parent_id].kato) if t.parent_id in by_pk else None,
            "other_names": [{"name": t.name_ru, "note": "ru"}, {"name": t.name_en, "note": "en"}],
        }
        for t in areas_above
        if t.level == Level.REGION or t.pk in parents
    ] + [
        {
            "id": area_id(unit.kato),
            "name": unit.name_kk,
            "identifier": unit.kato,
            "classification": unit.kind,
            "parent_id": area_id(by_pk[unit.parent_id].kato) if unit.parent_id in by_pk else None,
            "other_names": [{"name": unit.name_ru, "note": "ru"}, {"name": unit.name_en, "note": "en"}],
        }
        for unit in units
    ]
    organizations = [
        {
            "id": party_id(party.code),
            "name": party.name_kk,
            "classification": "party",
            "identifiers": [{"identifier": party.code, "scheme": "esep-party"}],
            "other_names": [{"name": party.name_ru, "note": "ru"}, {"name": party.name_en, "note": "en"}],
        }
        for party in parties
    ] + [
        {
            "id": akimat_id(unit.kato),
            "name": f"{unit.name_kk} әкімдігі",
            "classification": "akimat",
            "area_id": area_id(unit.kato),
            "identifiers": [{"identifier": unit.kato, "scheme": "KATO"}],
            "other_names": [{"name": f"Аппарат акима {unit.name_ru}", "note": "ru"}],
        }
        for unit in units
    ]
    posts = [
        {
            "id": post_id(unit.kato),
            "label": f"{unit.name_kk} әкімі",
            "other_label": [f"Аким {unit.name_ru}", f"Akim of {unit.name_en}"],
            "role": "akim",
            "organization_id": akimat_id(unit.kato),
            "area_id": area_id(unit.kato),
        }
        for unit in units
    ]
    memberships = []
    for mandate in mandates:
        kato = mandate.rural_unit.kato
        memberships.append(
            {
                "id": f"membership/mandate-{mandate.pk}",
                "label": mandate.get_nomination_display(),
                "role": "akim",
                "person_id": person_id(mandate.person_id),
                "organization_id": akimat_id(kato),
                "post_id": post_id(kato),
                "on_behalf_of_id": party_id(mandate.party.code) if mandate.party else None,
                "area_id": area_id(kato),
                "start_date": mandate.starts_on.isoformat(),
                "end_date": mandate.ended_on.isoformat() if mandate.ended_on else None,
                "links": [
                    {
                        "url": url(reverse("elections:election", args=[mandate.election_id])),
                        "note": "election",
                    }
                ],
            }
        )
    for person in persons:
        if person.party is not None:
            memberships.append(
                {
                    "id": f"membership/party-{person.pk}",
                    "role": "member",
                    "person_id": person_id(person.pk),
                    "organization_id": party_id(person.party.code),
                }
            )
    return {
        "persons": [
            {
                "id": person_id(person.pk),
                "name": person.full_name,
                "other_names": [{"name": romanize(person.full_name), "note": "Latin script"}],
                "gender": GENDERS.get(person.sex),
                "birth_date": str(person.birth_date.year),
                "biography": person.biography or None,
                "image": url(person.photo.url) if person.photo else None,
                "links": [
                    {"url": url(reverse("elections:person", args=[person.pk])), "note": "Esep profile"}
                ],
            }
            for person in persons
        ],
        "organizations": organizations,
        "posts": posts,
        "memberships": memberships,
        "areas": areas,
    }
