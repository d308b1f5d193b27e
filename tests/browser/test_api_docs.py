"""The API's documentation page (/api/v1/docs, ninja's Swagger UI): it loads and shows
the operations from the site's own files alone, with nothing fetched from elsewhere,
under the site's Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_axe_violations

pytestmark = pytest.mark.browser


def open_docs(page, live_site):
    page.goto(live_site + "/api/v1/docs")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    return page


def test_the_docs_need_nothing_from_another_host(live_site, browser_page, outside_requests):
    page = open_docs(browser_page, live_site)

    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/bookings/{reference}/cancel" in [path.strip() for path in paths]
    expect(page.locator(".authorize")).to_be_visible()  # the partner key's scheme
    assert outside_requests == []


def test_the_docs_break_nothing_in_the_sites_policy(live_site, strict_page):
    page, seen = strict_page
    open_docs(page, live_site)
    page.check_violations("docs")

    assert not seen, seen


def test_the_docs_pass_axe_with_an_operation_open(live_site, browser_page):
    """Swagger UI's markup is not ours; our template gives the page its language, its
    stylesheet darkens the colours, and deep links (a link inside each operation's
    button) are off. What remains would be Swagger UI's."""
    page = open_docs(browser_page, live_site)
    assert_no_axe_violations(page)

    page.locator(".opblock-post .opblock-summary-control").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    assert_no_axe_violations(page)
