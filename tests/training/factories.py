"""Test data for training, made through the real services.

catalogue = make_catalogue()           # modules law, budget, procurement, leadership (+ optional digital)
session = make_session(catalogue.courses["foundation"])
mandate = make_sitting_akim(unit_a)    # from tests.elections.factories
"""

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from esep.territory.models import Territory
from esep.training import services
from esep.training.models import (
    AssigneeKind,
    Body,
    Corps,
    Course,
    Enrolment,
    Instruction,
    Module,
    PostCategory,
    Provider,
    ProviderKind,
    Session,
)

_numbers = itertools.count(1)


@dataclass
class Catalogue:
    provider: Provider
    modules: dict[str, Module] = field(default_factory=dict)
    courses: dict[str, Course] = field(default_factory=dict)


def make_catalogue() -> Catalogue:
    """Four required modules and one optional; a foundation course and three others."""
    existing = Provider.objects.filter(code="school-of-akims").first()
    if existing is not None:
        return Catalogue(
            provider=existing,
            modules={m.code: m for m in Module.objects.all()},
            courses={c.code: c for c in Course.objects.all()},
        )
    provider = services.provider_create(
        code="school-of-akims",
        kind=ProviderKind.SCHOOL_OF_AKIMS,
        name_kk="Әкімдер мектебі",
        name_ru="Школа акимов",
        name_en="School of Akims",
    )
    catalogue = Catalogue(provider=provider)
    for position, code in enumerate(["law", "budget", "procurement", "leadership", "digital"], start=1):
        catalogue.modules[code] = services.module_create(
            code=code,
            name_kk=f"{code} kk",
            name_ru=f"{code} ru",
            name_en=f"{code} en",
            position=position,
            required=code != "digital",
        )
    m = catalogue.modules
    for code, modules, hours, foundation in [
        ("foundation", ["law", "budget"], 72, True),
        ("procurement", ["procurement", "budget"], 36, False),
        ("leadership", ["leadership"], 24, False),
        ("digital", ["digital"], 16, False),
    ]:
        catalogue.courses[code] = services.course_create(
            code=code,
            provider=provider,
            title_kk=f"{code} kk",
            title_ru=f"{code} ru",
            title_en=f"{code} en",
            modules=[m[name] for name in modules],
            hours=hours,
            is_foundation=foundation,
        )
    return catalogue


def make_session(
    course: Course,
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
    capacity: int | None = None,
    region: Territory | None = None,
) -> Session:
    today = timezone.localdate()
    starts_on = starts_on or today - timedelta(days=10)
    return services.session_create(
        course=course,
        starts_on=starts_on,
        ends_on=ends_on or max(starts_on, today) + timedelta(days=10),
        place="Семей",
        region=region,
        capacity=capacity,
    )


def enrol(session: Session, *mandates: object) -> list[Enrolment]:
    return services.enrolment_bulk_create(session=session, mandates=list(mandates)).enrolled


def complete(session: Session, mandate: object, score: int = 85, on: date | None = None) -> Enrolment:
    """Enrol `mandate`'s akim (if needed) and record a result."""
    enrolment = Enrolment.objects.filter(session=session, person_id=mandate.person_id).first()
    if enrolment is None:
        enrolment = enrol(session, mandate)[0]
    return services.enrolment_complete(
        enrolment=enrolment, score=score, completed_on=on or min(session.ends_on, timezone.localdate())
    )


def make_category(code: str = "E-G-3", corps: str = Corps.ADMINISTRATIVE_B) -> PostCategory:
    existing = PostCategory.objects.filter(code=code).first()
    return existing or services.post_category_create(
        code=code, corps=corps, name_kk=f"{code} kk", name_ru=f"{code} ru", name_en=f"{code} en"
    )


def make_body(code: str = "government") -> Body:
    existing = Body.objects.filter(code=code).first()
    return existing or services.body_create(
        code=code, name_kk=f"{code} kk", name_ru=f"{code} ru", name_en=code
    )


def make_instruction(
    *,
    bodies: tuple[str, ...] = (),
    regions: tuple[Territory, ...] = (),
    units: tuple[Territory, ...] = (),
    issued_on: date | None = None,
    deadline: date | None = None,
    within_month: bool = False,
    actor: object = None,
) -> Instruction:
    issued_on = issued_on or timezone.localdate()
    if deadline is None and not within_month:
        deadline = issued_on + timedelta(days=30)
    assignees = [services.AssigneeSpec(kind=AssigneeKind.BODY, body=make_body(code)) for code in bodies]
    assignees += [services.AssigneeSpec(kind=AssigneeKind.REGION, territory=region) for region in regions]
    assignees += [services.AssigneeSpec(kind=AssigneeKind.AKIM, territory=unit) for unit in units]
    return services.instruction_issue(
        number=f"T-{next(_numbers)}",
        issuer=make_body("head-of-state"),
        title_kk="Тапсырма",
        title_ru="Поручение",
        title_en="Instruction",
        text_kk="Мәтін",
        text_ru="Текст поручения",
        text_en="Text",
        issued_on=issued_on,
        deadline=deadline,
        within_month=within_month,
        assignees=assignees,
        actor=actor,
    )
