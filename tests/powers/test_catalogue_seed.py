"""The first catalogue of powers, loaded by a data migration from esep/powers/data/powers.csv."""

import csv

import pytest

from esep.powers.models import Power, PowerLevel, PowerStatus, Wording
from esep.powers.seed import COLUMNS, POWERS_CSV, read_powers_csv, seed_powers


@pytest.mark.django_db
def test_the_migration_loaded_every_row_of_the_file() -> None:
    rows = read_powers_csv()
    assert Power.objects.count() == len(rows)
    assert set(Power.objects.values_list("code", flat=True)) == {row["code"] for row in rows}


@pytest.mark.django_db
def test_the_catalogue_has_the_expected_size_per_level() -> None:
    def count(*levels: str) -> int:
        return Power.objects.filter(level__in=levels).count()

    assert 25 <= count(PowerLevel.RURAL) <= 40
    assert 15 <= count(PowerLevel.DISTRICT) <= 25
    assert 8 <= count(PowerLevel.POLICE, PowerLevel.OTHER) <= 12


@pytest.mark.django_db
def test_every_power_passes_the_model_validation() -> None:
    for power in Power.objects.all():
        power.full_clean()
        assert power.text_kk.strip() and power.text_ru.strip() and power.text_en.strip(), power.code


@pytest.mark.django_db
def test_rural_powers_rest_on_article_35_and_district_powers_on_article_31() -> None:
    rural = Power.objects.filter(level=PowerLevel.RURAL)
    assert set(rural.values_list("article", flat=True)) == {"35"}
    assert set(Power.objects.filter(level=PowerLevel.DISTRICT).values_list("article", flat=True)) == {"31"}
    in_force = rural.filter(status=PowerStatus.IN_FORCE)
    assert all(item.startswith("1.") for item in in_force.values_list("item", flat=True))
    # The texts are paraphrases until checked against the official text (see docs/program-format.md).
    assert set(Power.objects.values_list("wording", flat=True)) == {Wording.PARAPHRASE}


@pytest.mark.django_db
def test_the_powers_the_issue_names_are_in_the_catalogue() -> None:
    levels = dict(Power.objects.values_list("code", "level"))
    for code in [
        "governance.appeals",
        "land.relations",
        "housing.stock",
        "roads.maintenance",
        "transport.public",
        "water.supply",
        "landscaping.lighting",
        "landscaping.sanitation",
        "culture.events",
        "sport.mass_sport",
        "cemeteries.maintenance",
        "records.household",
        "social.home_care",
    ]:
        assert levels.get(code) == PowerLevel.RURAL, code
    assert levels["police.patrol"] == PowerLevel.POLICE
    assert (
        Power.objects.filter(level=PowerLevel.OTHER).exclude(body="").count()
        == Power.objects.filter(level=PowerLevel.OTHER).count()
    )


@pytest.mark.django_db
def test_seeding_again_creates_nothing_and_a_new_row_is_added(tmp_path) -> None:
    assert seed_powers(Power) == 0
    extra = tmp_path / "powers.csv"
    with (
        open(POWERS_CSV, encoding="utf-8") as source,
        open(extra, "w", encoding="utf-8", newline="") as target,
    ):
        target.write(source.read())
        csv.DictWriter(target, fieldnames=COLUMNS, lineterminator="\n").writerow(
            {
                **dict.fromkeys(COLUMNS, ""),
                "code": "sport.new_power",
                "level": "rural",
                "sector": "sport",
                "act": "Act",
                "article": "35",
                "status": "proposed",
                "wording": "paraphrase",
                "text_ru": "Новое",
                "text_kk": "Жаңа",
                "text_en": "New",
            }
        )
    assert seed_powers(Power, extra) == 1
    assert "новое" in Power.objects.get(code="sport.new_power").search_text
