from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from esep.api.access import api_public
from esep.api.pagination import Pages
from esep.territory import selectors
from esep.territory.models import Level, Territory

router = Router(tags=["territory"])


class TerritoryOut(Schema):
    kato: str
    level: str
    kind: str
    name_kk: str
    name_ru: str
    name_en: str
    parent: str | None = Field(None, alias="parent.kato")
    has_elected_akim: bool
    voters: int | None
    population: int | None


@router.get("/territories", response=list[TerritoryOut], summary="List or search territories")
@api_public
@paginate(Pages)
def territory_list(
    request,
    level: Level | None = None,
    parent: str | None = Query(None, pattern=r"^[0-9]{9}$"),
    q: str | None = Query(None, min_length=2, max_length=100),
    elected: bool | None = None,
):
    territories = selectors.search(q) if q else Territory.objects.select_related("parent").order_by("kato")
    if level:
        territories = territories.filter(level=level)
    if parent:
        territories = territories.filter(parent__kato=parent)
    if elected is not None:
        territories = territories.filter(has_elected_akim=elected)
    return territories


@router.get("/territories/{kato}", response=TerritoryOut, summary="One territory by KATO code")
@api_public
def territory_detail(request, kato: str):
    return get_object_or_404(Territory.objects.select_related("parent"), kato=kato)
