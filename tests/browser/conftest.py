"""The browser-test harness: Debian's chromium driven by Playwright's sync API against
pytest-django's live server, with axe-core for accessibility and helpers for keyboard-only use.

Without /usr/bin/chromium the browser tests skip with a plain reason, unless HUB_REQUIRE_BROWSER=1
(CI), which turns the skip into a failure so that a missing browser cannot pass unnoticed.
"""

import os
from pathlib import Path

import pytest

from tests.learning.conftest import make_action  # noqa: F401
from tests.training.conftest import (  # noqa: F401
    course_list,
    make_course,
    make_person,
    make_session,
)

from . import helpers

# Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls from a
# thread with a running loop unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _browser_unavailable_reason() -> str | None:
    if not CHROMIUM.exists():
        return "chromium not installed: browser tests skipped"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright not installed: browser tests skipped"
    return None


def require_browser() -> None:
    """Skip the test if there is no browser to drive, or fail it if CI said there must be one."""
    reason = _browser_unavailable_reason()
    if reason:
        if os.environ.get("HUB_REQUIRE_BROWSER") == "1":
            pytest.fail(f"HUB_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    require_browser()
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # While Playwright runs, the test code runs in another contextvars context, and Django keeps
    # its connections per context: the tests get fresh connection objects that lack the test
    # database's serialized contents, so serialized rollback would silently restore nothing.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            if not hasattr(connections[alias], "_test_serialized_contents"):
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Close this context's connections while it is still current, so that none is left
        # open when pytest-django drops the test database.
        connections.close_all()


@pytest.fixture
def hub(live_server, django_db_serialized_rollback):
    """The live Hub, with the data the migrations made (home page, site, roles, themes) restored
    before each test: a live-server test flushes the database when it ends."""
    return live_server


@pytest.fixture
def page(browser, hub):
    """A fresh browser tab with its own cookies, whose relative URLs go to the live Hub."""
    context = browser.new_context(
        base_url=hub.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def sign_in():
    """`sign_in(page, username)` signs in with the demo password (see tests/conftest.py `world`)."""
    return helpers.sign_in


@pytest.fixture
def assert_accessible():
    """`assert_accessible(page)` fails listing every axe-core violation of WCAG 2.x A/AA."""
    return helpers.assert_accessible


@pytest.fixture
def tab_to():
    """`tab_to(page, name)` presses Tab until `name` has focus, as a keyboard user would."""
    return helpers.tab_to
