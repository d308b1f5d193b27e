"""The staff's pages of event registrations in Chromium, on the demo (Adopte un pro's
first session full, with a seat offered and someone waiting): each passes axe (WCAG 2.1
AA) on a 375 px phone and a computer, and the check-in works by keyboard."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from booking.models import EventDate, Registration
from tests.browser.axe import axe_check, describe_violations
from tests.browser.pages import COMPUTER
from tests.browser.test_front_desk import sign_in

pytestmark = pytest.mark.browser
SMALL_PHONE = {"width": 375, "height": 740}


def url(name, *args):
    return reverse(f"booking_registrations:{name}", args=args)


def full_date():
    return EventDate.objects.get(event__slug="adopte-un-pro", registrations__status="offered")


def test_the_registration_pages_pass_axe(live_site, browser_page):
    date = full_date()
    sign_in(browser_page, live_site, "responsable-lens")
    pages = [
        url("index"),
        f"{url('index')}?when=past",
        url("date", date.pk),
        url("add", date.pk),
        url("message", date.pk),
        url("check_in", date.pk),
        f"{url('check_in', date.pk)}?q=zz",
    ]
    violations = {}
    for viewport in (SMALL_PHONE, COMPUTER):
        browser_page.set_viewport_size(viewport)
        for path in pages:
            response = browser_page.goto(live_site + path)
            assert response.status == 200, path
            if found := axe_check(browser_page):
                violations[f"{path} ({viewport['width']} px wide)"] = found
    assert not violations, describe_violations(violations)


def test_the_check_in_works_by_keyboard_on_a_phone(live_site, browser_page):
    date = full_date()
    sign_in(browser_page, live_site, "responsable-lens")
    browser_page.set_viewport_size(SMALL_PHONE)
    browser_page.goto(live_site + url("check_in", date.pk))

    browser_page.locator("#check-in-search").focus()
    browser_page.keyboard.type("Amina")
    browser_page.keyboard.press("Enter")
    present = browser_page.get_by_role("button", name="Présent Amina")
    expect(present).to_be_visible()
    box = present.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, "a thumb's target"
    present.focus()
    browser_page.keyboard.press("Enter")

    expect(browser_page.get_by_role("button", name="Annuler Amina")).to_be_visible()
    amina = Registration.objects.get(date=date, young_person__first_name="Amina")
    assert amina.status == Registration.Status.ATTENDED
