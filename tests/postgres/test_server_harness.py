"""Self-test of the PostgreSQL harness: we really talk to the throwaway server from tests/pgserver.py."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.db.backends.utils import CursorWrapper

pytestmark = pytest.mark.django_db


def _show(cursor: CursorWrapper, query: str) -> str:
    cursor.execute(query)
    return str(cursor.fetchone()[0])


def test_connection_is_postgresql() -> None:
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        assert _show(cursor, "SELECT version()").startswith("PostgreSQL ")


def test_server_is_the_throwaway_loopback_instance() -> None:
    url = urlsplit(os.environ["ESEP_DATABASE_URL"])
    with connection.cursor() as cursor:
        port = int(_show(cursor, "SHOW port"))
        server_addr = _show(cursor, "SELECT host(inet_server_addr())")
        listen = _show(cursor, "SHOW listen_addresses")
        sockets = _show(cursor, "SHOW unix_socket_directories")
        fsync = _show(cursor, "SHOW fsync")
        database = _show(cursor, "SELECT current_database()")

    assert url.hostname == "127.0.0.1"
    assert port == url.port
    assert port != 5432, "expected a random free port, not a system server's default"
    assert server_addr == "127.0.0.1"
    assert listen == "127.0.0.1"
    # These two settings exist only in the harness's cluster: not a developer's real server.
    assert "esep-pg-" in sockets
    assert fsync == "off"
    # pytest-django created and uses its own test database on that server.
    assert database == "test_esep"
