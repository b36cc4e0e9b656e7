import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from esep.appeals.models import ApiKey
from esep.appeals.services import api_key_find


def test_issue_key_prints_the_key_once_and_keeps_only_its_hash(db, capsys) -> None:
    call_command("appeals", "issue-key", "Village Watch NGO")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    key = ApiKey.objects.get()
    assert key.organisation == "Village Watch NGO" and raw not in (key.key_hash, key.prefix)
    assert api_key_find(raw) == key
    call_command("appeals", "revoke-key", key.prefix)
    assert api_key_find(raw) is None
    with pytest.raises(CommandError):
        call_command("appeals", "revoke-key", key.prefix)


def test_categories_and_rebuild(db, capsys) -> None:
    call_command("appeals", "categories", "--load")
    out = capsys.readouterr().out
    assert "public_order" in out and "police" in out
    call_command("appeals", "rebuild-stats")
    assert "counter rows" in capsys.readouterr().out


def test_a_key_never_starts_with_a_dash_so_its_prefix_is_not_read_as_an_option(db, monkeypatch) -> None:
    from esep.appeals import services

    drawn = iter(["-dashed-key-first-draw", "plain-key-second-draw"])
    monkeypatch.setattr(services.secrets, "token_urlsafe", lambda _n: next(drawn))
    key, raw = services.api_key_issue(organisation="Village Watch NGO")
    assert raw == "plain-key-second-draw" and key.prefix == "plain-ke"
    call_command("appeals", "revoke-key", key.prefix)
    assert api_key_find(raw) is None
