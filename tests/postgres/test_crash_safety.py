"""Crash safety on PostgreSQL: the server killed with SIGKILL in a signing burst and in a burst of report
publications, restarted, and no partial record (the main suite's tests, on the throwaway server).

    python -m tests.pgserver run -- .venv/bin/pytest -rs tests/postgres/test_crash_safety.py
"""

from tests.security.test_crash_safety import *  # noqa: F403
