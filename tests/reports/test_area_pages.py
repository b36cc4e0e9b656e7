"""Timeliness pages and sections of the district, region and country, and the overdue lists: read from the
summary table, fixed query counts, overdue in red."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from esep.reports.stats import stats_rebuild
from esep.territory.models import Territory
from tests.reports.factories import akim_with_program, published_report


def count_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


@pytest.fixture
def district_and_region(unit_a) -> tuple[Territory, Territory]:
    return Territory.objects.get(kato=unit_a.district_code), Territory.objects.get(kato=unit_a.region_code)


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_units(
    client, reference, unit_a, unit_a2, unit_b, district_and_region
) -> None:
    district, region = district_and_region
    urls = [
        "/reports/",
        f"/reports/in/{region.kato}/",
        f"/reports/in/{district.kato}/",
        "/reports/overdue/",
        f"/reports/overdue/{district.kato}/",
        f"/t/{district.kato}/",
        f"/t/{region.kato}/",
        "/",
        f"/t/{unit_a.kato}/",
    ]
    akim_with_program(unit_a, due_in_days=-3)
    stats_rebuild([unit_a.pk], today=timezone.localdate())
    one = [count_queries(client, url)[0] for url in urls]
    akim_with_program(unit_a2, due_in_days=-40)
    published_report(akim_with_program(unit_b, due_in_days=5))
    stats_rebuild([unit_a2.pk, unit_b.pk], today=timezone.localdate())
    three = [count_queries(client, url)[0] for url in urls]
    assert one == three


@pytest.mark.django_db
def test_the_district_lists_its_units_with_overdue_ones_in_red(
    client, reference, unit_a, unit_a2, district_and_region
) -> None:
    district, region = district_and_region
    akim_with_program(unit_a, due_in_days=-3)
    published_report(akim_with_program(unit_a2, due_in_days=4))
    stats_rebuild([unit_a.pk, unit_a2.pk], today=timezone.localdate())
    _count, page = count_queries(client, f"/reports/in/{district.kato}/")
    assert page.count('class="overdue-row"') == 1 and "overdue since" in page
    assert "50%" in page  # one of the two reports due is on time
    _count, section = count_queries(client, f"/t/{district.kato}/")
    assert "Reports to residents: timeliness" in section and section.count('class="overdue-row"') == 1
    _count, region_page = count_queries(client, f"/reports/in/{region.kato}/")
    assert district.name in region_page and 'class="overdue-row"' in region_page


@pytest.mark.django_db
def test_the_overdue_list_names_the_units_and_days(client, reference, unit_a, unit_a2) -> None:
    akim_with_program(unit_a, due_in_days=-12)
    akim_with_program(unit_a2, due_in_days=30)
    stats_rebuild([unit_a.pk, unit_a2.pk], today=timezone.localdate())
    _count, page = count_queries(client, "/reports/overdue/")
    assert unit_a.name in page and unit_a2.name not in page
    assert '<td class="num">12</td>' in page


@pytest.mark.django_db
def test_the_unit_section_shows_overdue_in_red(client, reference, unit_a) -> None:
    akim_with_program(unit_a, due_in_days=-2)
    stats_rebuild([unit_a.pk], today=timezone.localdate())
    _count, page = count_queries(client, f"/t/{unit_a.kato}/")
    assert (
        'class="figure overdue" data-testid="report-overdue"' in page and "report overdue by 2 days" in page
    )


@pytest.mark.parametrize(
    "url", ["/reports/in/103230001/", "/reports/in/103230000/", "/reports/overdue/999999999/"]
)
@pytest.mark.django_db
def test_only_districts_and_regions_have_timeliness_pages(client, url) -> None:
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_writers_page_lists_their_units_and_the_questions_to_answer(
    client, mandate, akim, resident
) -> None:
    from esep.reports.services import question_ask

    report = published_report(mandate, actor=akim)
    question_ask(report=report, user=resident, text="Когда откроют новую остановку?")
    client.force_login(akim)
    _count, page = count_queries(client, "/reports/mine/")
    assert mandate.rural_unit.name in page and "Когда откроют новую остановку?" in page
    client.force_login(resident)
    assert client.get("/reports/mine/").status_code == 403
