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

    assert 35 <= count(PowerLevel.RURAL) <= 50
    assert 25 <= count(PowerLevel.DISTRICT) <= 35
    assert 12 <= count(PowerLevel.REGION) <= 20
    assert 14 <= count(PowerLevel.POLICE, PowerLevel.OTHER) <= 20


@pytest.mark.django_db
def test_every_power_passes_the_model_validation() -> None:
    for power in Power.objects.all():
        power.full_clean()
        assert power.text_kk.strip() and power.text_ru.strip() and power.text_en.strip(), power.code


@pytest.mark.django_db
def test_powers_of_the_law_on_local_administration_rest_on_its_articles_35_31_and_27() -> None:
    law = Power.objects.filter(act__contains="О местном государственном управлении")
    for level, article in [("rural", "35"), ("district", "31"), ("region", "27")]:
        assert set(law.filter(level=level).values_list("article", flat=True)) == {article}, level
    # Functions of other bodies that rural akims carry rest on those bodies' laws, without an invented item.
    borrowed = Power.objects.filter(level=PowerLevel.RURAL).exclude(act__contains="О местном государственном")
    assert borrowed.count() >= 6 and set(borrowed.values_list("item", flat=True)) == {""}
    in_force = law.filter(level=PowerLevel.RURAL, status=PowerStatus.IN_FORCE).exclude(item="")
    assert all(item.startswith("1.") for item in in_force.values_list("item", flat=True))
    # The texts are paraphrases until checked against the official text (see docs/program-format.md).
    assert set(Power.objects.values_list("wording", flat=True)) == {Wording.PARAPHRASE}
    # Only the items checked against a published text are marked so.
    checked = set(Power.objects.filter(basis_checked=True).values_list("code", flat=True))
    assert {"governance.appeals", "finance.district_budget", "finance.regional_budget"} <= checked
    assert "roads.maintenance" not in checked


@pytest.mark.django_db
def test_the_powers_the_mazhilis_is_considering_are_proposed() -> None:
    for code in ["trade.street_trade", "landscaping.public_spaces", "utilities.special_equipment"]:
        power = Power.objects.get(code=code)
        assert (power.level, power.status) == (PowerLevel.RURAL, PowerStatus.PROPOSED)


@pytest.mark.django_db
def test_the_owners_of_sectors_are_loaded() -> None:
    from esep.powers.models import SectorOwner

    owners = dict(SectorOwner.objects.values_list("sector", "level"))
    assert owners["public_order"] == "police" and owners["education"] == "district"
    assert "roads" not in owners


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
