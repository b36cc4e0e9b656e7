import pytest

from esep.core.dburl import DatabaseURLError, parse_database_url


def test_postgresql_url_gets_the_pool_and_credentials() -> None:
    config = parse_database_url(
        "postgresql://esep:s%40cret@db.internal:5433/esep?sslmode=require&pool_max=20"
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("esep", "esep", "s@cret")
    assert (config["HOST"], config["PORT"]) == ("db.internal", "5433")
    assert config["OPTIONS"]["pool"]["max_size"] == 20
    assert config["OPTIONS"]["sslmode"] == "require"


def test_sqlite_urls_follow_the_usual_slash_convention() -> None:
    assert parse_database_url("sqlite:////var/lib/esep/db.sqlite3")["NAME"] == "/var/lib/esep/db.sqlite3"
    assert parse_database_url("sqlite:///relative.sqlite3")["NAME"] == "relative.sqlite3"
    options = parse_database_url("sqlite:////tmp/x.db")["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert parse_database_url("sqlite:////tmp/x.db")["CONN_MAX_AGE"] > 0  # no PRAGMAs on every request


@pytest.mark.parametrize("url", ["mysql://x/y", "postgresql://host:5432/", "sqlite://", "nonsense"])
def test_unusable_urls_are_refused_with_a_reason(url: str) -> None:
    with pytest.raises(DatabaseURLError):
        parse_database_url(url)
