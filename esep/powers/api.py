from ninja import Query, Router, Schema
from ninja.pagination import paginate

from esep.api.access import api_public
from esep.api.pagination import Pages
from esep.powers import selectors
from esep.powers.models import PowerLevel, PowerStatus, Sector

router = Router(tags=["powers"])


class PowerOut(Schema):
    code: str
    level: str
    body: str
    sector: str
    status: str
    text_kk: str
    text_ru: str
    text_en: str
    act: str
    article: str
    item: str
    wording: str


@router.get("/powers", response=list[PowerOut], summary="The catalogue of powers by level")
@api_public
@paginate(Pages)
def power_list(
    request,
    level: PowerLevel | None = None,
    sector: Sector | None = None,
    status: PowerStatus | None = None,
    q: str = Query("", max_length=100),
):
    return selectors.power_list(level=level, sector=sector, status=status, query=q)
