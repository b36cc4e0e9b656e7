"""Browser suite fixtures: Playwright (sync API) driving Debian's Chromium, nothing downloaded.

Fixtures: `browser` (session), `page` (desktop context), `phone_page` (390x844 touch context),
`browser_locale` / `browser_timezone` (override in a test module or conftest to change them).
Missing Chromium or Playwright skips the suite with a printed reason; with CI=true it fails instead.
Failed tests leave a screenshot and the page HTML in /tmp/esep-browser-failures/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Route

BROWSER_DIR = Path(__file__).resolve().parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",  # Docker's 64 MB /dev/shm crashes Chromium; /tmp has room
]
DEFAULT_TIMEOUT_MS = 10_000
DESKTOP_VIEWPORT = {"width": 1280, "height": 800}
PHONE_VIEWPORT = {"width": 390, "height": 844}
FAILURE_DIR = Path("/tmp/esep-browser-failures")  # noqa: S108 - fixed, documented place for artifacts
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

# Set when the suite is skipped, so the reason is printed once in the terminal summary.
_skip_reason: str | None = None


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def _unavailable(reason: str) -> NoReturn:
    global _skip_reason
    if _running_in_ci():
        pytest.fail(f"browser suite cannot run (CI=true, skipping not allowed): {reason}", pytrace=False)
    _skip_reason = reason
    pytest.skip(f"browser suite: {reason}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item; mark only ours so `-m "not browser"` works.
    for item in items:
        if BROWSER_DIR in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _skip_reason is not None:
        terminalreporter.write_line(f"SKIPPED browser suite: {_skip_reason}", yellow=True, bold=True)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    return Path(os.environ.get("ESEP_CHROMIUM", "").strip() or DEFAULT_CHROMIUM)


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Browser]:
    if not os.access(chromium_path, os.X_OK):
        _unavailable(
            f"no Chromium at {chromium_path} (Debian: apt-get install chromium; or set ESEP_CHROMIUM)"
        )
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"Playwright for Python is not installed ({exc})")

    # Playwright's sync API keeps an asyncio loop running in this thread, which makes Django refuse
    # ORM calls (live_server, fixtures) here; allow them only while the browser is alive.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        try:
            instance = playwright.chromium.launch(
                executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            _unavailable(f"Playwright could not start {chromium_path}: {first_line}")
        yield instance
        instance.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_locale() -> str:
    return "ru-RU"  # the site's default language (settings.LANGUAGE_CODE = "ru")


@pytest.fixture
def browser_timezone() -> str:
    return "Asia/Almaty"


def _keep_requests_local(route: Route) -> None:
    # Tests must not depend on (or leak to) the internet: map tiles, CDNs etc. are refused.
    parts = urlsplit(route.request.url)
    if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS:
        route.abort("blockedbyclient")
    else:
        route.continue_()


def _new_context(browser: Browser, **options: Any) -> BrowserContext:
    context = browser.new_context(**options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.route("**/*", _keep_requests_local)
    return context


@pytest.fixture
def page(browser: Browser, browser_locale: str, browser_timezone: str) -> Iterator[Page]:
    context = _new_context(
        browser, locale=browser_locale, timezone_id=browser_timezone, viewport=DESKTOP_VIEWPORT
    )
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def phone_page(browser: Browser, browser_locale: str, browser_timezone: str) -> Iterator[Page]:
    context = _new_context(
        browser,
        locale=browser_locale,
        timezone_id=browser_timezone,
        viewport=PHONE_VIEWPORT,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    # "call" runs before fixture teardown, so the pages are still open here.
    if report.when == "call" and report.failed:
        saved = _save_failure_artifacts(item)
        if saved:
            report.sections.append(("browser failure artifacts", "\n".join(saved)))
    return report


def _save_failure_artifacts(item: pytest.Item) -> list[str]:
    try:
        from playwright.sync_api import Page
    except ImportError:
        return []
    funcargs: dict[str, Any] = getattr(item, "funcargs", {})
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid).strip("_")[:150]
    saved: list[str] = []
    for name, value in funcargs.items():
        if not isinstance(value, Page) or value.is_closed():
            continue
        FAILURE_DIR.mkdir(parents=True, exist_ok=True)
        base = FAILURE_DIR / f"{stem}-{name}"
        try:
            value.screenshot(path=f"{base}.png", full_page=True, timeout=5_000)
            saved.append(f"{name}: {base}.png ({value.url})")
            Path(f"{base}.html").write_text(value.content(), encoding="utf-8")
            saved.append(f"{name}: {base}.html")
        except Exception as exc:  # noqa: BLE001 - a broken page must not mask the real failure
            saved.append(f"{name}: could not save artifacts: {exc}")
    return saved
