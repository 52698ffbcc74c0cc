"""Browser tests of the managers' console: Debian's Chromium driven by Playwright for Python against pytest-django's
live server (issue 11 §3). Screenshots of every page visited go to var/screenshots/ (CREWDESK_VAR_DIR).

Chromium is the system one (`apt-get install chromium`; CHROMIUM_PATH to use another); Playwright never downloads a
browser here. Without it these tests are skipped with the reason printed — .ci/run installs it, `make test` says so.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_missing() -> str | None:
    """Why the browser tests cannot run here (None when they can)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -r requirements-dev.txt)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium chromium-driver, or set CHROMIUM_PATH)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = browser_missing()
    if reason is None:
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


@pytest.fixture(scope="module")
def chromium():
    """One browser per module. Playwright's sync API runs an event loop in this thread while it is open, so Django
    is told the tests' own (synchronous) ORM calls are fine — only here, and undone when the module ends, so no
    other test or subprocess (e.g. `check --deploy`, which refuses the variable) inherits it."""
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            yield browser
            browser.close()


@pytest.fixture
def screenshots():
    """shoot(page, name): a full-page PNG under var/screenshots/, the test artifacts a person looks at."""
    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot


@pytest.fixture
def new_page(chromium):
    """A fresh browser context (its own cookies) per call: one per person in the scenario."""
    contexts = []

    def make():
        context = chromium.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
