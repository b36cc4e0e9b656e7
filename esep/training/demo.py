"""Demo data of the training app: the School of Akims catalogue, sessions over 2022-2026, enrolments and
results of the sitting akims, the civil-service categories and akimat staff of every unit, and the
instructions of 28 November 2025 followed to where they stand.

Seeded (`random.Random(SEED)`) and idempotent: each part is loaded once and skipped afterwards. Results
depend on the day of loading in two ways only: a session that has ended by then has its results, later ones
have enrolments; and the demo example instruction is issued so that it falls due a few days later. Bulk paths
write one audit event per batch; the catalogue and instructions use the services.
"""

import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from esep.core.audit.chain import audit_record
from esep.elections.demo_names import FATHERS_NAMES, FEMALE_NAMES, MALE_NAMES, SURNAMES
from esep.elections.models import Mandate
from esep.territory.models import Territory
from esep.training import services
from esep.training.deadlines import days_left, within_a_month
from esep.training.models import (
    AkimPost,
    AssigneeKind,
    Body,
    Competence,
    Corps,
    Course,
    Enrolment,
    EnrolmentStatus,
    Instruction,
    Module,
    PositionKind,
    PostCategory,
    Provider,
    ProviderKind,
    Session,
    SessionMode,
    StaffChange,
    StaffChangeKind,
    StaffPosition,
)
from esep.training.tick import escalate_overdue

SEED = 20251128 + 9
ALMATY = ZoneInfo("Asia/Almaty")
ASTANA = "710000000"
DIALOGUE_DAY = date(2025, 11, 28)
DIALOGUE_SOURCE = (
    "Диалог-платформа сельских акимов, Астана, 28.11.2025 (Акорда; Kazinform; BAQ.KZ; Kazpravda.kz)"
)

PROVIDERS = [
    ("school-of-akims", ProviderKind.SCHOOL_OF_AKIMS, "Әкімдер мектебі", "Школа акимов", "School of Akims"),
    (
        "apa",
        ProviderKind.ACADEMY,
        "Қазақстан Республикасы Президентінің жанындағы Мемлекеттік басқару академиясы",
        "Академия государственного управления при Президенте Республики Казахстан",
        "Academy of Public Administration under the President of the Republic of Kazakhstan",
    ),
    (
        "enu",
        ProviderKind.UNIVERSITY,
        "Л.Н. Гумилев атындағы Еуразия ұлттық университеті",
        "Евразийский национальный университет имени Л.Н. Гумилева",
        "L.N. Gumilyov Eurasian National University",
    ),
    (
        "kaznu",
        ProviderKind.UNIVERSITY,
        "Әл-Фараби атындағы Қазақ ұлттық университеті",
        "Казахский национальный университет имени аль-Фараби",
        "Al-Farabi Kazakh National University",
    ),
]

MODULES = [
    (
        "law",
        "Құқық және мемлекеттік басқару",
        "Право и государственное управление",
        "Law and public administration",
    ),
    (
        "budget",
        "Ауылдық округ бюджеті және оны жоспарлау",
        "Бюджет сельского округа и его планирование",
        "The rural budget and its planning",
    ),
    (
        "economic-program",
        "Округтің экономикалық даму бағдарламасын жазу",
        "Разработка программы экономического развития округа",
        "Writing the unit's economic development program",
    ),
    ("procurement", "Мемлекеттік сатып алу", "Государственные закупки", "Public procurement"),
    ("communal-property", "Коммуналдық меншік", "Коммунальная собственность", "Communal property"),
    (
        "appc-appeals",
        "Әкімшілік рәсімдік-процестік кодекс және тұрғындардың өтініштері",
        "Административный процедурно-процессуальный кодекс и обращения жителей",
        "The Administrative Procedural Code and residents' appeals",
    ),
    ("communication", "Тұрғындармен коммуникация", "Коммуникация с жителями", "Communication with residents"),
    ("team", "Команданы басқару", "Управление командой", "Team management"),
    ("project", "Жобаларды басқару", "Управление проектами", "Project management"),
    ("regional", "Өңірлік басқару", "Региональное управление", "Regional management"),
    ("leadership", "Көшбасшылық", "Лидерство", "Leadership"),
]
OPTIONAL_MODULES = [
    (
        "state-databases",
        "Мемлекеттік деректер базалары және электрондық үкімет",
        "Государственные базы данных и электронное правительство",
        "State databases and e-government",
    )
]


@dataclass(frozen=True)
class CourseSpec:
    code: str
    provider: str
    title_kk: str
    title_ru: str
    title_en: str
    modules: tuple[str, ...]
    hours: int
    foundation: bool = False
    regional: bool = False  # sessions in every region; otherwise in Astana
    per_year: int = 1
    first_year: int = 2022
    mode: str = SessionMode.IN_PERSON
    weight: float = 0.2  # chance that a sitting akim took it (foundation: see enrolments)


COURSES = [
    CourseSpec(
        "sa-foundation",
        "school-of-akims",
        "Әкімдер мектебі: негізгі курс",
        "Школа акимов: базовый курс",
        "School of Akims: foundation course",
        ("law", "budget", "appc-appeals", "communication"),
        72,
        foundation=True,
        regional=True,
        per_year=2,
    ),
    CourseSpec(
        "sa-rural-economy",
        "school-of-akims",
        "Ауыл экономикасы: бюджет, даму бағдарламасы, меншік",
        "Экономика села: бюджет, программа развития, собственность",
        "Rural economy: budget, development program, property",
        ("budget", "economic-program", "communal-property"),
        48,
        regional=True,
        weight=0.3,
    ),
    CourseSpec(
        "sa-procurement",
        "school-of-akims",
        "Ауылдық әкімдікке арналған мемлекеттік сатып алу",
        "Государственные закупки для сельского акимата",
        "Public procurement for a rural akimat",
        ("procurement", "communal-property"),
        36,
        regional=True,
        weight=0.25,
        mode=SessionMode.BLENDED,
    ),
    CourseSpec(
        "apa-team-projects",
        "apa",
        "Команданы және жобаларды басқару",
        "Управление командой и проектами",
        "Managing a team and projects",
        ("team", "project"),
        72,
        per_year=3,
        weight=0.22,
    ),
    CourseSpec(
        "apa-regional-leadership",
        "apa",
        "Өңірлік басқару және көшбасшылық",
        "Региональное управление и лидерство",
        "Regional management and leadership",
        ("regional", "leadership"),
        72,
        per_year=4,
        first_year=2026,
        weight=0.08,
    ),
    CourseSpec(
        "apa-appc",
        "apa",
        "ӘРПК: әкімшілік рәсімдер және тұрғындардың өтініштері",
        "АППК: административные процедуры и обращения жителей",
        "The Administrative Procedural Code: procedures and residents' appeals",
        ("appc-appeals", "law"),
        24,
        per_year=4,
        mode=SessionMode.ONLINE,
        weight=0.2,
    ),
    CourseSpec(
        "enu-public-administration",
        "enu",
        "Мемлекеттік және жергілікті басқару (біліктілікті арттыру)",
        "Государственное и местное управление (повышение квалификации)",
        "State and local administration (further training)",
        ("law", "regional", "economic-program"),
        120,
        per_year=2,
        weight=0.06,
    ),
    CourseSpec(
        "kaznu-communication",
        "kaznu",
        "Тұрғындармен жұмыс: коммуникация және көшбасшылық",
        "Работа с жителями: коммуникация и лидерство",
        "Working with residents: communication and leadership",
        ("communication", "leadership"),
        36,
        per_year=2,
        mode=SessionMode.BLENDED,
        weight=0.1,
    ),
    CourseSpec(
        "apa-state-databases",
        "apa",
        "Мемлекеттік деректер базалары: тұрғындардың сауалына жауап беру",
        "Государственные базы данных: ответы на запросы жителей",
        "State databases: answering residents' requests",
        ("state-databases",),
        16,
        per_year=2,
        first_year=2026,
        mode=SessionMode.ONLINE,
        weight=0.05,
    ),
]

# The register of civil-service posts names the categories of rural akimats' posts E-G-1 (akim) to E-G-4.
CATEGORIES = [
    (
        "E-G-1",
        Corps.ADMINISTRATIVE_B,
        "Қала, ауыл, кент, ауылдық округ әкімі",
        "Аким города районного значения, села, поселка, сельского округа",
        "Akim of a town of district significance, village, settlement or rural okrug",
    ),
    (
        "E-G-2",
        Corps.ADMINISTRATIVE_B,
        "Әкімнің орынбасары",
        "Заместитель акима",
        "Deputy akim",
    ),
    ("E-G-3", Corps.ADMINISTRATIVE_B, "Бас маман", "Главный специалист", "Chief specialist"),
    ("E-G-4", Corps.ADMINISTRATIVE_B, "Жетекші маман", "Ведущий специалист", "Leading specialist"),
    (
        "TECH",
        Corps.NOT_CIVIL_SERVICE,
        "Техникалық қызметкер (еңбек шарты)",
        "Технический персонал (трудовой договор)",
        "Technical staff (labour contract)",
    ),
]
POSITION_CATEGORY = {
    PositionKind.DEPUTY_AKIM: "E-G-2",
    PositionKind.CHIEF_SPECIALIST: "E-G-3",
    PositionKind.ACCOUNTANT: "E-G-3",
    PositionKind.LEADING_SPECIALIST: "E-G-4",
    PositionKind.LAND_SPECIALIST: "E-G-4",
    PositionKind.MILITARY_REGISTRAR: "E-G-4",
    PositionKind.SOCIAL_WORKER: "TECH",
    PositionKind.TECHNICAL: "TECH",
}
OPTIONAL_POSITIONS = [
    PositionKind.DEPUTY_AKIM,
    PositionKind.ACCOUNTANT,
    PositionKind.LAND_SPECIALIST,
    PositionKind.MILITARY_REGISTRAR,
    PositionKind.SOCIAL_WORKER,
    PositionKind.TECHNICAL,
]

BODIES = [
    ("head-of-state", "Мемлекет басшысы", "Глава государства", "Head of State"),
    ("government", "Қазақстан Республикасының Үкіметі", "Правительство Республики Казахстан", "Government"),
    (
        "acsa",
        "Мемлекеттік қызмет істері агенттігі",
        "Агентство Республики Казахстан по делам государственной службы",
        "Agency for Civil Service Affairs",
    ),
    ("parliament", "Қазақстан Республикасының Парламенті", "Парламент Республики Казахстан", "Parliament"),
    (
        "mne",
        "Ұлттық экономика министрлігі",
        "Министерство национальной экономики",
        "Ministry of National Economy",
    ),
    (
        "mdai",
        "Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігі",
        "Министерство цифрового развития, инноваций и аэрокосмической промышленности",
        "Ministry of Digital Development, Innovation and Aerospace Industry",
    ),
    (
        "mshe",
        "Ғылым және жоғары білім министрлігі",
        "Министерство науки и высшего образования",
        "Ministry of Science and Higher Education",
    ),
]


def _at(year: int, month: int, day: int, hour: int = 11) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=ALMATY)


# --- Catalogue ------------------------------------------------------------------------------------


def ensure_catalogue() -> int:
    if Course.objects.exists():
        return 0
    for code, kind, kk, ru, en in PROVIDERS:
        services.provider_create(code=code, kind=kind, name_kk=kk, name_ru=ru, name_en=en)
    for position, (code, kk, ru, en) in enumerate(MODULES + OPTIONAL_MODULES, start=1):
        services.module_create(
            code=code,
            name_kk=kk,
            name_ru=ru,
            name_en=en,
            position=position,
            required=position <= len(MODULES),
        )
    providers = {p.code: p for p in Provider.objects.all()}
    modules = {m.code: m for m in Module.objects.all()}
    for spec in COURSES:
        services.course_create(
            code=spec.code,
            provider=providers[spec.provider],
            title_kk=spec.title_kk,
            title_ru=spec.title_ru,
            title_en=spec.title_en,
            modules=[modules[code] for code in spec.modules],
            hours=spec.hours,
            is_foundation=spec.foundation,
        )
    return len(COURSES)


def _session_dates(spec: CourseSpec, year: int, index: int) -> tuple[date, date]:
    # Spread over the year: spring and autumn for two a year, quarters for four.
    months = {1: [10], 2: [4, 11], 3: [2, 6, 10], 4: [2, 4, 9, 12]}[spec.per_year]
    start = date(year, months[index], 10 + (len(spec.code) % 7))
    days = max(spec.hours // 8, 2)
    return start, start + timedelta(days=days + (days // 5) * 2)


def ensure_sessions() -> int:
    if Session.objects.exists():
        return 0
    regions = list(Territory.objects.regions().order_by("kato"))
    astana = Territory.objects.filter(kato=ASTANA).first()
    courses = {c.code: c for c in Course.objects.all()}
    rows = []
    for spec in COURSES:
        for year in range(spec.first_year, 2027):
            for index in range(spec.per_year):
                starts_on, ends_on = _session_dates(spec, year, index)
                if starts_on.year > 2026:
                    continue
                if spec.regional:
                    for region in regions:
                        rows.append(
                            Session(
                                course=courses[spec.code],
                                starts_on=starts_on,
                                ends_on=ends_on,
                                place=f"{region.name_ru}: региональный филиал",
                                region=region,
                                mode=spec.mode,
                            )
                        )
                else:
                    place = "онлайн" if spec.mode == SessionMode.ONLINE else "Астана"
                    rows.append(
                        Session(
                            course=courses[spec.code],
                            starts_on=starts_on,
                            ends_on=ends_on,
                            place=place,
                            region=astana,
                            mode=spec.mode,
                        )
                    )
    for row in rows:
        row.full_clean(exclude=["course", "region"])
    Session.objects.bulk_create(rows, batch_size=500)
    audit_record(
        actor=None,
        action="training.demo_sessions",
        subject_type="training.session",
        data={"sessions": len(rows)},
    )
    return len(rows)


# --- Enrolments and results -----------------------------------------------------------------------


def _score(rng: random.Random, pass_score: int) -> int:
    if rng.random() < 0.1:
        return rng.randint(30, pass_score - 1)
    return rng.randint(pass_score, 100)


def ensure_enrolments(rng: random.Random, today: date) -> int:
    if Enrolment.objects.exists():
        return 0
    earlier = Mandate.objects.filter(person_id=OuterRef("person_id"), starts_on__lt=OuterRef("starts_on"))
    mandates = list(
        Mandate.objects.current()
        .annotate(returning=Exists(earlier))
        .select_related("person", "rural_unit")
        .order_by("rural_unit__kato")
    )
    if not mandates:
        return 0
    courses = {c.code: c for c in Course.objects.prefetch_related("modules")}
    code_of = {course.pk: code for code, course in courses.items()}
    sessions_by_course: dict[str, list[Session]] = {}
    for session in Session.objects.select_related("region").order_by("starts_on", "pk"):
        sessions_by_course.setdefault(code_of[session.course_id], []).append(session)
    rows: list[Enrolment] = []
    for mandate in mandates:
        region = mandate.rural_unit.kato[:2] + "0000000"
        first_time = not mandate.returning
        no_civil_service = mandate.person.civil_service_years == 0
        for spec in COURSES:
            if spec.foundation:
                chance = 0.78 if first_time or no_civil_service else 0.4
            else:
                chance = spec.weight
            if rng.random() >= chance:
                continue
            options = [
                s
                for s in sessions_by_course.get(spec.code, [])
                if s.starts_on >= mandate.starts_on and (not spec.regional or s.region.kato == region)
            ]
            if not options:
                continue
            session = rng.choice(options)
            row = Enrolment(
                session=session,
                person_id=mandate.person_id,
                rural_unit_id=mandate.rural_unit_id,
                enrolled_at=datetime.combine(
                    session.starts_on - timedelta(days=14), datetime.min.time(), ALMATY
                ),
            )
            if session.ends_on < today:
                row.score = _score(rng, courses[spec.code].pass_score)
                row.completed_on = session.ends_on
                passed = row.score >= courses[spec.code].pass_score
                row.status = EnrolmentStatus.COMPLETED if passed else EnrolmentStatus.FAILED
                # Unique placeholder until the row has its id (the number is built from it).
                row.certificate_number = f"tmp-{len(rows)}" if passed else None
            rows.append(row)
    created = Enrolment.objects.bulk_create(rows, batch_size=500)
    completed = [row for row in created if row.status == EnrolmentStatus.COMPLETED]
    providers = {c.pk: c.provider for c in Course.objects.select_related("provider")}
    for row in completed:
        row.certificate_number = services.certificate_number(
            row, providers[row.session.course_id], row.completed_on
        )
    Enrolment.objects.bulk_update(completed, ["certificate_number"], batch_size=500)
    competences: dict[tuple[int, int], Competence] = {}
    for row in sorted(completed, key=lambda r: (r.completed_on, r.pk)):
        for module in courses[code_of[row.session.course_id]].modules.all():
            competences.setdefault(
                (row.person_id, module.pk),
                Competence(
                    person_id=row.person_id, module=module, acquired_on=row.completed_on, enrolment=row
                ),
            )
    Competence.objects.bulk_create(list(competences.values()), batch_size=500)
    audit_record(
        actor=None,
        action="training.demo_enrolments",
        subject_type="training.enrolment",
        data={"enrolments": len(created), "completed": len(completed), "competences": len(competences)},
    )
    return len(created)


# --- Staff ----------------------------------------------------------------------------------------


def ensure_categories() -> None:
    if PostCategory.objects.exists():
        return
    for position, (code, corps, kk, ru, en) in enumerate(CATEGORIES, start=1):
        services.post_category_create(
            code=code, corps=corps, name_kk=kk, name_ru=ru, name_en=en, position=position
        )


def _name(rng: random.Random) -> str:
    female = rng.random() < 0.55
    surname = rng.choice(SURNAMES) + ("а" if female else "")
    given = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    father = rng.choice(FATHERS_NAMES)
    return f"{surname} {given} {father}{'қызы' if female else 'ұлы'}"


def _day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


def ensure_staff(rng: random.Random, today: date) -> int:
    if StaffPosition.objects.exists():
        return 0
    categories = {c.code: c for c in PostCategory.objects.all()}
    units = list(Territory.objects.elected_units().order_by("kato"))
    AkimPost.objects.bulk_create(
        [AkimPost(rural_unit=unit, category=categories["E-G-1"]) for unit in units], batch_size=500
    )
    plans: list[tuple[StaffPosition, list[tuple[str, date, str]]]] = []
    for unit in units:
        extra = rng.randint(1, 6)
        kinds = [
            PositionKind.CHIEF_SPECIALIST,
            PositionKind.LEADING_SPECIALIST,
            *rng.sample(OPTIONAL_POSITIONS, extra),
        ]
        for kind in kinds:
            created_on = _day_between(rng, date(2014, 1, 1), date(2021, 6, 30))
            position = StaffPosition(
                rural_unit=unit,
                kind=kind,
                category=categories[POSITION_CATEGORY[kind]],
                created_on=created_on,
            )
            events = [(StaffChangeKind.CREATED, created_on, "")]
            holder_since = _day_between(rng, created_on, created_on + timedelta(days=120))
            events.append((StaffChangeKind.FILLED, holder_since, ""))
            # Turnover since the first elections: some left, most posts were filled again.
            day = max(holder_since, date(2021, 8, 1))
            while rng.random() < 0.35 and day < today - timedelta(days=60):
                left = _day_between(rng, day, min(day + timedelta(days=900), today - timedelta(days=30)))
                events.append((StaffChangeKind.VACATED, left, ""))
                if rng.random() < 0.72:
                    day = _day_between(rng, left + timedelta(days=10), min(left + timedelta(days=150), today))
                    events.append((StaffChangeKind.FILLED, day, ""))
                else:
                    break
            if events[-1][0] == StaffChangeKind.FILLED:
                position.holder_name, position.filled_since = _name(rng), events[-1][1]
            plans.append((position, events))
    StaffPosition.objects.bulk_create([position for position, _events in plans], batch_size=500)
    changes = [
        StaffChange(position=position, rural_unit_id=position.rural_unit_id, kind=kind, on=on, note=note)
        for position, events in plans
        for kind, on, note in events
    ]
    StaffChange.objects.bulk_create(changes, batch_size=1000)
    audit_record(
        actor=None,
        action="training.demo_staff",
        subject_type="training.staffposition",
        data={"akim_posts": len(units), "positions": len(plans), "changes": len(changes)},
    )
    return len(plans)


# --- Instructions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstructionSpec:
    number: str
    title: tuple[str, str, str]  # kk, ru, en
    text: tuple[str, str, str]
    bodies: tuple[str, ...]


SEED_INSTRUCTIONS = [
    InstructionSpec(
        "2025-11-28/1",
        (
            "Аудандық және ауылдық әкімдердің өкілеттіктерін талдау",
            "Анализ полномочий районных и сельских акимов",
            "Analysis of the powers of district and rural akims",
        ),
        (
            "Үкіметке Мемлекеттік қызмет істері агенттігімен бірлесіп, аудандық және ауылдық әкімдердің "
            "бейінді емес, қайталанатын және жетіспейтін өкілеттіктерін анықтау мақсатында жағдайға "
            "егжей-тегжейлі талдау жүргізу қажет. Бір ай мерзімде оларды түзету, алып тастау немесе "
            "жергілікті мемлекеттік басқару деңгейлері арасында қайта бөлу жөнінде ұсыныстар енгізу керек.",
            "Правительству совместно с Агентством по делам государственной службы следует провести детальный "
            "анализ ситуации с целью выявления непрофильных, дублирующих и недостающих полномочий районных и "
            "сельских акимов. В месячный срок внести предложения по их корректировке, исключению или "
            "перераспределению между уровнями местного государственного управления.",
            "The Government, together with the Agency for Civil Service Affairs, should carry out a "
            "detailed analysis to identify the non-core, duplicated and missing powers of district and "
            "rural akims. Within a month, submit proposals to adjust them, remove them or redistribute "
            "them between the levels of local public administration.",
        ),
        ("government", "acsa"),
    ),
    InstructionSpec(
        "2025-11-28/2",
        (
            "Ауылдық әкімдердің мемлекеттік қызметтегі мәртебесі және әкімдік қызметкерлерін қолдау",
            "Статус сельских акимов в системе государственной службы и поддержка сотрудников акиматов",
            "The status of rural akims in the civil service and support for akimat staff",
        ),
        (
            "Мемлекеттік қызметшілердің санаттарын нақты ажырату қажет. Үкімет Парламентпен, Мемлекеттік "
            "қызмет істері агенттігімен бірлесіп бұл мәселені жан-жақты қарап, бір ай мерзімде өз "
            "пікірлері мен ұсыныстарын ұсынып, тиісті шешімдер қабылдауы керек. Ауылдық әкімдіктер "
            "қызметкерлерін қолдауға ерекше назар аудару қажет.",
            "Надо четко разграничить категории государственных служащих. Правительство совместно с "
            "Парламентом, Агентством по делам государственной службы должны всесторонне рассмотреть данный "
            "вопрос, в месячный срок представить свои соображения и предложения, принять соответствующие "
            "решения. Особое внимание требуется уделить поддержке сотрудников сельских акиматов.",
            "The categories of civil servants must be clearly delineated. The Government, together with "
            "Parliament and the Agency for Civil Service Affairs, must consider this question "
            "comprehensively, present their views and proposals within a month and take the appropriate "
            "decisions. Particular attention must be paid to supporting the staff of rural akimats.",
        ),
        ("government", "parliament", "acsa"),
    ),
    InstructionSpec(
        "2025-11-28/3",
        (
            "Сайлауалды бағдарламаның экономикалық блогына қойылатын талаптар",
            "Требования к экономическому блоку предвыборной программы",
            "Requirements for the economic block of election programs",
        ),
        (
            "Үкіметке әкімдердің сайлауалды бағдарламасының экономикалық блогына қойылатын талаптарды "
            "айқындау қажет. Оны өңірлік даму жоспарымен байланыстырған жөн.",
            "Правительству следует определить требования, предъявляемые к экономическому блоку предвыборной "
            "программы акимов. Ее также целесообразно увязать с планом регионального развития.",
            "The Government should set the requirements for the economic block of akims' election "
            "programs. It is also advisable to tie the program to the regional development plan.",
        ),
        ("government", "mne"),
    ),
    InstructionSpec(
        "2025-11-28/4",
        (
            "Ауылдық әкімдердің мемлекеттік деректер базаларына қолжетімділігі",
            "Доступ сельских акимов к государственным базам данных",
            "Rural akims' access to state databases",
        ),
        (
            "Бүгін әкім Ирина Шишкина ауылдық әкімдердің мемлекеттік деректер базаларына қолжетімділігі "
            "жоқ екені туралы мәселе көтерді. Бұл мәселені шешу керек шығар. Осындай кемшіліктерге "
            "байланысты әкімдер тұрғындардың сауалдарына нақты жауап бере алмайды, ашығын айтқанда, кейбір "
            "жағдайларда дәрменсіз болып қалады. Бұған жол беруге болмайды.",
            "Сегодня аким Ирина Шишкина подняла вопрос, что сельские акимы не имеют доступа к "
            "государственным базам данных. Наверное, надо решить этот вопрос. Из-за таких недостатков "
            "акимы не могут дать конкретные ответы на запросы жителей, откровенно говоря, в некоторых "
            "ситуациях оказываются беспомощными. Этого допускать нельзя.",
            "Today akim Irina Shishkina raised the point that rural akims have no access to state "
            "databases. This question probably has to be solved. Because of such shortcomings akims cannot "
            "give residents concrete answers to their requests and, frankly, in some situations find "
            "themselves helpless. This must not be allowed.",
        ),
        ("government", "mdai"),
    ),
]

TRAINING_INSTRUCTION = InstructionSpec(
    "2025-11-28/5",
    (
        "Мемлекеттік және жергілікті басқару бағдарламасы, өңірлік басқару және көшбасшылық",
        "Программа «Государственное и местное управление», региональное управление и лидерство",
        "The 'State and local administration' program, regional management and leadership",
    ),
    (
        "Сондықтан жоғары оқу орындарында оқытылатын «Мемлекеттік және жергілікті басқару» бағдарламасы "
        "қазіргі заман талаптарына бейімделуі тиіс. Сонымен қатар өңірлік басқару және көшбасшылық "
        "қасиеттерді дамыту сияқты мәселелер тиісті назардан тыс қалып отыр. Бұл істі ең алдымен "
        "Мемлекеттік қызмет істері агенттігі бейінді министрлікпен бірлесіп белсенді қолға алуы керек деп "
        "санаймын.",
        "Поэтому программа «Государственное и местное управление», которая преподается в вузах, должна "
        "быть адаптирована к современным реалиям. Кроме того, остаются без должного внимания такие "
        "вопросы, как региональное управление и развитие лидерских качеств. Считаю, что этим должно "
        "активно заняться, в первую очередь, Агентство по делам государственной службы совместно с "
        "профильным министерством.",
        "Therefore the 'State and local administration' program taught at universities must be adapted to "
        "present-day realities. Besides, questions such as regional management and the development of "
        "leadership qualities are not getting due attention. I believe that the Agency for Civil Service "
        "Affairs, together with the relevant ministry, should take this up actively, first of all.",
    ),
    ("acsa", "mshe"),
)
# The source gives this instruction no deadline; the demo sets the end of 2026.
TRAINING_DEADLINE = date(2026, 12, 31)

DEMO_INSTRUCTION = InstructionSpec(
    "ACSA-2026/11",
    (
        "Бірінші рет сайланған әкімдерге арналған негізгі курс (демо-мысал)",
        "Базовый курс для впервые избранных акимов (демонстрационный пример)",
        "Foundation course for akims elected for the first time (demo example)",
    ),
    (
        "Абай ауданының ауылдық округтері әкімдері Әкімдер мектебінің негізгі курсын аяқтап, облыс оқу "
        "нәтижелері туралы есеп берсін.",
        "Акимам сельских округов Абайского района пройти базовый курс Школы акимов, области отчитаться о "
        "результатах обучения.",
        "The akims of the rural okrugs of Abay district are to complete the foundation course of the "
        "School of Akims; the region is to report on the results.",
    ),
    (),
)
DEMO_DISTRICT = "103200000"
# Days from loading to the example's deadline: the tick reminds a week ahead at most, and a day ahead again.
DEMO_DAYS_LEFT = 5
DEMO_DAYS_LEFT_RANGE = range(2, 8)


def demo_instruction_day(today: date) -> date:
    """The issue day of the demo example: "within a month" of it falls due about `DEMO_DAYS_LEFT` days after
    `today` (2 to 7), so a fresh demo shows the example open, inside the week of reminders, on any day."""
    candidates = [
        day
        for day in (today - timedelta(days=back) for back in range(45))
        if days_left(within_a_month(day), today) in DEMO_DAYS_LEFT_RANGE
    ]
    return min(
        candidates,
        key=lambda day: (abs(days_left(within_a_month(day), today) - DEMO_DAYS_LEFT), -day.toordinal()),
        default=today,
    )


def _issue(
    spec: InstructionSpec,
    *,
    issuer: Body,
    issued_on: date,
    assignees: list,
    deadline: date | None = None,
    within_month: bool = False,
    source: str = DIALOGUE_SOURCE,
) -> Instruction:
    return services.instruction_issue(
        number=spec.number,
        issuer=issuer,
        title_kk=spec.title[0],
        title_ru=spec.title[1],
        title_en=spec.title[2],
        text_kk=spec.text[0],
        text_ru=spec.text[1],
        text_en=spec.text[2],
        issued_on=issued_on,
        assignees=assignees,
        source=source,
        deadline=deadline,
        within_month=within_month,
    )


def ensure_instructions(today: date) -> int:
    if Instruction.objects.filter(number=SEED_INSTRUCTIONS[0].number).exists():
        return 0
    for code, kk, ru, en in BODIES:
        if not Body.objects.filter(code=code).exists():
            services.body_create(code=code, name_kk=kk, name_ru=ru, name_en=en)
    bodies = {b.code: b for b in Body.objects.all()}
    issued = {}
    for spec in SEED_INSTRUCTIONS:
        issued[spec.number] = _issue(
            spec,
            issuer=bodies["head-of-state"],
            issued_on=DIALOGUE_DAY,
            within_month=True,
            assignees=[
                services.AssigneeSpec(kind=AssigneeKind.BODY, body=bodies[code]) for code in spec.bodies
            ],
        )
    issued[TRAINING_INSTRUCTION.number] = _issue(
        TRAINING_INSTRUCTION,
        issuer=bodies["head-of-state"],
        issued_on=DIALOGUE_DAY,
        deadline=TRAINING_DEADLINE,
        assignees=[
            services.AssigneeSpec(kind=AssigneeKind.BODY, body=bodies[code])
            for code in TRAINING_INSTRUCTION.bodies
        ],
    )

    def assignee(number: str, body: str):  # noqa: ANN202
        return issued[number].assignments.get(body__code=body)

    def file(number: str, body: str, when: datetime, text: str, final: bool = True):  # noqa: ANN202
        return services.report_file(assignment=assignee(number, body), text=text, is_final=final, at=when)

    def review(report: object, when: datetime, accept: bool = True, note: str = "") -> None:
        services.report_review(report=report, accept=accept, note=note, at=when)

    # Reports filed by the deadline (29 December 2025).
    p1 = file(
        "2025-11-28/1",
        "acsa",
        _at(2025, 12, 24),
        "Проведён анализ функций районных и сельских акимов; перечни непрофильных, дублирующих и недостающих "
        "полномочий направлены в Правительство.",
    )
    p2 = file(
        "2025-11-28/1",
        "government",
        _at(2025, 12, 26),
        "Внесены предложения по корректировке, исключению и перераспределению полномочий между уровнями "
        "местного государственного управления.",
    )
    s1 = file(
        "2025-11-28/2",
        "acsa",
        _at(2025, 12, 27),
        "Подготовлены предложения по разграничению категорий государственных служащих и статусу сельских "
        "акимов.",
    )
    s2 = file(
        "2025-11-28/2",
        "government",
        _at(2025, 12, 29),
        "Предложения о статусе сельских акимов и мерах поддержки сотрудников сельских акиматов внесены.",
    )
    file(
        "2025-11-28/2",
        "parliament",
        _at(2025, 12, 20),
        "Вопрос включён в план работы рабочей группы Мажилиса по поправкам в закон о местном управлении.",
        final=False,
    )
    e1 = file(
        "2025-11-28/3",
        "government",
        _at(2025, 12, 25),
        "Проект требований к экономическому блоку предвыборной программы разработан.",
    )
    e2 = file(
        "2025-11-28/3",
        "mne",
        _at(2025, 12, 26),
        "Методика оценки стоимости обещаний и источников финансирования подготовлена.",
    )
    for body, when, text in [
        (
            "government",
            _at(2025, 12, 22),
            "Определён перечень баз данных, нужных для ответов на запросы жителей.",
        ),
        (
            "mdai",
            _at(2025, 12, 23),
            "Разрабатывается порядок доступа акиматов сельских округов к базам данных.",
        ),
    ]:
        file("2025-11-28/4", body, when, text, final=False)
    # The first tick after the deadline: whoever has not reported is overdue and escalated once.
    escalate_overdue(today=date(2025, 12, 30), now=_at(2025, 12, 30, 9))
    review(p1, _at(2026, 1, 12))
    review(p2, _at(2026, 1, 12))
    review(s1, _at(2026, 1, 14))
    review(s2, _at(2026, 1, 14))
    review(e2, _at(2026, 1, 9))
    review(e1, _at(2026, 1, 9), accept=False, note="Требования не увязаны с планом регионального развития.")
    e3 = file(
        "2025-11-28/3",
        "government",
        _at(2026, 1, 28),
        "Требования к экономическому блоку увязаны с планами развития областей; проект постановления внесён.",
    )
    review(e3, _at(2026, 2, 5))
    file(
        "2025-11-28/2",
        "parliament",
        _at(2026, 2, 10),
        "Поправки о статусе сельских акимов приняты Мажилисом в первом чтении.",
    )
    file(
        "2025-11-28/4",
        "mdai",
        _at(2026, 3, 16),
        "Пилотный доступ открыт акиматам двух районов; доступ для всех сельских акиматов не обеспечен.",
        final=False,
    )
    file(
        TRAINING_INSTRUCTION.number,
        "acsa",
        _at(2026, 3, 2),
        "В программу Школы акимов и курсы Академии госуправления включены модули регионального управления и "
        "лидерства.",
        final=False,
    )
    file(
        TRAINING_INSTRUCTION.number,
        "mshe",
        _at(2026, 4, 20),
        "Вузам направлены рекомендации по обновлению программы «Государственное и местное управление».",
        final=False,
    )
    _demo_district_instruction(bodies["acsa"], issued_on=demo_instruction_day(today))
    return len(SEED_INSTRUCTIONS) + 2


def _demo_district_instruction(issuer: Body, *, issued_on: date) -> None:
    district = Territory.objects.filter(kato=DEMO_DISTRICT).first()
    if district is None:
        return
    units = list(district.children.filter(has_elected_akim=True).order_by("kato")[:6])
    assignees = [services.AssigneeSpec(kind=AssigneeKind.REGION, territory=district.parent)]
    assignees += [services.AssigneeSpec(kind=AssigneeKind.AKIM, territory=unit) for unit in units]
    _issue(
        DEMO_INSTRUCTION,
        issuer=issuer,
        issued_on=issued_on,
        within_month=True,
        assignees=assignees,
        source="Демонстрационный пример, не из стенограммы",
    )


def run(*, out: TextIO) -> None:
    started = time.monotonic()
    today = timezone.localdate()
    with transaction.atomic():
        courses = ensure_catalogue()
        sessions = ensure_sessions()
        ensure_categories()
        # One generator per part, so a part loaded later (enrolments after the elections) is still the same.
        staff = ensure_staff(random.Random(SEED), today)  # noqa: S311 (demo data, not secrets)
        instructions = ensure_instructions(today)
    with transaction.atomic():
        enrolments = ensure_enrolments(random.Random(SEED + 1), today)  # noqa: S311
    seconds = time.monotonic() - started
    if not Mandate.objects.exists():
        out.write("training demo: no mandates yet (run the elections demo first); enrolments skipped\n")
    if not (courses or sessions or staff or instructions or enrolments):
        out.write("training demo: already loaded\n")
        return
    out.write(
        f"training demo: {courses} courses, {sessions} sessions, {staff} staff positions, {instructions} "
        f"instructions, {enrolments} enrolments in {seconds:.1f} s\n"
    )
