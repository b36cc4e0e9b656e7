"""Throwaway PostgreSQL server for the PostgreSQL test suite.

Usage:
    python -m tests.pgserver run -- python -m pytest tests/postgres
    python -m tests.pgserver serve      # start, print ESEP_DATABASE_URL, wait for Ctrl-C
    python -m tests.pgserver where      # print the server binaries directory (exit 1 if none)

`run` starts a private server (own data directory, loopback-only, random free port), runs the
command with ESEP_DATABASE_URL pointing at it, stops the server, removes its files and exits with
the command's exit code. Without server binaries it prints `SKIPPED PostgreSQL suite: <reason>`
and exits 0, unless CI=true, where it exits 1.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType, TracebackType

SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")
DB_NAME = "esep"
DB_USER = "esep"
# The server refuses to run as root; as root we run it as this system user instead.
SERVER_SYSTEM_USER = "postgres"
START_ATTEMPTS = 3
PYTEST_NO_TESTS_COLLECTED = 5

# Settings that trade durability for speed: the cluster is deleted after the run anyway.
SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "50",
    "shared_buffers": "32MB",
    "log_min_messages": "warning",
}


class PostgresUnavailable(RuntimeError):
    """No usable PostgreSQL server binaries: the suite is skipped (or fails when CI=true)."""


class PostgresStartError(RuntimeError):
    """Binaries exist but the server could not be set up: always a failure."""


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def _has_server_binaries(bindir: Path) -> bool:
    return all(os.access(bindir / name, os.X_OK) for name in SERVER_BINARIES)


def _version_key(path: Path) -> tuple[int, ...]:
    # /usr/lib/postgresql/15/bin -> (15,); non-numeric versions sort first.
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name)) or (-1,)


def find_pg_bindir() -> Path | None:
    """ESEP_PG_BIN, else `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin."""
    explicit = os.environ.get("ESEP_PG_BIN", "").strip()
    if explicit:
        # An explicit choice is never silently replaced by another installation.
        path = Path(explicit).expanduser()
        return path if _has_server_binaries(path) else None

    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(  # noqa: S603 - fixed argv, path from PATH lookup
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=10
            ).stdout.strip()
            # pg_config also ships with libpq-dev alone, so its bindir may lack the server.
            if out and _has_server_binaries(Path(out)):
                return Path(out)

    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    return next((path for path in candidates if _has_server_binaries(path)), None)


def unavailable_reason() -> str:
    explicit = os.environ.get("ESEP_PG_BIN", "").strip()
    if explicit:
        return f"ESEP_PG_BIN={explicit} does not contain executable {', '.join(SERVER_BINARIES)}"
    return (
        f"no PostgreSQL server binaries ({', '.join(SERVER_BINARIES)}) found via ESEP_PG_BIN, "
        "`pg_config --bindir` or /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql)"
    )


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _clean_env() -> dict[str, str]:
    # PGHOST/PGPORT/PGDATA/... from the caller's shell must not redirect our tools elsewhere.
    return {key: value for key, value in os.environ.items() if not key.startswith("PG")}


class ThrowawayPostgres:
    """Context manager: a private PostgreSQL cluster in a temporary directory.

    >>> with ThrowawayPostgres() as pg:
    ...     print(pg.url)  # postgresql://esep@127.0.0.1:PORT/esep
    """

    def __init__(self, bindir: Path | None = None, dbname: str = DB_NAME, user: str = DB_USER) -> None:
        self.bindir: Path | None = bindir
        self.dbname = dbname
        self.user = user
        self.port: int = 0
        self.tmpdir: Path | None = None
        self.startup_seconds: float = 0.0
        self._as_root = os.geteuid() == 0

    @property
    def datadir(self) -> Path:
        return self._dir() / "data"

    @property
    def logfile(self) -> Path:
        return self._dir() / "server.log"

    def _dir(self) -> Path:
        if self.tmpdir is None:
            raise RuntimeError("the throwaway PostgreSQL server is not started")
        return self.tmpdir

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.dbname}"

    def __enter__(self) -> ThrowawayPostgres:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _server_cmd(self, *argv: str) -> list[str]:
        if self._as_root:
            return ["runuser", "-u", SERVER_SYSTEM_USER, "--", *argv]
        return list(argv)

    def _run(self, argv: list[str], what: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        try:
            result = subprocess.run(  # noqa: S603 - argv built from our own paths, no shell
                argv,
                capture_output=True,
                text=True,
                env=_clean_env(),
                cwd=self.tmpdir,  # the server user may not be allowed into the caller's cwd
                timeout=timeout,
                # Own session: Ctrl-C in the terminal must reach us first, not kill the server unseen.
                start_new_session=True,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise PostgresStartError(f"{what} timed out after {timeout:.0f}s\n{self._log_tail()}") from exc
        if result.returncode != 0:
            raise PostgresStartError(
                f"{what} failed (exit {result.returncode}): {' '.join(argv)}\n"
                f"{result.stdout}{result.stderr}{self._log_tail()}"
            )
        return result

    def _log_tail(self, lines: int = 30) -> str:
        if self.tmpdir is None or not self.logfile.exists():
            return ""
        text = self.logfile.read_text(errors="replace").splitlines()[-lines:]
        return "--- server log (tail) ---\n" + "\n".join(text) + "\n"

    def start(self) -> None:
        begin = time.monotonic()
        if self.bindir is None:
            self.bindir = find_pg_bindir()
        if self.bindir is None or not _has_server_binaries(self.bindir):
            raise PostgresUnavailable(unavailable_reason())
        if self._as_root:
            try:
                server_user = pwd.getpwnam(SERVER_SYSTEM_USER)
            except KeyError as exc:
                raise PostgresStartError(
                    f"running as root, but there is no '{SERVER_SYSTEM_USER}' system user to run the server"
                ) from exc
            if shutil.which("runuser") is None:
                raise PostgresStartError("running as root, but `runuser` (util-linux) is missing")

        self.tmpdir = Path(tempfile.mkdtemp(prefix="esep-pg-"))
        if self._as_root:
            os.chown(self.tmpdir, server_user.pw_uid, server_user.pw_gid)

        self._run(
            self._server_cmd(
                str(self.bindir / "initdb"),
                "--pgdata",
                str(self.datadir),
                "--username",
                self.user,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",  # nothing to protect: the cluster dies with the run
            ),
            "initdb",
        )
        settings = {**SERVER_SETTINGS, "unix_socket_directories": f"'{self.tmpdir}'"}
        # Appending keeps the file's owner (the server user) even though we may be root.
        with (self.datadir / "postgresql.conf").open("a") as conf:
            conf.write("\n# esep throwaway test server\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())

        for attempt in range(1, START_ATTEMPTS + 1):
            self.port = free_loopback_port()
            try:
                self._run(
                    self._server_cmd(
                        str(self.bindir / "pg_ctl"),
                        "start",
                        "--pgdata",
                        str(self.datadir),
                        "--log",
                        str(self.logfile),
                        "--wait",
                        "--timeout=60",
                        "--silent",
                        "-o",
                        f"-p {self.port}",
                    ),
                    "pg_ctl start",
                )
                break
            except PostgresStartError as exc:
                # Another process may grab the port between our probe and the server's bind.
                if attempt == START_ATTEMPTS or "could not bind" not in str(exc).lower():
                    raise
        self._create_database(self.bindir)
        self.startup_seconds = time.monotonic() - begin

    def _create_database(self, bindir: Path) -> None:
        createdb = bindir / "createdb"
        if os.access(createdb, os.X_OK):
            self._run(
                [str(createdb), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, self.dbname],
                "createdb",
                timeout=60,
            )
            return
        # Some server-only installations lack the client tools; the project depends on psycopg.
        import psycopg

        with psycopg.connect(
            f"postgresql://{self.user}@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{self.dbname}"')  # noqa: S608 - constant name, not input

    def stop(self) -> None:
        """Stop the server (if running) and delete its directory; safe to call repeatedly."""
        if self.tmpdir is None:
            return
        try:
            # The pid file, not a flag: an interrupted `pg_ctl start` may still have left a server running.
            if self.bindir is not None and (self.datadir / "postmaster.pid").exists():
                try:
                    self._run(
                        self._server_cmd(
                            str(self.bindir / "pg_ctl"),
                            "stop",
                            "--pgdata",
                            str(self.datadir),
                            "--mode=fast",
                            "--wait",
                            "--timeout=30",
                            "--silent",
                        ),
                        "pg_ctl stop",
                        timeout=60,
                    )
                except PostgresStartError:
                    self._kill_postmaster()
        finally:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def _kill_postmaster(self) -> None:
        # Last resort so no orphaned server outlives the run; SIGQUIT = immediate shutdown.
        pidfile = self.datadir / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int(pidfile.read_text().splitlines()[0])
            # A stale pid file may name an unrelated process that reused the pid.
            if b"postgres" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                return
            os.kill(pid, signal.SIGQUIT)
            for _ in range(50):
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, os.WNOHANG)  # reap it if it is our child (subreaper), else no-op
                os.kill(pid, 0)
                time.sleep(0.1)
            os.kill(pid, signal.SIGKILL)


def _become_subreaper() -> None:
    # pg_ctl daemonizes the server; as subreaper it re-parents to us, so we can reap it when it
    # exits instead of leaving a <defunct> entry under an init that does not reap (some containers).
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        pr_set_child_subreaper = 36
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0)


def _reap_orphans() -> None:
    # Only called once our own command has finished, so every remaining child is an orphan.
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0] != 0:
            pass


@contextlib.contextmanager
def _sigterm_as_exit() -> Iterator[None]:
    # SIGTERM (e.g. CI cancel) must unwind through `finally` so the server gets stopped.
    def handler(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_child(command: Sequence[str], env: dict[str, str]) -> int:
    proc = subprocess.Popen(command, env=env)  # noqa: S603 - the user's own command, no shell
    try:
        code = proc.wait()
        # Killed by a signal (negative code): report it the way a shell would, 128 + signal.
        return 128 - code if code < 0 else code
    except KeyboardInterrupt:
        # The child got the same Ctrl-C; let it finish its own shutdown (pytest prints a summary).
        try:
            code = proc.wait(timeout=15)
            # An interrupted run never counts as a success, even if the child exited cleanly.
            return 128 - code if code < 0 else (code or 130)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            proc.kill()
            proc.wait()
            return 130
    except SystemExit:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        raise


def _say(message: str) -> None:
    print(message, flush=True)


def cmd_run(command: Sequence[str]) -> int:
    if not command:
        _say("pgserver run: no command given (usage: python -m tests.pgserver run -- COMMAND...)")
        return 2
    _become_subreaper()
    try:
        with _sigterm_as_exit(), ThrowawayPostgres() as pg:
            _say(f"PostgreSQL test server ready in {pg.startup_seconds:.1f}s: {pg.url} (bin: {pg.bindir})")
            env = {**os.environ, "ESEP_DATABASE_URL": pg.url}
            code = _run_child(command, env)
    except PostgresUnavailable as exc:
        if running_in_ci():
            _say(f"FAILED PostgreSQL suite (CI=true, skipping not allowed): {exc}")
            return 1
        _say(f"SKIPPED PostgreSQL suite: {exc}")
        return 0
    except PostgresStartError as exc:
        _say(f"FAILED PostgreSQL suite: could not start the throwaway server: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        _reap_orphans()
    if code == PYTEST_NO_TESTS_COLLECTED:
        _say(
            "FAILED PostgreSQL suite: no tests were collected (pytest exit code 5); the suite must have tests"
        )
    return code


def cmd_serve() -> int:
    _become_subreaper()
    try:
        with _sigterm_as_exit(), ThrowawayPostgres() as pg:
            _say(f"export ESEP_DATABASE_URL={pg.url}")
            _say(f"(data in {pg.tmpdir}; Ctrl-C stops the server and deletes it)")
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(3600)
    except PostgresUnavailable as exc:
        _say(f"PostgreSQL unavailable: {exc}")
        return 1
    except PostgresStartError as exc:
        _say(f"could not start the throwaway server: {exc}")
        return 1
    finally:
        _reap_orphans()
    return 0


def cmd_where() -> int:
    bindir = find_pg_bindir()
    _say(str(bindir) if bindir else unavailable_reason())
    return 0 if bindir else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.pgserver", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser("run", help="run COMMAND with ESEP_DATABASE_URL set to a throwaway server")
    run.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARGS...]")
    sub.add_parser("serve", help="start a server, print its URL, stop on Ctrl-C")
    sub.add_parser("where", help="print the PostgreSQL server binaries directory")
    args = parser.parse_args(argv)
    if args.action == "run":
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        return cmd_run(command)
    if args.action == "serve":
        return cmd_serve()
    return cmd_where()


if __name__ == "__main__":
    sys.exit(main())
