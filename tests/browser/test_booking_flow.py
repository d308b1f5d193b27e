"""Booking an appointment with the keyboard only (Tab, Space, Enter, typing), on a phone-
sized Chromium, with axe finding nothing on any step, error state included."""

import pytest
from playwright.sync_api import expect

from booking import demo
from booking.models import Booking

from .axe import assert_no_axe_violations

pytestmark = pytest.mark.browser

MAX_TABS = 60


def tab_to(page, selector):
    """Press Tab until the focused element matches `selector`."""
    for _press in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} never got the focus with Tab")


def choose_first(page, name):
    """Tab into a radio group (focus lands on its first radio) and tick it with Space."""
    tab_to(page, f'input[type="radio"][name="{name}"]')
    page.keyboard.press("Space")
    expect(page.locator(":focus")).to_be_checked()


def submit(page):
    tab_to(page, 'button[type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_book_by_keyboard_only_with_no_axe_violation(live_site, browser_page):
    demo.load()
    page = browser_page
    page.goto(live_site + "/rendez-vous/")
    expect(page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(page)

    # Sending the first step without choosing: an error, announced and linked.
    submit(page)
    expect(page.locator(".error-summary[role=alert]")).to_be_visible()
    expect(page.locator("#conseiller-error")).to_be_visible()
    assert_no_axe_violations(page)

    choose_first(page, "conseiller")  # the first person available
    submit(page)
    expect(page.locator(".booking-progress")).to_contain_text("2")
    assert_no_axe_violations(page)

    choose_first(page, "format")
    submit(page)
    assert_no_axe_violations(page)

    if page.locator('input[name="premiere"]').count():
        choose_first(page, "premiere")  # yes, a first meeting
    choose_first(page, "lieu")
    submit(page)
    expect(page.locator('input[name="creneau"]').first).to_be_visible()
    assert_no_axe_violations(page)

    choose_first(page, "creneau")
    submit(page)
    assert_no_axe_violations(page)

    tab_to(page, "#id_first_name")
    page.keyboard.type("Léa")
    tab_to(page, "#id_email")
    page.keyboard.type("lea@example.org")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    submit(page)

    expect(page.locator("h1")).to_contain_text("Léa")
    assert_no_axe_violations(page)
    booking = Booking.objects.get(source=Booking.Source.WEB)  # the demo has others
    assert booking.young_person.email == "lea@example.org"

    # The link to change it: cancelling works by keyboard too (a POST, with its CSRF check).
    for link in ('a[href*="/gerer/"]:not([href$=".ics"])', 'a[href$="/annuler/"]'):
        tab_to(page, link)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator("h1")).to_have_count(1)
        assert_no_axe_violations(page)
    submit(page)
    expect(page.locator(".messages")).to_be_visible()
    assert_no_axe_violations(page)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_PERSON


def test_the_answer_by_e_mail_page_has_no_axe_violation(live_site, browser_page):
    """What everyone sees when the outcome of their request goes by e-mail."""
    demo.load()
    browser_page.goto(live_site + "/rendez-vous/demande-envoyee/")
    expect(browser_page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(browser_page)
