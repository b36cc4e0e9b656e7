"""Paper signature sheets entered by the commission: the same checks line by line, each line's outcome kept,
the sheet written whole or not at all; the typed lines parsed with their line numbers."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esep.core.errors import ApplicationError
from esep.core.iin import iin_fingerprint
from esep.elections.rules import add_years
from esep.recall import services
from esep.recall.forms import SheetLinesError, parse_sheet_lines
from esep.recall.models import Initiative, PaperSheet, PaperSheetLine, Signature
from esep.recall.services import PaperLine
from esep.registries.adapters import RegistryUnavailable
from tests.recall.factories import at, collecting_initiative, new_iin, register_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(unit, residents, commission) -> Initiative:
    return collecting_initiative(unit, residents, commission)


def test_each_line_gets_the_checks_of_online_signing(
    initiative, unit, unit_b, commission, make_user, today
) -> None:
    resident = register_resident(unit.kato)
    online = register_resident(unit.kato)
    services.signature_sign(initiative=initiative, iin=online, signer=make_user())
    minor = register_resident(unit.kato, birth_date=add_years(today, -10))
    lines = [
        PaperLine(1, resident, today),
        PaperLine(2, "12345678901", today),
        PaperLine(3, minor, today),
        PaperLine(4, register_resident(unit_b.kato), today),
        PaperLine(5, online, today),
        PaperLine(6, resident, today),  # the same person twice on one sheet
        PaperLine(7, register_resident(unit.kato), today - timedelta(days=1)),  # before the period opened
    ]
    sheet = services.paper_sheet_enter(initiative=initiative, number=12, lines=lines, actor=commission)
    outcomes = dict(PaperSheetLine.objects.filter(sheet=sheet).values_list("line", "outcome"))
    assert outcomes == {
        1: "accepted",
        2: "invalid_iin",
        3: "under_18",
        4: "not_resident",
        5: "already_signed",
        6: "already_signed",
        7: "outside_period",
    }
    assert (sheet.lines_total, sheet.lines_accepted) == (7, 1)
    assert Initiative.objects.get(pk=initiative.pk).signature_count == 2
    paper = Signature.private_objects.get(channel="paper")
    assert (paper.iin_fingerprint, paper.sheet_id, paper.sheet_line) == (
        iin_fingerprint(resident),
        sheet.pk,
        1,
    )
    assert PaperSheetLine.objects.get(sheet=sheet, line=2).iin_masked == ""


def test_a_sheet_is_all_or_nothing_when_the_register_fails(
    initiative, unit, commission, monkeypatch, today
) -> None:
    lines = [PaperLine(n, register_resident(unit.kato), today) for n in (1, 2, 3)]
    from esep.registries import adapters

    calls = {"n": 0}
    real_query = adapters.DemoRegistryAdapter.query

    def failing_on_the_third(self, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RegistryUnavailable("down")
        return real_query(self, **kwargs)

    monkeypatch.setattr(adapters.DemoRegistryAdapter, "query", failing_on_the_third)
    with pytest.raises(ApplicationError, match="did not answer") as refused:
        services.paper_sheet_enter(initiative=initiative, number=1, lines=lines, actor=commission)
    assert refused.value.code == "registry_unavailable"
    assert not PaperSheet.objects.exists() and not Signature.private_objects.exists()
    assert Initiative.objects.get(pk=initiative.pk).signature_count == 0


def test_a_sheet_number_is_entered_once_and_only_by_the_commission_of_the_territory(
    initiative, unit, commission, other_commission, residents, today
) -> None:
    services.paper_sheet_enter(
        initiative=initiative,
        number=1,
        lines=[PaperLine(1, register_resident(unit.kato), today)],
        actor=commission,
    )
    with pytest.raises(ApplicationError, match="Sheet 1 is already entered"):
        services.paper_sheet_enter(
            initiative=initiative,
            number=1,
            lines=[PaperLine(1, register_resident(unit.kato), today)],
            actor=commission,
        )
    for actor in (other_commission, residents[0]):
        with pytest.raises(ApplicationError, match="Only the election commission"):
            services.paper_sheet_enter(
                initiative=initiative, number=2, lines=[PaperLine(1, new_iin(), today)], actor=actor
            )


def test_sheets_signed_in_the_period_are_entered_after_the_close(initiative, unit, commission) -> None:
    last_day = initiative.signing_closes_on
    services.initiative_close_signing(initiative=initiative, now=at(last_day + timedelta(days=1)))
    sheet = services.paper_sheet_enter(
        initiative=initiative,
        number=3,
        lines=[
            PaperLine(1, register_resident(unit.kato), last_day),
            PaperLine(2, register_resident(unit.kato), last_day + timedelta(days=1)),
        ],
        actor=commission,
        now=at(last_day + timedelta(days=2)),
    )
    assert dict(sheet.lines.values_list("line", "outcome")) == {1: "accepted", 2: "outside_period"}
    assert Initiative.objects.get(pk=initiative.pk).signature_count == 1


def test_a_sheet_cannot_be_entered_before_registration(unit, residents, commission, today) -> None:
    from tests.recall.factories import filed_initiative

    filed = filed_initiative(unit, residents)
    with pytest.raises(ApplicationError, match="Paper sheets are entered while") as refused:
        services.paper_sheet_enter(
            initiative=filed, number=1, lines=[PaperLine(1, new_iin(), today)], actor=commission
        )
    assert refused.value.code == "not_collecting"


def test_the_typed_lines_are_read_with_their_numbers() -> None:
    lines = parse_sheet_lines("850412401234 2026-03-05\n\n  900101300123;05.03.2026 \n")
    assert [(line.line, line.iin, line.signed_on.isoformat()) for line in lines] == [
        (1, "850412401234", "2026-03-05"),
        (3, "900101300123", "2026-03-05"),
    ]
    with pytest.raises(SheetLinesError) as refused:
        parse_sheet_lines("850412401234 2026-03-05\n850412401234\n850412401234 5 March")
    assert [line for line, _message in refused.value.errors] == [2, 3]


@given(st.text(max_size=400))
def test_any_typing_gives_lines_or_numbered_errors(text: str) -> None:
    try:
        lines = parse_sheet_lines(text)
    except SheetLinesError as exc:
        assert exc.errors and all(line >= 1 for line, _message in exc.errors)
    else:
        assert lines and len({line.line for line in lines}) == len(lines)


def test_the_command_enters_a_csv_sheet_all_or_nothing(initiative, unit, commission, tmp_path, today) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    good = register_resident(unit.kato)
    broken = tmp_path / "broken.csv"
    broken.write_text(f"line,iin,signed_on\n1,{good},{today}\n2,{good},5 March\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 3, field signed_on"):
        call_command(
            "recall", "paper-sheet", str(initiative.pk), "1", str(broken), "--user", commission.username
        )
    assert not PaperSheet.objects.exists()
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"line,iin,signed_on\n1,{good},{today}\n2,{good},{today}\n", encoding="utf-8")
    out = StringIO()
    call_command(
        "recall",
        "paper-sheet",
        str(initiative.pk),
        "1",
        str(sheet),
        "--user",
        commission.username,
        stdout=out,
    )
    assert "1 of 2 lines accepted" in out.getvalue() and "already_signed" in out.getvalue()
    assert good not in out.getvalue()
