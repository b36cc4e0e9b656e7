"""The program editor: htmx rows, the live check beside the form, and publishing refused while errors remain.
Access: the owner (the akim) and a colleague (akimat staff of the unit) may draft; the akim of the next unit
and a resident may not."""

import re

import pytest
from django.utils import timezone

from esep.programs.models import Program, ProgramStatus
from esep.programs.services import program_amend, program_save_draft
from tests.programs.factories import PLAN_ITEM, draft_program, failing_draft, published_program

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def form_data(rows: list[dict]) -> dict:
    """POST data of the editor for promise rows {key, title, cost, lines: [(source, year, amount, item)]}."""
    data: dict = {"summary": "Roads and light.", "promise": [row["key"] for row in rows]}
    for row in rows:
        key = row["key"]
        data.update(
            {
                f"{key}-title": row.get("title", f"Promise {key}"),
                f"{key}-sector": "roads",
                f"{key}-power": row.get("power", "roads.maintenance"),
                f"{key}-indicator_name": "km repaired",
                f"{key}-indicator_unit": "km",
                f"{key}-indicator_baseline": "0",
                f"{key}-indicator_target": "3",
                f"{key}-deadline": (timezone.localdate().replace(day=1)).isoformat(),
                f"{key}-cost_kzt": str(row.get("cost", 1_000_000)),
                f"{key}-line": [f"f{n}" for n in range(len(row.get("lines", [])))],
            }
        )
        for n, (source, year, amount, item) in enumerate(row.get("lines", [])):
            data.update(
                {
                    f"{key}-f{n}-source": source,
                    f"{key}-f{n}-year": str(year),
                    f"{key}-f{n}-amount_kzt": str(amount),
                    f"{key}-f{n}-plan_item": item,
                }
            )
    return data


def year() -> int:
    return timezone.localdate().year


@pytest.fixture
def draft(akim_a) -> Program:
    return draft_program(akim_a, promises=1)


@pytest.mark.django_db
def test_the_editor_offers_the_rural_powers_the_plan_items_and_the_budget(client, owner, draft) -> None:
    client.force_login(owner)
    page = client.get(f"/programs/{draft.pk}/edit/", **EN).content.decode()
    assert 'name="promise" value="P1"' in page
    assert '<option value="roads.maintenance" selected>' in page
    assert 'value="roads.district_network"' not in page  # a district's power is not offered
    assert f'<option value="{PLAN_ITEM}">' in page
    assert "100 000 000" in page  # the unit's forecast
    assert f'hx-post="/programs/{draft.pk}/edit/check/"' in page
    assert 'hx-trigger="change delay:500ms"' in page


@pytest.mark.django_db
def test_the_opened_editor_shows_the_check_of_the_saved_draft(client, owner, draft) -> None:
    client.force_login(owner)
    page = client.get(f"/programs/{draft.pk}/edit/", **EN).content.decode()
    assert "No errors" in page  # a clean saved draft may be published at once, without touching a field
    assert re.search(r'data-testid="publish"\s*>', page) and not re.search(
        r'data-testid="publish"\s+disabled', page
    )
    program_save_draft(program=draft, promises=[failing_draft()], actor=owner)
    page = client.get(f"/programs/{draft.pk}/edit/", **EN).content.decode()
    assert "FUNDING_MISSING" in page
    assert re.search(r'data-testid="publish"\s+disabled', page)


@pytest.mark.django_db
def test_the_row_endpoints_return_rows_with_fresh_keys(client, owner, draft) -> None:
    client.force_login(owner)
    row = client.post(f"/programs/{draft.pk}/edit/promise-row/", **EN).content.decode()
    key = re.search(r'name="promise" value="(n[0-9a-f]{8})"', row).group(1)
    assert f'name="{key}-title"' in row and f'name="{key}-line"' in row and "<fieldset" in row
    line = client.post(f"/programs/{draft.pk}/edit/funding-row/?promise={key}", **EN).content.decode()
    line_key = re.search(rf'name="{key}-line" value="(f[0-9a-f]{{8}})"', line).group(1)
    assert f'name="{key}-{line_key}-amount_kzt"' in line and "<fieldset" not in line
    assert client.post(f"/programs/{draft.pk}/edit/funding-row/?promise=<b>", **EN).status_code == 400
    assert client.get(f"/programs/{draft.pk}/edit/promise-row/").status_code == 405


@pytest.mark.django_db
def test_the_live_check_shows_findings_and_totals_of_the_unsaved_form(client, owner, draft) -> None:
    client.force_login(owner)
    clean = form_data([{"key": "P1", "lines": [("local_budget", year(), 1_000_000, "")]}])
    panel = client.post(f"/programs/{draft.pk}/edit/check/", clean, **EN).content.decode()
    assert "No errors" in panel and "disabled" not in panel
    short = form_data([{"key": "P1", "cost": 3_000_000, "lines": [("local_budget", year(), 1_000_000, "")]}])
    panel = client.post(f"/programs/{draft.pk}/edit/check/", short, **EN).content.decode()
    assert "FUNDING_SHORT" in panel and "2 000 000" in panel
    assert re.search(r'data-testid="publish"\s+disabled', panel)
    draft.refresh_from_db()
    assert draft.promises.get().cost_kzt == 1_000_000  # the live check saves nothing


@pytest.mark.django_db
def test_the_live_check_names_fields_to_fix_before_checking(client, owner, draft) -> None:
    client.force_login(owner)
    data = form_data([{"key": "P1", "cost": "lots", "lines": [("development_plan", year(), 1_000_000, "")]}])
    panel = client.post(f"/programs/{draft.pk}/edit/check/", data, **EN).content.decode()
    assert "Fix these fields" in panel and "Cost, tenge" in panel and "Choose the plan item" in panel
    assert re.search(r'data-testid="publish"\s+disabled', panel)


@pytest.mark.django_db
def test_publishing_through_the_page_is_refused_while_errors_remain(client, owner, draft) -> None:
    client.force_login(owner)
    data = form_data([{"key": "P1", "cost": 5_000_000, "lines": [("local_budget", year(), 1_000_000, "")]}])
    response = client.post(f"/programs/{draft.pk}/edit/", {**data, "action": "publish"}, **EN)
    assert response.status_code == 400
    assert "cannot be published" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ProgramStatus.DRAFT
    assert draft.promises.get().cost_kzt == 5_000_000  # saved as a draft all the same


@pytest.mark.django_db
def test_a_clean_program_is_saved_and_published_from_the_page(client, owner, draft) -> None:
    client.force_login(owner)
    data = form_data(
        [
            {"key": "P1", "lines": [("local_budget", year(), 1_000_000, "")]},
            {
                "key": "nabcdef12",
                "cost": "50 000 000",
                "lines": [("development_plan", year(), 50_000_000, PLAN_ITEM)],
            },
        ]
    )
    response = client.post(f"/programs/{draft.pk}/edit/", {**data, "action": "publish"}, **EN)
    assert response.status_code == 302 and response["Location"] == f"/programs/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.status == ProgramStatus.PUBLISHED
    assert list(draft.promises.values_list("local_id", "cost_kzt")) == [("P1", 1_000_000), ("P2", 50_000_000)]
    assert client.get(f"/programs/{draft.pk}/edit/").status_code == 302  # a published version is not edited


@pytest.mark.django_db
def test_without_javascript_the_add_buttons_return_the_page_with_a_new_row(client, owner, draft) -> None:
    client.force_login(owner)
    data = form_data([{"key": "P1", "lines": [("local_budget", year(), 1_000_000, "")]}])
    page = client.post(
        f"/programs/{draft.pk}/edit/", {**data, "action": "add_promise"}, **EN
    ).content.decode()
    assert page.count('name="promise"') == 2
    page = client.post(
        f"/programs/{draft.pk}/edit/", {**data, "action": "add_funding:P1"}, **EN
    ).content.decode()
    assert page.count('name="P1-line"') == 2


@pytest.mark.django_db
def test_a_removed_row_is_left_out_when_saving(client, owner, draft) -> None:
    client.force_login(owner)
    data = form_data(
        [
            {"key": "P1", "lines": [("local_budget", year(), 1_000_000, "")]},
            {"key": "nabcdef12", "title": "", "cost": ""},  # an empty new row, ticked for removal
        ]
    )
    data["nabcdef12-remove"] = "on"
    response = client.post(f"/programs/{draft.pk}/edit/", {**data, "action": "save"}, **EN)
    assert response.status_code == 302
    assert draft.promises.count() == 1


@pytest.mark.django_db
def test_a_colleague_of_the_unit_may_draft_the_akims_program(client, colleague, draft) -> None:
    client.force_login(colleague)
    assert client.get(f"/programs/{draft.pk}/edit/").status_code == 200
    data = form_data([{"key": "P1", "lines": [("local_budget", year(), 1_000_000, "")]}])
    assert client.post(f"/programs/{draft.pk}/edit/check/", data).status_code == 200


@pytest.mark.django_db
def test_the_akim_of_another_unit_and_a_resident_may_not_touch_the_program(
    client, neighbour, outsider, draft
) -> None:
    data = form_data([{"key": "P1", "lines": [("local_budget", year(), 1_000_000, "")]}])
    for user in (neighbour, outsider):
        client.force_login(user)
        assert client.get(f"/programs/{draft.pk}/edit/").status_code == 403
        assert client.post(f"/programs/{draft.pk}/edit/", {**data, "action": "publish"}).status_code == 403
        assert client.post(f"/programs/{draft.pk}/edit/check/", data).status_code == 403
        assert client.post(f"/programs/{draft.pk}/edit/promise-row/").status_code == 403
        assert client.get(f"/programs/{draft.pk}/").status_code == 404  # nobody else sees a draft
    client.logout()
    assert client.get(f"/programs/{draft.pk}/edit/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == ProgramStatus.DRAFT


@pytest.mark.django_db
def test_amending_from_the_page_needs_a_reason(client, owner, akim_a) -> None:
    program = published_program(akim_a, promises=1)
    client.force_login(owner)
    assert client.post(f"/programs/{program.pk}/amend/", {"reason": ""}).status_code == 400
    response = client.post(f"/programs/{program.pk}/amend/", {"reason": "More light."})
    draft = Program.objects.get(version=2)
    assert response["Location"] == f"/programs/{draft.pk}/edit/"


@pytest.mark.django_db
def test_my_programs_lists_the_akims_program_for_owner_and_colleague(
    client, owner, colleague, akim_a
) -> None:
    program = published_program(akim_a, promises=1)
    program_amend(program=program, reason="More light.", actor=None)
    for user in (owner, colleague):
        client.force_login(user)
        page = client.get("/programs/mine/").content.decode()
        assert f"/programs/{program.pk}/" in page and "/edit/" in page


@pytest.mark.django_db
def test_a_candidate_starts_a_program_from_my_programs(client, owner, akim_a) -> None:
    from tests.programs.factories import candidacy_of

    client.force_login(owner)
    candidacy = candidacy_of(akim_a)
    assert f"/programs/start/{candidacy.pk}/" in client.get("/programs/mine/").content.decode()
    response = client.post(f"/programs/start/{candidacy.pk}/")
    program = Program.objects.get(candidacy=candidacy)
    assert response["Location"] == f"/programs/{program.pk}/edit/"
