"""Booking by keyboard with a phone number only: the confirmation arrives by SMS (the
test outbox), its short link opens the appointment, and the reminder's page answers
"I'm coming", stops text messages and cancels, by keyboard, axe finding nothing."""

import pytest
from playwright.sync_api import expect

from booking import demo
from booking.models import Booking
from booking.services.tokens import short_url
from core import sms

from .axe import assert_no_axe_violations
from .test_booking_flow import choose_first, submit, tab_to

pytestmark = pytest.mark.browser


def press(page, selector):
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_book_with_a_phone_number_and_answer_the_reminder_by_keyboard(live_site, browser_page):
    demo.load()
    page = browser_page
    page.goto(live_site + "/rendez-vous/")
    choose_first(page, "conseiller")
    submit(page)
    choose_first(page, "format")
    submit(page)
    if page.locator('input[name="premiere"]').count():
        choose_first(page, "premiere")
    choose_first(page, "lieu")
    submit(page)
    choose_first(page, "creneau")
    submit(page)
    tab_to(page, "#id_first_name")
    page.keyboard.type("Léa")
    tab_to(page, "#id_phone")
    page.keyboard.type("07 81 23 45 67")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    submit(page)

    expect(page.locator("h1")).to_contain_text("Léa")
    assert_no_axe_violations(page)
    [message] = sms.outbox
    assert message.to == "+33781234567" and sms.gsm7.fits_one_segment(message.text)
    booking = Booking.objects.get(source=Booking.Source.WEB)  # the demo has others

    # The SMS's link, as the phone opens it: the appointment.
    page.goto(live_site + "/r/" + message.text.rsplit("/r/", 1)[1])
    expect(page.locator("h1")).to_have_count(1)
    assert "/gerer/" in page.url
    assert_no_axe_violations(page)

    # The reminder's link: both answers first.
    page.goto(live_site + "/r/" + short_url(booking, reminder=True).rsplit("/r/", 1)[1])
    assert_no_axe_violations(page)
    press(page, 'form[action$="/je-viens/"] button')
    expect(page.locator(".messages")).to_be_visible()
    assert_no_axe_violations(page)
    booking.refresh_from_db()
    assert booking.attendance_confirmed_at is not None

    press(page, 'form[action$="/sans-sms/"] button')
    assert_no_axe_violations(page)
    booking.young_person.refresh_from_db()
    assert booking.young_person.sms_stopped_at is not None

    page.goto(live_site + "/r/" + short_url(booking, reminder=True).rsplit("/r/", 1)[1])
    press(page, 'form[action$="/annuler/"] button')
    assert_no_axe_violations(page)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_PERSON
    assert len(sms.outbox) == 1, "no SMS after the stop: not even the cancellation"
