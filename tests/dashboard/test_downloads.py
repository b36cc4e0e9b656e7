"""Every figure and list of a dashboard downloads as CSV, XLSX and JSON, with the page's numbers."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from esep.dashboard.datasets import DATASETS


def download(client, world, name: str, fmt: str, level: str = "country"):
    if level == "country":
        url = reverse("dashboard:download_country", args=[name, fmt])
    else:
        kato = world.unit_a.region_code if level == "region" else world.unit_a.district_code
        url = reverse("dashboard:download", args=[kato, name, fmt])
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return response


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


@pytest.mark.parametrize("name", [name for name, dataset in DATASETS.items() if dataset.available()])
@pytest.mark.parametrize("level", ["country", "region", "district"])
def test_every_dataset_downloads_in_every_format(world, client, name, level) -> None:
    rows = csv_rows(download(client, world, name, "csv", level))
    document = json.loads(download(client, world, name, "json", level).content)
    sheet = load_workbook(io.BytesIO(download(client, world, name, "xlsx", level).content)).active
    assert len(rows) - 1 == len(document["rows"]) == sheet.max_row - 1
    assert rows[0] == [column["title"] for column in document["columns"]] == list(next(sheet.values))


def test_the_areas_list_has_a_row_per_region_with_the_map_values(world, client) -> None:
    document = json.loads(download(client, world, "areas", "json").content)
    assert len(document["rows"]) == 20 and document["territory"] == ""
    abay = next(row for row in document["rows"] if row["kato"] == world.unit_a.region_code)
    assert abay["promises_kept"] == 0.25 and abay["requests_registered"] == 3 and abay["akims"] == 2
    response = download(client, world, "areas", "csv", "district")
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="esep-areas-{world.unit_a.district_code}-'
    )
    katos = [row[0] for row in csv_rows(response)[1:]]
    assert world.unit_a.kato in katos and world.unit_a2.kato in katos


def test_the_promise_figures_add_up_to_the_tracked_promises(world, client) -> None:
    document = json.loads(download(client, world, "promises", "json", "region").content)
    by_status = {row["status"]: row for row in document["rows"]}
    assert by_status["kept"]["promises"] == 1 and by_status["kept"]["share"] == 0.25
    assert by_status["all"]["promises"] == 4
    assert sum(by_status[s]["promises"] for s in by_status if s not in {"all", "overdue"}) == 4


def test_request_months_cover_twelve_months_and_sum_to_the_total(world, client) -> None:
    document = json.loads(download(client, world, "request-months", "json").content)
    assert len(document["rows"]) == 12
    assert sum(row["registered"] for row in document["rows"]) == 4


def test_unknown_datasets_formats_and_levels_are_not_found(world, client) -> None:
    assert client.get(reverse("dashboard:download_country", args=["secrets", "csv"])).status_code == 404
    assert client.get(reverse("dashboard:download_country", args=["areas", "pdf"])).status_code == 404
    assert (
        client.get(reverse("dashboard:download", args=[world.unit_a.kato, "areas", "csv"])).status_code == 404
    )
    assert client.get("/dashboard/data/areas.csv.exe").status_code == 404
