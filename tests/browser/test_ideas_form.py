"""The ideas form in a real Chromium: usable by keyboard, and still accessible with errors."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_keyboard_users_never_land_in_the_robots_field(live_site, browser_page):
    browser_page.goto(live_site + "/vos-idees/")
    browser_page.get_by_label("Ton idée").focus()
    reached = []
    while len(reached) < 10 and "submit" not in reached:
        browser_page.keyboard.press("Tab")
        reached.append(
            browser_page.evaluate(
                "() => document.activeElement.name || document.activeElement.type"
            )
        )
    assert "submit" in reached, f"Tab never reached the send button: {reached}"
    assert "website" not in reached


def test_a_form_sent_empty_lists_its_errors_accessibly(live_site, browser_page):
    browser_page.goto(live_site + "/vos-idees/")
    browser_page.get_by_role("button").last.click()
    summary = browser_page.get_by_role("alert")
    expect(summary).to_be_visible()
    summary.get_by_role("link").first.click()
    expect(browser_page.get_by_label("Ton idée")).to_be_focused()
    assert_no_axe_violations(browser_page)


def test_a_sent_idea_reaches_the_thank_you_page(live_site, browser_page):
    browser_page.goto(live_site + "/vos-idees/")
    browser_page.get_by_label("Ton idée").fill("Un tournoi de ping-pong avec des recruteurs")
    browser_page.get_by_role("button").last.click()
    expect(browser_page.get_by_role("heading", level=1)).to_be_visible()
    assert "Un tournoi" not in browser_page.content()
    assert_no_axe_violations(browser_page)
