"""The open data package: `esep export DIR`, the zip of the download page, and no personal data in either."""

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from esep.core.iin import mask_iin
from esep.dashboard import package
from esep.elections.models import Person
from tests.dashboard.conftest import GROUNDS
from tests.elections.factories import make_person, new_iin


@pytest.fixture
def exported(world, tmp_path) -> Path:
    out = io.StringIO()
    call_command("export", str(tmp_path / "package"), stdout=out)
    assert "datapackage.json" in out.getvalue()
    return tmp_path / "package"


def test_it_writes_a_csv_per_resource_described_by_datapackage_json(exported) -> None:
    descriptor = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "tabular-data-package"
    names = {resource["name"] for resource in descriptor["resources"]}
    assert {"territories", "mandates", "promises", "request_stats", "training_coverage", "powers"} <= names
    for resource in descriptor["resources"]:
        with (exported / resource["path"]).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        fields = resource["schema"]["fields"]
        assert header == [field["name"] for field in fields], resource["name"]
        assert all(field["type"] and field["description"] for field in fields), resource["name"]
        assert set(resource["schema"].get("primaryKey", [])) <= set(header)


def read(exported: Path, name: str) -> list[dict[str, str]]:
    with (exported / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_resources_hold_the_public_records(world, exported) -> None:
    mandates = {row["unit"]: row for row in read(exported, "mandates") if not row["ended_on"]}
    assert mandates[world.unit_a.kato]["full_name"] == "Ахметов Асқар Серікұлы"
    assert mandates[world.unit_a.kato]["birth_year"] == str(world.akim_a.person.birth_date.year)
    promises = [row for row in read(exported, "promises") if row["program_id"] == str(world.program_a.pk)]
    assert sorted(row["status"] for row in promises) == ["broken", "kept", "not_rated", "not_rated"]
    stats = read(exported, "request_stats")
    assert {row["unit"] for row in stats} == {world.unit_a.kato, world.unit_b.kato}  # units only
    assert sum(int(row["registered"]) for row in stats) == 4
    assert sum(int(row["forwarded"]) for row in stats) == 1
    assert len(read(exported, "territories")) > 15000


def test_no_personal_data_is_in_the_package(world, initiative_b, exported, make_user) -> None:
    iin = new_iin(world.akim_a.person.birth_date)
    person = make_person(full_name="Кандидатов Тест Тестович", iin=iin)
    secret_text = "Мой сосед Ерболат Жумабаев шумит по ночам, телефон 87011234567"
    world.send(world.unit_a, "roads", text=secret_text)
    call_command("export", str(exported), stdout=io.StringIO())
    everything = "\n".join(path.read_text(encoding="utf-8") for path in exported.rglob("*") if path.is_file())
    forbidden = [iin, mask_iin(iin), secret_text, "Ерболат Жумабаев", "87011234567"]
    forbidden += list(Person.objects.values_list("iin_fingerprint", flat=True))
    forbidden += list(Person.objects.values_list("iin_masked", flat=True))
    forbidden += [str(birth) for birth in Person.objects.values_list("birth_date", flat=True)]
    for user in get_user_model().objects.all():
        forbidden += [user.username, user.get_full_name()] if user.get_full_name() else [user.username]
    forbidden += ["Айгүл Сапарова", "Дана Омарова"]  # the resident and the akimat staff of the fixture
    forbidden += [GROUNDS, "Житель Тестовый"]  # a recall initiative's grounds and its initiators
    found = [value for value in forbidden if value and value in everything]
    assert not found, found
    assert person.full_name not in everything  # a person who never stood in an election is not public
    initiatives = read(exported, "recall_initiatives")
    assert [(row["unit"], row["state"]) for row in initiatives] == [(world.unit_b.kato, "filed")]


def test_it_refuses_a_file_as_the_directory(tmp_path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(CommandError):
        call_command("export", str(target), stdout=io.StringIO())


def test_the_download_page_streams_the_same_package_as_a_zip(world, client, exported) -> None:
    response = client.get(reverse("dashboard:open_data_zip"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    descriptor = json.loads(archive.read("datapackage.json"))
    for resource in descriptor["resources"]:
        assert archive.read(resource["path"]) == (exported / resource["path"]).read_bytes(), resource["name"]


def test_the_open_data_page_lists_every_resource_with_its_columns(world, client) -> None:
    response = client.get(reverse("dashboard:open_data"))
    page = response.content.decode()
    assert response.status_code == 200
    for resource in package.resources():
        assert reverse("dashboard:open_data_resource", args=[resource.name]) in page
        assert f"<code>{resource.columns[0].name}</code>" in page
    single = client.get(reverse("dashboard:open_data_resource", args=["parties"]))
    assert single.status_code == 200 and b"".join(single.streaming_content).startswith(b"code,name_kk")
    assert client.get(reverse("dashboard:open_data_resource", args=["users"])).status_code == 404
    descriptor = client.get(reverse("dashboard:open_data_descriptor"))
    assert json.loads(descriptor.content)["name"] == "esep-open-data"
