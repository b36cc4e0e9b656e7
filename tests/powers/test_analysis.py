"""The analysis on a hand-made catalogue where the duplicated pairs, the non-core power and the missing
categories are known: exactly those are found, in rank order, with their evidence."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from esep.core.errors import ApplicationError
from esep.powers import analysis, services
from esep.powers.models import PairVerdict

from .conftest import LIGHTING_PAIR, PATROL_PAIR


def pairs(result: analysis.Analysis) -> list[tuple[str, str]]:
    return [(pair.first.code, pair.second.code) for pair in result.duplicates]


@pytest.mark.django_db
def test_it_finds_exactly_the_known_duplicate_pairs_ranked_by_score(catalogue) -> None:
    result = analysis.analyse()
    assert pairs(result) == [LIGHTING_PAIR, PATROL_PAIR]
    lighting, patrol = result.duplicates
    assert lighting.score > patrol.score >= analysis.DEFAULT_THRESHOLD
    assert lighting.score == pytest.approx((lighting.score_ru + lighting.score_kk) / 2)
    assert "фонарей" in lighting.shared_ru and "шамдарды" in lighting.shared_kk
    assert {lighting.first.level, lighting.second.level} == {"rural", "district"}


@pytest.mark.django_db
def test_powers_of_the_same_level_are_never_a_pair_however_similar(catalogue) -> None:
    result = analysis.analyse(analysis.Params(threshold=0.05))
    assert ("landscaping.lamp_posts", "landscaping.lighting") not in pairs(result)
    assert all(pair.first.level != pair.second.level for pair in result.duplicates)
    # The two texts are in fact close: only the level keeps them apart.
    texts = analysis.catalogue_texts()
    by_code = {text.code: text for text in texts}
    score, _ru, _kk = analysis.pair_scores(
        by_code["landscaping.lamp_posts"], by_code["landscaping.lighting"], texts
    )
    assert score > analysis.DEFAULT_THRESHOLD


@pytest.mark.django_db
def test_a_lower_threshold_brings_in_the_next_pair_and_a_higher_one_keeps_the_best(catalogue) -> None:
    assert pairs(analysis.analyse(analysis.Params(threshold=0.45))) == [
        LIGHTING_PAIR,
        PATROL_PAIR,
        ("landscaping.district_lighting", "landscaping.lamp_posts"),
    ]
    assert pairs(analysis.analyse(analysis.Params(threshold=0.8))) == [LIGHTING_PAIR]


@pytest.mark.django_db
def test_verdicts_survive_a_new_run_and_go_stale_when_a_text_changes(catalogue, analyst) -> None:
    services.duplicate_review(
        actor=analyst,
        first_code=PATROL_PAIR[1],
        second_code=PATROL_PAIR[0],
        verdict="confirmed",
        comment="Same",
    )
    services.duplicate_review(
        actor=analyst, first_code=LIGHTING_PAIR[0], second_code=LIGHTING_PAIR[1], verdict="dismissed"
    )
    lighting, patrol = analysis.analyse().duplicates
    assert (patrol.verdict, patrol.verdict_comment, patrol.stale) == (PairVerdict.CONFIRMED, "Same", False)
    assert lighting.verdict == PairVerdict.DISMISSED
    services.power_update(
        actor=analyst,
        power=catalogue["police.patrol"],
        text_ru="Охрана общественного порядка, в том числе вместе с добровольными дружинами.",
    )
    patrol = analysis.analyse().duplicates[1]
    assert patrol.key == "duplicate:police.patrol|public_order.patrols"
    assert patrol.verdict == PairVerdict.CONFIRMED and patrol.stale


@pytest.mark.django_db
def test_a_second_verdict_replaces_the_first(catalogue, analyst) -> None:
    for verdict in ("confirmed", "dismissed"):
        services.duplicate_review(
            actor=analyst, first_code=LIGHTING_PAIR[0], second_code=LIGHTING_PAIR[1], verdict=verdict
        )
    assert analysis.analyse().duplicates[0].verdict == "dismissed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("landscaping.lighting", "landscaping.lamp_posts", "two different levels"),
        ("landscaping.lighting", "nothing.here", "must be in the catalogue"),
        ("landscaping.lighting", "landscaping.lighting", "must be in the catalogue"),
    ],
)
def test_a_verdict_needs_two_powers_of_different_levels(catalogue, analyst, first, second, message) -> None:
    with pytest.raises(ApplicationError, match=message):
        services.duplicate_review(actor=analyst, first_code=first, second_code=second, verdict="confirmed")


@pytest.mark.django_db
def test_non_core_powers_are_rural_powers_in_a_sector_owned_elsewhere(catalogue, analyst) -> None:
    result = analysis.analyse()
    assert [finding.power.code for finding in result.non_core_powers] == ["public_order.patrols"]
    finding = result.non_core_powers[0]
    assert finding.owner_level == "police"
    assert [(power.code, round(score, 2)) for power, score in finding.owner_powers] == [
        ("police.patrol", round(result.duplicates[1].score, 2))
    ]
    # The mapping is data: give landscaping to the district and the rural lighting powers turn non-core.
    services.sector_owner_set(actor=analyst, sector="landscaping", level="district")
    codes = [finding.power.code for finding in analysis.analyse().non_core_powers]
    assert codes == ["landscaping.lamp_posts", "landscaping.lighting", "public_order.patrols"]
    services.sector_owner_clear(actor=analyst, sector="public_order")
    assert "public_order.patrols" not in [f.power.code for f in analysis.analyse().non_core_powers]


@pytest.mark.django_db
def test_categories_mostly_forwarded_are_found_with_counts_by_region(requests_made, unit_a, unit_b) -> None:
    result = analysis.analyse()
    assert (result.registered, result.forwarded) == (19, 9)
    found = {stats.code: stats for stats in result.forwarded_categories}
    assert [stats.code for stats in result.forwarded_categories] == ["public_order", "tariffs", "land"]
    land = found["land"]
    assert (land.registered, land.forwarded, land.share) == (8, 6, 0.75)
    assert [(r.kato, r.registered, r.forwarded) for r in land.by_region] == [
        (unit_a.region_code, 5, 4),
        (unit_b.region_code, 3, 2),
    ]
    assert land.holder == "district" and land.rural_power_codes == []
    assert "roads" not in found  # answered by the akim, never forwarded


@pytest.mark.django_db
def test_missing_powers_need_volume_no_rural_power_and_forwarding(requests_made) -> None:
    result = analysis.analyse(analysis.Params(min_volume_share=0.1))
    # tariffs: forwarded always, but 1 request of 19 is under 10%; roads: a rural power and no forwarding.
    assert [stats.code for stats in result.missing] == ["land", "public_order"]
    assert result.missing[1].unknown_power_codes == ["police.district_inspector"]
    assert [stats.code for stats in analysis.analyse(analysis.Params(min_volume_share=0.5)).missing] == []
    assert [s.code for s in analysis.analyse(analysis.Params(min_volume_share=0.05)).missing] == [
        "land",
        "public_order",
        "tariffs",
    ]


@pytest.mark.django_db
def test_a_category_the_akim_holds_a_power_for_is_never_missing(
    requests_made, analyst, make_requests, unit_a
) -> None:
    make_requests("roads", unit_a, 10, 10)  # roads now mostly forwarded, yet roads.maintenance is rural
    result = analysis.analyse()
    assert "roads" in [stats.code for stats in result.forwarded_categories]
    assert "roads" not in [stats.code for stats in result.missing]


@pytest.mark.django_db
def test_requests_outside_the_period_do_not_count(requests_made) -> None:
    today = timezone.localdate()
    later = analysis.analyse(analysis.Params(today=today.replace(year=today.year + 2, day=1)))
    assert later.registered == 0 and later.forwarded_categories == [] and later.missing == []


@pytest.mark.django_db
def test_the_analysis_reads_a_fixed_number_of_queries(requests_made, make_requests, unit_b) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            analysis.analyse()
        return len(queries)

    before = count()
    make_requests("housing", unit_b, 3, 2)
    assert count() == before <= 7


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["threshold", "forward_share", "min_volume_share"])
def test_parameters_out_of_range_are_refused(catalogue, name) -> None:
    with pytest.raises(ApplicationError, match=name):
        analysis.analyse(analysis.Params(**{name: 1.5}))
    with pytest.raises(ApplicationError, match="months"):
        analysis.analyse(analysis.Params(months=0))


@pytest.mark.django_db
def test_the_json_form_carries_the_keys_proposals_are_made_from(requests_made) -> None:
    body = analysis.analyse(analysis.Params(min_volume_share=0.1)).to_json()
    assert [pair["key"] for pair in body["duplicates"]] == [
        "duplicate:landscaping.district_lighting|landscaping.lighting",
        "duplicate:police.patrol|public_order.patrols",
    ]
    assert [item["key"] for item in body["missing"]] == ["missing:land", "missing:public_order"]
    assert body["non_core_powers"][0]["key"] == "non_core_power:public_order.patrols"
    assert body["non_core_categories"][0]["key"] == "non_core_category:public_order"
    assert body["missing"][0]["by_region"][0]["forwarded_share"] == 0.8
