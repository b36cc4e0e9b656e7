"""The Popolo export validates against the Popolo JSON schemas (copies in popolo_schemas/, no network)."""

import json
from pathlib import Path

import pytest
from django.test import Client
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from esep.elections import services
from esep.elections.models import EndReason
from tests.elections.factories import ensure_voters, make_person, make_sitting_akim

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).parent / "popolo_schemas"
COLLECTIONS = {
    "persons": "person",
    "organizations": "organization",
    "posts": "post",
    "memberships": "membership",
    "areas": "area",
}


def validators() -> dict[str, Draft3Validator]:
    schemas = {path.stem: json.loads(path.read_text()) for path in SCHEMAS.glob("*.json")}
    registry = Registry().with_resources(
        (schema["id"], Resource(contents=schema, specification=DRAFT3)) for schema in schemas.values()
    )
    return {
        name: Draft3Validator(schemas[name], registry=registry, format_checker=Draft3Validator.FORMAT_CHECKER)
        for name in COLLECTIONS.values()
    }


def test_the_schema_copies_are_the_popolo_ones() -> None:
    assert set(validators()) == set(COLLECTIONS.values())
    assert all(
        json.loads(p.read_text())["id"].startswith("http://www.popoloproject.com/")
        for p in SCHEMAS.glob("*.json")
    )
    # The copies really check something: a person's birth date must be a date.
    assert list(validators()["person"].iter_errors({"birth_date": "born in May"}))


def test_the_export_is_valid_popolo_with_kato_codes(client: Client, unit, unit_a2, amanat, today) -> None:
    ensure_voters(unit_a2)
    first = make_sitting_akim(unit, party=amanat)
    services.mandate_end(mandate=first, reason=EndReason.RESIGNATION, on=today, note="")
    make_sitting_akim(unit_a2, person=make_person(full_name="Второй Аким"))
    response = client.get("/api/v1/popolo.json")
    assert response.status_code == 200
    export = response.json()
    checks = validators()
    for collection, schema in COLLECTIONS.items():
        assert export[collection], collection
        for item in export[collection]:
            errors = [error.message for error in checks[schema].iter_errors(item)]
            assert not errors, (collection, item, errors)
    areas = {area["identifier"]: area for area in export["areas"]}
    assert areas[unit.kato]["parent_id"] == f"area/{unit.district_code}"
    assert areas[unit.district_code]["parent_id"] == f"area/{unit.region_code}"
    ids = {item["id"] for collection in COLLECTIONS for item in export[collection]}
    for membership in export["memberships"]:
        assert membership["person_id"] in ids and membership["organization_id"] in ids
        assert membership.get("post_id") in ids | {None}
    ended = next(m for m in export["memberships"] if m["id"] == f"membership/mandate-{first.pk}")
    assert ended["end_date"] == today.isoformat() and ended["on_behalf_of_id"] == "party/AMANAT"
    assert {p["birth_date"] for p in export["persons"]} == {"1982"}  # the year only
    assert "iin" not in json.dumps(export).lower()


def test_the_export_can_be_limited_to_a_region(client: Client, unit, unit_b, amanat) -> None:
    ensure_voters(unit_b)
    make_sitting_akim(unit, party=amanat)
    make_sitting_akim(unit_b, person=make_person(full_name="Другой"))
    export = client.get("/api/v1/popolo.json", {"territory": unit.region_code}).json()
    assert len(export["persons"]) == 1
    assert {post["area_id"] for post in export["posts"]} >= {f"area/{unit.kato}"}
    assert all(post["area_id"].startswith(f"area/{unit.kato[:2]}") for post in export["posts"])
