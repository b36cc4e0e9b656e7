"""Dashboards of the country, a region and a district; downloads of their figures; the open data page."""

from datetime import date

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from esep.core.access import public
from esep.dashboard import blocks, datasets, exports, package, selectors
from esep.territory.models import Level, Territory

PAGE_SIZE = 50


@public
def country(request: HttpRequest) -> HttpResponse:
    return _dashboard(request, None)


@public
def area(request: HttpRequest, kato: str) -> HttpResponse:
    territory = selectors.area_get(kato)
    if territory.level == Level.UNIT:
        return redirect("territory:detail", territory.kato)
    return _dashboard(request, territory)


def _sort_links(sort: str, keys: list[str]) -> dict[str, dict[str, str]]:
    """For each sortable column, the `?sort=` its header links to and its aria-sort state."""
    links = {}
    for key in keys:
        if sort == key:
            links[key] = {"next": f"-{key}", "state": "ascending"}
        elif sort == f"-{key}":
            links[key] = {"next": key, "state": "descending"}
        else:
            links[key] = {"next": key if key == selectors.SORT_NAME else f"-{key}", "state": ""}
    return links


def _dashboard(request: HttpRequest, territory: Territory | None) -> HttpResponse:
    board = selectors.dashboard(territory, today=timezone.localdate())
    indicator = selectors.indicator_get(request.GET.get("indicator"))
    sort = selectors.valid_sort(request.GET.get("sort"), board.indicators)
    rows = selectors.sort_rows(board.rows, sort)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    has_map = territory is None or territory.level == Level.REGION
    chosen = blocks.picked(board, indicator)
    context = {
        "board": board,
        "territory": territory,
        "indicator": indicator,
        "indicators": board.indicators,
        "sort": sort,
        "sort_links": _sort_links(sort, [selectors.SORT_NAME, *(i.key for i in board.indicators)]),
        "page": page,
        "table_rows": [
            (row, blocks.cells(row, board.indicators, indicator, chosen.colours)) for row in page.object_list
        ],
        "charts": blocks.charts_of(board),
        "has_map": has_map,
        "map_data": blocks.map_data(board, indicator) if has_map else None,
        "legend": chosen.legend,
        "download_names": [name for name, dataset in datasets.DATASETS.items() if dataset.available()],
        "formats": exports.FORMATS,
    }
    return render(request, "dashboard/dashboard.html", context)


def _dataset_response(
    territory: Territory | None, name: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    dataset = datasets.DATASETS.get(name)
    if dataset is None or not dataset.available() or fmt not in exports.FORMATS:
        raise Http404(name)
    today: date = timezone.localdate()
    table = dataset.build(territory, today)
    where = territory.kato if territory is not None else "kz"
    return exports.response(
        table,
        fmt,
        filename=exports.safe_filename("esep", name, where, f"{today:%Y%m%d}"),
        territory=territory.kato if territory is not None else "",
        territory_name=territory.name if territory is not None else "",
        as_of=today.isoformat(),
    )


@public
def download_country(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    return _dataset_response(None, name, fmt)


@public
def download(request: HttpRequest, kato: str, name: str, fmt: str) -> HttpResponse:
    territory = selectors.area_get(kato)
    if territory.level == Level.UNIT:
        raise Http404(kato)
    return _dataset_response(territory, name, fmt)


@public
def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/open_data.html", {"resources": package.resources()})


@public
def open_data_zip(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(package.zip_stream(), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="esep-open-data-{timezone.localdate():%Y%m%d}.zip"'
    )
    return response


@public
def open_data_descriptor(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(package.descriptor_json(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="datapackage.json"'
    return response


@public
def open_data_resource(request: HttpRequest, name: str) -> StreamingHttpResponse:
    resource = package.resource_get(name)
    if resource is None:
        raise Http404(name)
    response = StreamingHttpResponse(package.csv_chunks(resource), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.safe_filename(resource.name)}.csv"'
    return response
