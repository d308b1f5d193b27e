"""Every public page works under the site's strict Content-Security-Policy: Chromium,
enforcing it as a visitor's browser does, reports no violation on any page of the
sitemap, the search, the 404 page or any step of booking and cancelling."""

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from booking import demo
from tests.browser.pages import a_word_of_the_home_page, sitemap_urls

pytestmark = pytest.mark.browser


def test_the_browser_reports_what_the_policy_blocks(live_site, strict_page):
    """Guards the test below against passing because the policy was not enforced."""
    page, seen = strict_page
    page.goto(live_site + "/")
    page.evaluate(
        "const image = document.createElement('img');"
        "image.src = 'https://tracker.example.org/pixel.png';"
        "document.body.append(image)"
    )
    page.wait_for_function("window.cspViolations.length > 0")
    page.check_violations("home")
    report, console_error = seen["home"]
    assert report == "img-src https://tracker.example.org/pixel.png"
    assert "violates the following Content Security Policy directive" in console_error


def choose_first(page, name):
    page.locator(f'input[type="radio"][name="{name}"]').first.check()


def submit(page):
    with page.expect_navigation():
        page.locator('button[type="submit"]').first.click()


def test_no_public_page_breaks_the_policy(live_site, strict_page):
    page, seen = strict_page
    word = a_word_of_the_home_page()
    urls = [
        *sitemap_urls(page, live_site),
        f"{live_site}/recherche/?{urlencode({'q': word})}",
        f"{live_site}/recherche/?{urlencode({'q': 'xylophone'})}",
        f"{live_site}/cette-page-n-existe-pas/",
    ]
    for url in urls:
        page.goto(url)
        page.check_violations(url)

    demo.load()
    page.goto(live_site + "/rendez-vous/")
    submit(page)  # nothing chosen: the error summary
    page.check_violations("booking: error")
    for step in ("conseiller", "format", "lieu", "creneau"):
        if step == "lieu" and page.locator('input[name="premiere"]').count():
            choose_first(page, "premiere")
        choose_first(page, step)
        submit(page)
        page.check_violations(f"booking: after {step}")
    page.fill("#id_first_name", "Léa")
    page.fill("#id_email", "lea@example.org")
    page.check("#id_consent")
    submit(page)
    expect(page.locator("h1")).to_contain_text("Léa")
    page.check_violations("booking: confirmation")
    for link in ('a[href*="/gerer/"]:not([href$=".ics"])', 'a[href$="/annuler/"]'):
        with page.expect_navigation():
            page.locator(link).first.click()
        page.check_violations(f"booking: {link}")
    submit(page)
    expect(page.locator(".messages")).to_be_visible()
    page.check_violations("booking: cancelled")

    assert not seen, "\n".join(f"{label}: {found}" for label, found in seen.items())


def test_an_editor_browsing_the_site_with_wagtails_bar_breaks_nothing(live_site, strict_page):
    """Signed-in editors get Wagtail's user bar (its scripts and styles) on every page."""
    page, seen = strict_page
    page.goto(live_site + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "passerelle-demo")
    submit(page)
    urls = sitemap_urls(page, live_site)
    for url in urls:
        page.goto(url)
        page.locator("#wagtail-userbar-trigger").click()  # opens its menu
        expect(page.locator("#wagtail-userbar-items")).to_be_visible()
        page.check_violations(url)

    assert not seen, "\n".join(f"{label}: {found}" for label, found in seen.items())
