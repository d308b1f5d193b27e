"""A real Chromium driving the demo site served by Django's live server.

One browser and one context for the whole run (starting Chromium costs seconds; a page
costs milliseconds); each test gets a fresh page and no cookies from the one before.
Debian's Chromium is used, never a browser Playwright would download.

Every test here runs against a freshly loaded demo site; put browser tests of other
features (the booking flow...) in this folder to get these fixtures.
"""

import io
import os
import shutil
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import sync_playwright
from wagtail.models import Site

from tests.browser.axe import AXE_SCRIPT
from tests.browser.pages import PHONE
from tests.support import missing

# Playwright's sync API keeps an asyncio loop running in this thread, which Django would
# otherwise take for async code and refuse database access from.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# An IPv4 address, so Chromium does not try "localhost" over IPv6 first.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def chromium_executable():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        missing("Chromium not found: install the Debian package chromium (make test does)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_executable):
    # Once started, Playwright marks its event loop as running in this thread, and Django
    # then looks its database connections up per asyncio context: without this, the tests
    # would open new connections that the live server and the test database setup
    # (serialized rollback) do not know about.
    thread_connections = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, connection in thread_connections.items():
        connections[alias] = connection
    browser = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def browser_context(browser):
    context = browser.new_context(
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport=PHONE,
        # The audit script is added inline; a strict Content-Security-Policy must not stop it.
        bypass_csp=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    if AXE_SCRIPT.is_file():
        # Sent to Chromium once, ready in every page: twice as fast as adding it to each.
        context.add_init_script(path=AXE_SCRIPT)
    yield context
    context.close()


@pytest.fixture
def outside_requests():
    """URLs a page tried to fetch from another host (blocked): a CDN, a tracker, a font."""
    return []


@pytest.fixture
def browser_page(browser_context, outside_requests):
    page = browser_context.new_page()

    def block_outside(route):
        if urlsplit(route.request.url).hostname in {"127.0.0.1", "localhost"}:
            route.continue_()
        else:
            outside_requests.append(route.request.url)
            route.abort()

    page.route("http*://**", block_outside)
    yield page
    page.close()
    browser_context.clear_cookies()


@pytest.fixture
def live_site(live_server, django_db_serialized_rollback, settings, tmp_path):
    """The demo site on the live server, its Site pointing there so that absolute URLs
    (sitemap, canonical links) lead back to it. Returns the server's base URL.

    Tests using the live server are transactional: the database is emptied after each
    one, and Wagtail's initial pages (restored by serialized rollback) come back before.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    address = urlsplit(live_server.url)
    site.hostname, site.port = address.hostname, address.port
    site.save()
    cache.clear()
    return live_server.url


# Added by Playwright before any page script, and not subject to the page's policy.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def strict_page(browser):
    """A page whose browser enforces the policy (the shared context bypasses it for axe),
    and the violations seen: the page's own reports, and console errors about a policy."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if message.type == "error" and "polic" in message.text.lower()
            else None
        ),
    )
    seen = {}

    def check(label):
        found = page.evaluate("window.cspViolations") + console
        console.clear()
        if found:
            seen[label] = found

    page.check_violations = check
    yield page, seen
    context.close()
