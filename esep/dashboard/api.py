"""Dashboard figures in the API: the indicators, every indicator of the areas one level down, and each
dataset of a dashboard (the same tables the CSV, XLSX and JSON downloads give)."""

from datetime import date
from typing import Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from esep.api.access import api_public
from esep.api.pagination import Pages
from esep.dashboard import datasets, selectors
from esep.territory.models import Level, Territory

router = Router(tags=["dashboard"])

KATO_PATTERN = r"^[0-9]{9}$"
DatasetName = Literal[
    "akims",
    "parties",
    "age-groups",
    "promises",
    "money",
    "requests",
    "request-categories",
    "request-months",
    "training",
    "areas",
    "reports",
    "recall",
]


class IndicatorOut(Schema):
    key: str
    label: str
    kind: str
    source: str
    description: str
    higher_is_better: bool


class AreaOut(Schema):
    kato: str
    level: str
    name_kk: str
    name_ru: str
    name_en: str
    akims: int
    promises: int
    values: dict[str, float | None]


class ColumnOut(Schema):
    name: str
    title: str
    type: str


class DatasetOut(Schema):
    name: str
    title: str
    territory: str = Field(description="KATO code, empty for the whole country")
    as_of: date
    columns: list[ColumnOut]
    rows: list[dict[str, Any]]


def _area_or_country(kato: str | None) -> Territory | None:
    if not kato:
        return None
    territory = selectors.area_get(kato)
    if territory.level not in (Level.REGION, Level.DISTRICT):
        raise HttpError(400, _("Give a region or a district, or no territory for the whole country."))
    return territory


@router.get("/dashboard/indicators", response=list[IndicatorOut], summary="Indicators of the dashboard map")
@api_public
def indicator_list(request):
    return [
        IndicatorOut(
            key=indicator.key,
            label=str(indicator.label),
            kind=indicator.kind,
            source=indicator.source,
            description=str(indicator.description),
            higher_is_better=indicator.higher_is_better,
        )
        for indicator in selectors.available_indicators()
    ]


@router.get(
    "/dashboard/areas",
    response=list[AreaOut],
    summary="Every indicator of the regions (no parent), or of the districts or rural units of a parent",
)
@api_public
@paginate(Pages)
def area_list(
    request,
    parent: str | None = Query(None, pattern=KATO_PATTERN, description="a region or district KATO code"),
    sort: str = Query("name", max_length=40, description="name or an indicator key; -key for largest first"),
):
    territory = _area_or_country(parent)
    rows = selectors.area_rows(territory, today=timezone.localdate())
    ordered = selectors.sort_rows(rows, selectors.valid_sort(sort, selectors.available_indicators()))
    return [
        AreaOut(
            kato=row.kato,
            level=row.territory.level,
            name_kk=row.territory.name_kk,
            name_ru=row.territory.name_ru,
            name_en=row.territory.name_en,
            akims=row.akims,
            promises=row.promises,
            values=row.values,
        )
        for row in ordered
    ]


@router.get("/dashboard/datasets/{name}", response=DatasetOut, summary="One dataset of a dashboard")
@api_public
def dataset_detail(
    request,
    name: DatasetName,
    territory: str | None = Query(None, pattern=KATO_PATTERN, description="a region or district KATO code"),
):
    dataset = datasets.DATASETS.get(name)
    if dataset is None or not dataset.available():
        raise HttpError(404, _("This dataset is not available."))
    area = _area_or_country(territory)
    today = timezone.localdate()
    table = dataset.build(area, today)
    names = [column.name for column in table.columns]
    return DatasetOut(
        name=table.name,
        title=str(table.title),
        territory=area.kato if area is not None else "",
        as_of=today,
        columns=[ColumnOut(name=c.name, title=str(c.title), type=c.type) for c in table.columns],
        rows=[dict(zip(names, (_json(cell) for cell in row), strict=True)) for row in table.rows],
    )


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)
