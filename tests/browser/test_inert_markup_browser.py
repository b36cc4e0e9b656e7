"""Markup typed into text fields stays text: no script runs when residents, akims or staff read it."""

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page

from esep.appeals.models import Category
from esep.appeals.services import appeal_register
from esep.core.models import Role
from esep.territory.models import Territory
from tests.conftest import UNIT_A
from tests.elections.factories import make_person, make_sitting_akim

PAYLOAD = '<script>alert("s")</script><img src=x onerror=alert("i")><svg onload=alert("v")>"\'><b>bold</b>'


@pytest.mark.usefixtures("territory")
def test_markup_in_names_requests_and_search_is_inert(live_server, page: Page, make_user) -> None:
    unit = Territory.objects.get(kato=UNIT_A)
    mandate = make_sitting_akim(unit, person=make_person(full_name="Akim " + PAYLOAD))
    resident = make_user(Role.RESIDENT, unit, username="resident.xss")
    staff = make_user(Role.AKIMAT_STAFF, unit, username="staff.xss")
    category = Category.objects.filter(active=True).order_by("position").first()
    appeal = appeal_register(unit=unit, category=category, text="Help " + PAYLOAD, resident=resident)

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    urls = [
        f"/t/{UNIT_A}/",
        reverse("elections:person", args=[mandate.person_id]),
        reverse("territory:search") + "?q=" + PAYLOAD,
        f"/open311/v2/requests/{appeal.number}.json",
    ]
    for url in urls:
        page.goto(live_server.url + url)
        assert page.locator("b", has_text="bold").count() == 0, url  # shown as text, not as markup
    page.goto(live_server.url + urls[1])
    assert "<b>bold</b>" in page.inner_text("main")
    # The resident's own request page and the staff inbox, signed in through the session cookie.
    signed_in = [
        (resident, reverse("appeals:detail", args=[appeal.number])),
        (staff, reverse("appeals:inbox")),
    ]
    for user, url in signed_in:
        client = Client()
        client.force_login(user)
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
        page.goto(live_server.url + url)
        assert page.locator("b", has_text="bold").count() == 0, url
    page.goto(live_server.url + signed_in[0][1])
    assert "<b>bold</b>" in page.inner_text("main")
    assert dialogs == []
