from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from esep.core.audit.chain import audit_record
from esep.core.iin import generate_valid_iin
from esep.core.iin_scan import scan_database, valid_iins_in

IIN = generate_valid_iin(date(1985, 3, 2), "M", 4321)


def test_only_valid_iins_standing_alone_are_found() -> None:
    assert valid_iins_in(f"signer {IIN} signed") == [IIN]
    assert valid_iins_in(f"9{IIN}") == []  # part of a longer number
    assert valid_iins_in(f"md5$salt$a{IIN}f0e") == []  # digits inside a hex digest or a token
    assert valid_iins_in(f"ИИН {IIN}, тел.") == valid_iins_in(f"IIN:{IIN}") == [IIN]
    assert valid_iins_in("123456789012") == []  # not a valid IIN
    assert valid_iins_in(IIN[:2] + "********" + IIN[-2:]) == []


@pytest.mark.django_db
def test_the_scan_finds_an_iin_written_in_clear_anywhere(capsys) -> None:
    assert not list(scan_database())
    call_command("scan_iin")
    assert "no IIN in clear" in capsys.readouterr().out
    with transaction.atomic():
        event = audit_record(actor=None, action="test.leak", data={"note": f"IIN {IIN}"})
    found = list(scan_database())
    assert [(place.table, place.column, place.pk) for place in found] == [
        ("audit_auditevent", "data", event.sequence)
    ]
    with pytest.raises(CommandError, match="1 rows hold an IIN"):
        call_command("scan_iin")
