"""Crash-safety harness: the real server (gunicorn serving `esep.wsgi`) on the test database, driven over HTTP
by concurrent visitors, and killed with SIGKILL in the middle of their burst.

    site = Site(tmp_path)          # the test database as a server sees it (SQLite: a file copy)
    site.start()                   # gunicorn, 2 workers x 4 threads, on a free 127.0.0.1 port
    log_in(visitors)               # the real login form, before the burst
    burst = Burst(attempts, work).start()
    kill_when(site, burst, lambda: site.count(SQL), at_least=10)   # SIGKILL to the whole process group
    site.start()                   # the same database, the same address: a restart
    site.reload()                  # let the test's ORM read what the server wrote (SQLite)
    site.audit_verify()            # `esep audit verify` in its own process
    site.close()                   # always, in a `finally`: kills a server still running, removes the copy

The server runs `esep.test_settings` (the production settings with only the safety switches changed): the test
users' passwords are hashed with its fast hasher, and its static files are served by the finders, so no
`collectstatic` is needed. The secret key and the IIN pepper are the test process's, so fingerprints agree.
The officials' second factor is off as in `make run` (`ESEP_OFFICIAL_2FA`) and the rate limits as in the
benchmarks (`ESEP_RATE_LIMITS`): the bursts log dozens of accounts in from one address.

On SQLite the test database lives in memory: `Site` copies it into a file with SQLite's online backup once the
setup is committed (a `transaction=True` test), points the server at `sqlite:///<file>`, and `reload()` copies
the file back into memory for the assertions. On PostgreSQL the server uses the test database itself.
"""

from __future__ import annotations

import contextlib
import http.client
import http.cookiejar
import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import connection

from tests.pgserver import free_loopback_port

ROOT = Path(__file__).resolve().parents[2]
REQUEST_TIMEOUT = 60.0
START_TIMEOUT = 90.0
WORKERS = 2
THREADS = 4


# --- The database the server uses -------------------------------------------------------------------------


def _database_url(path: Path | None) -> str:
    if path is not None:
        return f"sqlite:///{path}"  # an absolute path: sqlite:////tmp/...
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgresql://{user}{password}@{db['HOST']}{port}/{quote(db['NAME'], safe='')}"


def server_env(database_url: str, var_dir: Path) -> dict[str, str]:
    """The environment of the server and of `esep` commands: the test database and the test's own secrets."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ESEP_")}
    env.update(
        DJANGO_SETTINGS_MODULE="esep.test_settings",
        ESEP_DATABASE_URL=database_url,
        ESEP_SECRET_KEY=settings.SECRET_KEY,
        ESEP_IIN_PEPPER=settings.ESEP_IIN_PEPPER,
        ESEP_OFFICIAL_2FA="false",
        ESEP_RATE_LIMITS="false",
        ESEP_VAR_DIR=str(var_dir),
        ESEP_LOG_LEVEL="WARNING",
        ESEP_LANGUAGE=settings.LANGUAGE_CODE,  # `esep` answers in the site's language, whatever LANG is
        PYTHONUNBUFFERED="1",
    )
    return env


def _venv_command(name: str, module: str) -> list[str]:
    """The virtualenv's console script beside this Python, or the same program as `python -m`."""
    script = Path(sys.executable).with_name(name)
    return [str(script)] if os.access(script, os.X_OK) else [sys.executable, "-m", module]


# --- The server -------------------------------------------------------------------------------------------


class ServerFailed(RuntimeError):
    pass


class Server:
    """gunicorn serving esep.wsgi in its own session (process group): one killpg takes master and workers."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.port = free_loopback_port()
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if self.process is not None:
            raise ServerFailed("the server is already running")
        command = [
            *_venv_command("gunicorn", "gunicorn"),
            "esep.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ]
        with self.log.open("ab") as log:
            log.write(f"--- start {self.starts + 1}: {' '.join(command)}\n".encode())
            log.flush()
            self.process = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn, no shell
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.starts += 1
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                raise ServerFailed(f"gunicorn exited while starting:\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as answer:  # noqa: S310 - loopback
                    if answer.status == 200:
                        return
            time.sleep(0.1)
        self.close()
        raise ServerFailed(
            f"gunicorn did not answer /healthz within {START_TIMEOUT:.0f}s:\n{self.log_tail()}"
        )

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: nothing gets to finish or clean up."""
        if self.process is None:
            raise ServerFailed("the server is not running")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def close(self) -> None:
        if self.process is not None:
            self.kill()

    def log_tail(self, lines: int = 40) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


class Site:
    """The test database as a server sees it, the server, and `esep` commands against the same database."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.vendor = connection.vendor
        self.path = workdir / "esep.sqlite3" if self.vendor == "sqlite" else None
        self.env = server_env(_database_url(self.path), workdir / "var")
        self.server = Server(self.env, workdir / "gunicorn.log")
        self._copied = False
        self._reader: Any = None

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> None:
        """Start (or restart) the server; the first start hands it the committed test data."""
        if not self._copied:
            if self.path is not None:
                connection.ensure_connection()
                with contextlib.closing(sqlite3.connect(self.path)) as target:
                    connection.connection.backup(target)
            self._copied = True
        self.server.start()

    def kill(self) -> None:
        self.server.kill()

    def reload(self) -> None:
        """Make the test's ORM see what the server committed (SQLite: copy the file back into memory)."""
        if self.path is None:
            return
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(self.path)) as source:
            source.backup(connection.connection)

    def count(self, sql: str, params: Sequence[object] = ()) -> int:
        """One number read from the server's database through a connection of our own (committed data)."""
        if self._reader is None:
            if self.path is not None:
                self._reader = sqlite3.connect(self.path, timeout=20, check_same_thread=False)
            else:
                import psycopg

                db = connection.settings_dict
                self._reader = psycopg.connect(
                    dbname=db["NAME"],
                    user=db["USER"],
                    password=db["PASSWORD"] or None,
                    host=db["HOST"],
                    port=db["PORT"] or None,
                    autocommit=True,
                )
        if self.path is None:
            sql = sql.replace("?", "%s")
        row = self._reader.execute(sql, tuple(params)).fetchone()
        if self.path is not None:
            self._reader.commit()  # end the read transaction, so the next count sees newer commits
        return int(row[0])

    def esep(self, *argv: str) -> subprocess.CompletedProcess[str]:
        """Run `esep ARGV...` in its own process against the server's database."""
        return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
            [*_venv_command("esep", "esep"), *argv],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def audit_verify(self) -> subprocess.CompletedProcess[str]:
        return self.esep("audit", "verify")

    def close(self) -> None:
        try:
            self.server.close()
        finally:
            if self._reader is not None:
                with contextlib.suppress(Exception):
                    self._reader.close()
                self._reader = None
            if self.path is not None:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)


# --- Visitors ---------------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to look at (302 after a successful form), not a page to fetch."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    location: str = ""

    def json(self) -> Any:
        return json.loads(self.body)


class Visitor:
    """One person's browser: own cookies (session, CSRF), the real login form, forms and JSON with a token."""

    def __init__(self, base_url: str, username: str, password: str) -> None:
        self.base_url = base_url
        self.username = username
        self.password = password
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.lock = threading.Lock()  # one login at a time for a person who submits twice at once
        self.logged_in = False

    def csrf_token(self) -> str:
        return next((cookie.value for cookie in self.jar if cookie.name == "csrftoken"), "")

    def request(
        self, method: str, path: str, *, form: dict | None = None, json_body: object = None
    ) -> Answer:
        headers = {"Accept-Language": "en"}
        data = None
        if form is not None:
            data = urlencode({**form, "csrfmiddlewaretoken": self.csrf_token()}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
            headers["X-CSRFToken"] = self.csrf_token()
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)  # noqa: S310
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as answer:
                return Answer(answer.status, answer.read().decode(errors="replace"))
        except urllib.error.HTTPError as answer:
            with answer:
                return Answer(
                    answer.code, answer.read().decode(errors="replace"), answer.headers.get("Location", "")
                )

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Answer:
        return self.request("POST", path, form=form)

    def post_json(self, path: str, body: object) -> Answer:
        return self.request("POST", path, json_body=body)

    def login(self) -> None:
        """Log in through the login form once (a session that survives a restart is kept)."""
        with self.lock:
            if self.logged_in:
                return
            page = self.get("/accounts/login/")
            if page.status != 200 or not self.csrf_token():
                raise VisitFailed(f"login page answered {page.status}")
            answer = self.post("/accounts/login/", {"username": self.username, "password": self.password})
            if answer.status != 302 or "two-factor" in answer.location:
                raise VisitFailed(f"login of {self.username} answered {answer.status} {answer.location}")
            self.logged_in = True


class VisitFailed(RuntimeError):
    """The server answered, but not as a working site would (the test fails on it)."""


# --- A burst and its kill ---------------------------------------------------------------------------------

CUT = "cut"  # the request was on its way or being served when the server died
REFUSED = "refused"  # the server was already gone: nobody answered the connection
NOT_TRIED = None


def _connection_outcome(exc: BaseException) -> str | None:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, ConnectionRefusedError):
        return REFUSED
    if isinstance(reason, OSError | http.client.HTTPException):
        return CUT
    return None


@dataclass
class Burst:
    """`work(attempt)` for every attempt, from `clients` threads at once; each outcome a string.

    A connection the kill broke gives "cut", one the dead server never accepted "refused"; after `stop` no new
    attempt begins (its outcome stays None). Any other exception is kept in `errors` and fails the test.
    """

    attempts: Sequence[Any]
    work: Callable[[Any], str]
    clients: int = 12  # more than the server's 8 threads, so none of them waits for work
    outcomes: list[str | None] = field(init=False)
    errors: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.outcomes = [NOT_TRIED] * len(self.attempts)

    def start(self) -> Burst:
        work: queue.Queue = queue.Queue()
        for index in range(len(self.attempts)):
            work.put(index)

        def client() -> None:
            while not self.stop.is_set():
                try:
                    index = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    self.outcomes[index] = self.work(self.attempts[index])
                except Exception as exc:  # noqa: BLE001 - sorted: a connection the kill broke, or a failure
                    outcome = _connection_outcome(exc)
                    if outcome is None:
                        self.errors.append(f"{self.attempts[index]!r}: {exc!r}")
                        outcome = "error"
                    self.outcomes[index] = outcome

        self._threads = [threading.Thread(target=client, daemon=True) for _n in range(self.clients)]
        for thread in self._threads:
            thread.start()
        return self

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def join(self, timeout: float = 300) -> Burst:
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(deadline - time.monotonic(), 0))
        if self.running:
            raise VisitFailed(f"the burst did not finish within {timeout:.0f}s")
        return self

    def attempts_with(self, outcome: str | None) -> list:
        return [attempt for attempt, got in zip(self.attempts, self.outcomes, strict=True) if got == outcome]

    def tally(self) -> Counter:
        return Counter(self.outcomes)


def log_in(visitors: Sequence[Visitor]) -> None:
    """Everyone logs in through the login form before the burst, so the burst is the writes alone."""
    burst = Burst(visitors, lambda visitor: visitor.login() or "in").start().join()
    if burst.errors or burst.tally() != {"in": len(visitors)}:
        raise VisitFailed(f"logging in failed: {burst.tally()} {burst.errors[:3]}")


@dataclass(frozen=True)
class Kill:
    committed: int  # what the poll had seen committed when the signal was sent
    torn: int  # what `torn()` last found: partial records visible to a reader (0 with correct code)
    tally: Counter  # the burst's outcomes, "cut" counting the requests the kill broke


def kill_when(
    site: Site,
    burst: Burst,
    committed: Callable[[], int],
    *,
    at_least: int,
    torn: Callable[[], int] = lambda: 0,
    timeout: float = 120,
) -> Kill:
    """Poll the server's database while the burst runs and SIGKILL the server as soon as `committed()` reaches
    `at_least`, or at once if `torn()` finds committed data that disagrees with itself: a partial record that
    a reader can see, which the kill then leaves for the checks after the restart to find."""
    deadline = time.monotonic() + timeout
    seen, partial = committed(), torn()
    while seen < at_least and not partial:
        if not burst.running:
            raise VisitFailed(f"the burst ended with {seen} committed, before the kill at {at_least}")
        if time.monotonic() > deadline:
            raise VisitFailed(f"only {seen} committed after {timeout:.0f}s; the kill was due at {at_least}")
        time.sleep(0.002)
        seen, partial = committed(), torn()
    site.kill()
    burst.stop.set()
    burst.join()
    kill = Kill(committed=seen, torn=partial, tally=burst.tally())
    if burst.errors:
        raise VisitFailed(f"the burst failed before the kill: {burst.errors[:3]}")
    if not kill.tally[CUT]:
        raise VisitFailed(
            f"the kill cut no request, so it did not land in the middle of the burst: {kill.tally}"
        )
    return kill
