"""The default request categories, each tied to powers of the catalogue by code.

`holder` says who holds the power when none of `power_codes` is in the powers catalogue (see routing.py):
what residents ask the rural akim about that belongs to another body is offered for forwarding to it.
Loaded by migration 0002 and kept up to date by `esep appeals categories --load`.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CategorySpec:
    code: str
    group: str
    holder: str
    name_kk: str
    name_ru: str
    name_en: str
    description_en: str
    description_ru: str
    description_kk: str
    power_codes: list[str] = field(default_factory=list)
    forward_body_name: str = ""
    keywords: str = ""


CATEGORIES: list[CategorySpec] = [
    CategorySpec(
        "roads",
        "streets",
        "rural",
        "Жолдар мен көшелер",
        "Дороги и улицы",
        "Roads and streets",
        "Potholes, grading, snow clearing and drainage of streets inside settlements.",
        "Ямы, грейдирование, очистка от снега и водоотвод на улицах населённых пунктов.",
        "Елді мекендер көшелеріндегі шұңқырлар, грейдерлеу, қар тазалау және су бұру.",
        ["roads.maintenance"],
        keywords="road, street, snow, pothole",
    ),
    CategorySpec(
        "water",
        "utilities",
        "rural",
        "Сумен жабдықтау",
        "Водоснабжение",
        "Water supply",
        "No water, broken standpipes and wells, water quality.",
        "Нет воды, неисправные колонки и скважины, качество воды.",
        "Судың болмауы, ақаулы су колонкалары мен ұңғымалар, су сапасы.",
        ["water.supply", "water.networks"],
        keywords="water, well, standpipe",
    ),
    CategorySpec(
        "lighting",
        "streets",
        "rural",
        "Көше жарығы",
        "Уличное освещение",
        "Street lighting",
        "Street lights out or missing.",
        "Не горят или отсутствуют уличные фонари.",
        "Көше шамдары жанбайды немесе мүлде жоқ.",
        ["landscaping.lighting"],
        keywords="light, lamp",
    ),
    CategorySpec(
        "waste",
        "sanitation",
        "rural",
        "Қоқыс шығару",
        "Вывоз мусора",
        "Waste collection",
        "Rubbish not collected, illegal dumps, cleaning of public places.",
        "Не вывозят мусор, стихийные свалки, уборка общественных мест.",
        "Қоқыс шығарылмайды, стихиялық қоқыс үйінділері, қоғамдық орындарды тазалау.",
        ["landscaping.sanitation"],
        keywords="rubbish, dump, garbage",
    ),
    CategorySpec(
        "landscaping",
        "streets",
        "rural",
        "Абаттандыру",
        "Благоустройство",
        "Landscaping and playgrounds",
        "Parks, playgrounds, trees, fences of public places.",
        "Парки, детские площадки, деревья, ограждения общественных мест.",
        "Саябақтар, балалар алаңдары, ағаштар, қоғамдық орындардың қоршаулары.",
        ["landscaping.improvement", "landscaping.public_spaces"],
        keywords="park, playground, trees",
    ),
    CategorySpec(
        "land",
        "land",
        "district",
        "Жер учаскелері",
        "Земельные участки",
        "Land plots",
        "Allocation, boundaries and use of land plots.",
        "Выделение, границы и использование земельных участков.",
        "Жер учаскелерін бөлу, олардың шекаралары және пайдаланылуы.",
        ["land.allocation"],
        keywords="land, plot, cadastre",
    ),
    CategorySpec(
        "housing",
        "housing",
        "district",
        "Тұрғын үй",
        "Жильё",
        "Housing",
        "Housing queue, emergency housing, repair of communal housing.",
        "Очередь на жильё, аварийное жильё, ремонт коммунального жилья.",
        "Тұрғын үй кезегі, апатты тұрғын үй, коммуналдық тұрғын үйді жөндеу.",
        ["housing.waiting_list", "housing.construction"],
        keywords="housing, flat, house",
    ),
    CategorySpec(
        "social",
        "social",
        "rural",
        "Әлеуметтік көмек",
        "Социальная помощь",
        "Social help",
        "Targeted social assistance, help to the elderly, disabled people and large families.",
        "Адресная социальная помощь, помощь пожилым, людям с инвалидностью и многодетным.",
        "Атаулы әлеуметтік көмек, қарттарға, мүгедектігі бар адамдарға және көпбалалы отбасыларға көмек.",
        ["social.low_income", "social.home_care", "social.targeted_aid"],
        keywords="assistance, benefit, pension",
    ),
    CategorySpec(
        "transport",
        "transport",
        "district",
        "Қоғамдық көлік",
        "Общественный транспорт",
        "Public transport",
        "Bus routes and timetables between villages and to the district centre.",
        "Автобусные маршруты и расписание между сёлами и до районного центра.",
        "Ауылдар арасындағы және аудан орталығына дейінгі автобус бағыттары мен кестесі.",
        ["transport.district_routes"],
        keywords="bus, route",
    ),
    CategorySpec(
        "animals",
        "sanitation",
        "rural",
        "Иесіз жануарлар",
        "Безнадзорные животные",
        "Stray animals",
        "Stray dogs and animals in settlements.",
        "Безнадзорные собаки и животные в населённых пунктах.",
        "Елді мекендердегі иесіз иттер мен жануарлар.",
        ["veterinary.assistance"],
        keywords="dogs, animals",
    ),
    CategorySpec(
        "public_order",
        "safety",
        "police",
        "Қоғамдық тәртіп",
        "Общественный порядок",
        "Public order",
        "Disturbances, theft, unsafe driving: matters for the police.",
        "Нарушения порядка, кражи, опасное вождение: вопросы полиции.",
        "Тәртіп бұзу, ұрлық, қауіпті көлік жүргізу: полиция қарайтын мәселелер.",
        ["police.patrol", "police.district_inspector"],
        keywords="police, theft, noise",
    ),
    CategorySpec(
        "tariffs",
        "utilities",
        "other",
        "Коммуналдық тарифтер",
        "Тарифы на коммунальные услуги",
        "Utility tariffs",
        "Prices of electricity, gas, heating and water.",
        "Цены на электроэнергию, газ, отопление и воду.",
        "Электр энергиясы, газ, жылыту және су бағалары.",
        ["utilities.tariffs"],
        forward_body_name="Committee for the Regulation of Natural Monopolies",
        keywords="tariff, price, bill",
    ),
    CategorySpec(
        "schools",
        "education",
        "district",
        "Мектептер мен балабақшалар",
        "Школы и детские сады",
        "Schools and kindergartens",
        "School places, school buses, kindergarten queue.",
        "Места в школах, школьные автобусы, очередь в детский сад.",
        "Мектептердегі орындар, мектеп автобустары, балабақшаға кезек.",
        ["education.schools", "education.preschool"],
        keywords="school, kindergarten",
    ),
    CategorySpec(
        "health",
        "health",
        "region",
        "Денсаулық сақтау",
        "Здравоохранение",
        "Healthcare",
        "Medical posts, ambulance, doctors in the village.",
        "Медпункты, скорая помощь, врачи в селе.",
        "Медициналық пункттер, жедел жәрдем, ауылдағы дәрігерлер.",
        ["health.regional"],
        keywords="doctor, clinic, ambulance",
    ),
    CategorySpec(
        "records",
        "records",
        "rural",
        "Анықтамалар",
        "Справки и похозяйственный учёт",
        "Certificates and household records",
        "Certificates from the household book, residence and family composition.",
        "Справки из похозяйственной книги, о месте жительства и составе семьи.",
        "Үй шаруашылығы кітабынан, тұрғылықты жері және отбасы құрамы туралы анықтамалар.",
        ["records.household"],
        keywords="certificate, household book",
    ),
    CategorySpec(
        "cemeteries",
        "streets",
        "rural",
        "Зираттар",
        "Кладбища",
        "Cemeteries",
        "Upkeep and fencing of cemeteries.",
        "Содержание и ограждение кладбищ.",
        "Зираттарды күтіп-ұстау және қоршау.",
        ["cemeteries.maintenance"],
        keywords="cemetery",
    ),
    CategorySpec(
        "pastures",
        "agriculture",
        "rural",
        "Жайылымдар",
        "Пастбища и скот",
        "Pastures and livestock",
        "Pasture use, cattle drives, veterinary campaigns.",
        "Использование пастбищ, выпас скота, ветеринарные мероприятия.",
        "Жайылымдарды пайдалану, мал жаю, ветеринариялық іс-шаралар.",
        ["agriculture.pastures"],
        keywords="pasture, cattle, livestock",
    ),
]


def category_rows() -> list[dict]:
    """The catalogue as field values for Category rows, in order."""
    return [
        {
            "code": spec.code,
            "group": spec.group,
            "holder": spec.holder,
            "name_kk": spec.name_kk,
            "name_ru": spec.name_ru,
            "name_en": spec.name_en,
            "description_en": spec.description_en,
            "description_ru": spec.description_ru,
            "description_kk": spec.description_kk,
            "power_codes": list(spec.power_codes),
            "forward_body_name": spec.forward_body_name,
            "keywords": spec.keywords,
            "position": index,
        }
        for index, spec in enumerate(CATEGORIES, start=1)
    ]
