"""The dashboard's box on the territory pages: on the country, region and district pages, not below."""

from django.urls import reverse

from esep.territory.models import Territory


def test_country_region_and_district_pages_link_their_dashboard(client, unit_a) -> None:
    pages = [
        (reverse("territory:country"), reverse("dashboard:country")),
        (
            reverse("territory:detail", args=[unit_a.region_code]),
            reverse("dashboard:area", args=[unit_a.region_code]),
        ),
        (
            reverse("territory:detail", args=[unit_a.district_code]),
            reverse("dashboard:area", args=[unit_a.district_code]),
        ),
    ]
    for page, dashboard in pages:
        content = client.get(page).content.decode()
        assert "Dashboard and open data" in content, page
        assert f'href="{dashboard}"' in content and reverse("dashboard:open_data") in content


def test_unit_and_settlement_pages_have_no_dashboard_box(client, unit_a) -> None:
    settlement = Territory.objects.settlements().filter(kato__startswith=unit_a.kato[:6]).first()
    for kato in (unit_a.kato, settlement.kato):
        assert (
            "Dashboard and open data"
            not in client.get(reverse("territory:detail", args=[kato])).content.decode()
        )
