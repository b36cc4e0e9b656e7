"""The powers pages: analysis with side-by-side pairs, verdicts, proposals, exports; who may do what."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from esep.appeals.models import Category
from esep.core.models import Role
from esep.powers import services
from esep.powers.models import DuplicatePairReview, Power, Proposal
from esep.territory.models import Territory

from .conftest import LIGHTING_PAIR

ANALYSIS = reverse("powers:analysis")


@pytest.mark.django_db
def test_the_analysis_page_shows_the_three_findings_to_anyone(client, requests_made) -> None:
    response = client.get(ANALYSIS, {"min_volume_share": "0.1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert [(p.first.code, p.second.code) for p in response.context["pairs"]][0] == LIGHTING_PAIR
    assert 'class="pair-sides"' in html and "Организует уличное освещение в сёлах" in html
    assert "0.82" in html  # the score, shown beside the pair
    assert 'id="non-core"' in html and "public_order.patrols" in html
    assert 'id="missing"' in html and [s.code for s in response.context["result"].missing] == [
        "land",
        "public_order",
    ]
    assert "Confirm" not in html and "Propose" not in html  # no actions for an anonymous reader


@pytest.mark.django_db
def test_bad_parameters_fall_back_to_the_defaults_with_the_errors_shown(client, catalogue) -> None:
    response = client.get(ANALYSIS, {"threshold": "abc", "months": "0"})
    assert response.status_code == 200
    assert response.context["result"].params.threshold == 0.5
    assert response.context["form"].errors.keys() == {"threshold", "months"}


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_whatever_the_data(
    client, analyst, requests_made, make_requests, unit_b
):
    client.force_login(analyst)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ANALYSIS).status_code == 200
        return len(queries)

    before = count()
    make_requests("housing", unit_b, 4, 3)
    services.proposal_create(actor=analyst, finding_key="missing:land", kind="add", rationale="Plots.")
    services.duplicate_review(
        actor=analyst, first_code=LIGHTING_PAIR[0], second_code=LIGHTING_PAIR[1], verdict="dismissed"
    )
    assert count() == before


@pytest.mark.django_db
def test_an_analyst_confirms_a_pair_in_place_with_htmx(client, analyst, catalogue) -> None:
    client.force_login(analyst)
    response = client.post(
        reverse("powers:review"),
        {
            "first": LIGHTING_PAIR[1],
            "second": LIGHTING_PAIR[0],
            "verdict": "confirmed",
            "comment": "Same job",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "confirmed duplicate" in html and "Same job" in html
    review = DuplicatePairReview.objects.get()
    assert (review.first_code, review.second_code, review.reviewed_by) == (*LIGHTING_PAIR, analyst)


@pytest.mark.django_db
def test_only_a_national_analyst_may_give_a_verdict(client, resident, regional_analyst, catalogue) -> None:
    data = {"first": LIGHTING_PAIR[0], "second": LIGHTING_PAIR[1], "verdict": "confirmed"}
    assert client.post(reverse("powers:review"), data).status_code == 302  # to the login page
    for user in (resident, regional_analyst):
        client.force_login(user)
        assert client.post(reverse("powers:review"), data).status_code == 403
    assert not DuplicatePairReview.objects.exists()


@pytest.mark.django_db
def test_a_bad_verdict_is_a_400_not_an_error(client, analyst, catalogue) -> None:
    client.force_login(analyst)
    response = client.post(
        reverse("powers:review"), {"first": "landscaping.lighting", "second": "x.y", "verdict": "confirmed"}
    )
    assert response.status_code == 400 and b"must be in the catalogue" in response.content
    assert client.post(reverse("powers:review"), {"verdict": "maybe"}).status_code == 400


@pytest.mark.django_db
def test_an_analyst_adds_and_edits_a_power_and_changes_its_status(client, analyst) -> None:
    client.force_login(analyst)
    data = {
        "code": "sport.village_games",
        "level": "rural",
        "sector": "sport",
        "status": "proposed",
        "text_kk": "Ауылдық ойындар.",
        "text_ru": "Сельские игры.",
        "act": "Test act",
        "wording": "paraphrase",
    }
    assert client.post(reverse("powers:create"), data).status_code == 302
    power = Power.objects.get(code="sport.village_games")
    assert power.status == "proposed" and "сельские" in power.search_text
    response = client.post(
        reverse("powers:edit", args=[power.code]), {**data, "text_ru": "Сельские игры летом."}
    )
    assert response.status_code == 302
    power.refresh_from_db()
    assert power.text_ru == "Сельские игры летом."
    assert client.post(reverse("powers:status", args=[power.code]), {"status": "in_force"}).status_code == 302
    power.refresh_from_db()
    assert power.status == "in_force"


@pytest.mark.django_db
def test_a_form_with_errors_answers_400_with_the_field_errors(client, analyst) -> None:
    client.force_login(analyst)
    response = client.post(reverse("powers:create"), {"code": "Bad Code", "level": "moon"})
    assert response.status_code == 400
    assert {"code", "level", "sector", "text_ru"} <= set(response.context["form"].errors)
    response = client.post(
        reverse("powers:create"),
        {
            "code": "roads.maintenance",
            "level": "rural",
            "sector": "roads",
            "status": "in_force",
            "text_kk": "a",
            "text_ru": "b",
            "act": "c",
            "wording": "paraphrase",
        },
    )
    assert response.status_code == 400 and "exists already" in response.content.decode()


@pytest.mark.django_db
def test_the_import_page_lists_errors_by_line_and_writes_nothing(client, analyst) -> None:
    client.force_login(analyst)
    content = "code,level,body,sector,act,article,item,status,wording,text_ru,text_kk,text_en\n"
    content += "sport.x,moon,,sport,Act,,,in_force,paraphrase,Текст,Мәтін,Text\n"
    upload = SimpleUploadedFile("powers.csv", content.encode(), content_type="text/csv")
    response = client.post(reverse("powers:import"), {"file": upload})
    assert response.status_code == 400
    assert "powers.csv: line 2, field level" in response.content.decode()
    assert not Power.objects.filter(code="sport.x").exists()


@pytest.mark.django_db
def test_the_catalogue_downloads_are_open_data(client) -> None:
    response = client.get(reverse("powers:export_xlsx"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == Power.objects.count() + 1
    csv_text = client.get(reverse("powers:export_csv")).content.decode()
    assert csv_text.startswith("code,level,body,sector") and "roads.maintenance" in csv_text


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["create", "import", "proposals", "proposals_xlsx", "proposals_report"])
def test_analyst_pages_refuse_other_people(client, make_user, unit_a, name) -> None:
    url = reverse(f"powers:{name}")
    assert client.get(url).status_code == 302
    client.force_login(make_user(Role.AKIM, unit_a))
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_a_proposal_is_made_from_a_finding_then_accepted_on_its_page(client, analyst, requests_made) -> None:
    client.force_login(analyst)
    url = reverse("powers:proposal_create") + "?finding=missing:land"
    page = client.get(url)
    assert page.status_code == 200 and "Land plots" in page.content.decode()  # the page's language
    response = client.post(url, {"kind": "add", "target_level": "rural", "rationale": "Small plots locally."})
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "powers:proposal", args=[proposal.pk]
    )
    detail = client.get(response["Location"]).content.decode()
    assert "Small plots locally." in detail and "By region" in detail
    bad = client.post(
        reverse("powers:proposal_decide", args=[proposal.pk]), {"decision": "accept", "comment": ""}
    )
    assert bad.status_code == 400
    done = client.post(
        reverse("powers:proposal_decide", args=[proposal.pk]), {"decision": "accept", "comment": "Yes"}
    )
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    report = client.get(reverse("powers:proposals_report")).content.decode()
    assert "Small plots locally." in report and "land" in report
    xlsx = client.get(reverse("powers:proposals_xlsx"))
    assert load_workbook(io.BytesIO(xlsx.content)).worksheets[0].max_row == 2


@pytest.mark.django_db
def test_an_unknown_finding_sends_back_to_the_analysis(client, analyst, catalogue) -> None:
    client.force_login(analyst)
    response = client.get(reverse("powers:proposal_create") + "?finding=duplicate:x.y|z.w")
    assert response.status_code == 302 and response["Location"] == ANALYSIS


@pytest.mark.django_db
def test_the_proposals_list_paginates_at_a_fixed_query_count(client, analyst, requests_made) -> None:
    client.force_login(analyst)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("powers:proposals")).status_code == 200
        return len(queries)

    services.proposal_create(actor=analyst, finding_key="missing:land", kind="add", rationale="One.")
    before = count()
    for code in ["public_order", "tariffs", "land"]:
        services.proposal_create(
            actor=analyst,
            finding_key=f"non_core_category:{code}",
            kind="add",
            target_level="district",
            rationale="x",
        )
    assert count() == before
    response = client.get(reverse("powers:proposals"), {"status": "proposed", "level": "district"})
    assert response.context["page"].paginator.count == 3


@pytest.mark.django_db
def test_a_proposal_shows_its_frozen_evidence_in_the_readers_language(
    client, analyst, requests_made, unit_a
) -> None:
    with translation.override("ru"):
        proposal = services.proposal_create(
            actor=analyst, finding_key="missing:land", kind="add", rationale="Plots."
        )
    region = Territory.objects.get(kato=unit_a.region_code)
    category = Category.objects.get(code="land")
    client.force_login(analyst)
    client.cookies["esep_language"] = "en"
    page = client.get(reverse("powers:proposal", args=[proposal.pk])).content.decode()
    assert region.name_en in page and region.name_ru not in page
    assert category.name_en in page and category.name_ru not in page
