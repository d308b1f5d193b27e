"""Registering for an event by keyboard on a phone, joining its waiting list when it is
full, then taking the seat offered from the link of the e-mail in the test outbox:
every page passes axe. With an e-mail address, the page after the form is the same
for everyone; the outcome and the manage link come by e-mail."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from booking.models import Registration
from events.models import EventPage

from .axe import assert_no_axe_violations
from .test_booking_flow import submit, tab_to

pytestmark = pytest.mark.browser


def press(page, selector):
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def register_by_keyboard(page, event_url, name):
    page.goto(event_url)
    assert_no_axe_violations(page)
    press(page, 'a[href*="/rendez-vous/inscription/"]')
    expect(page.locator("h1")).to_contain_text("S’inscrire")
    assert_no_axe_violations(page)
    tab_to(page, "#id_first_name")
    page.keyboard.type(name)
    tab_to(page, "#id_email")
    page.keyboard.type(f"{name.lower()}@example.org")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    submit(page)
    expect(page.locator("h1")).to_contain_text(f"Merci, {name}")
    assert_no_axe_violations(page)
    [message] = [
        message for message in mail.outbox if message.to == [f"{name.lower()}@example.org"]
    ]
    return message


def link_in(message):
    return re.search(r"http://\S+/inscription/gerer/\S+", message.body).group(0)


def test_register_wait_and_take_the_offered_seat_by_keyboard(live_site, browser_page):
    event = EventPage.objects.get(title="Journée sport et emploi")
    event.registrations_open, event.onsite_capacity = True, 1
    event.save()
    page = browser_page
    event_url = event.get_full_url()

    mail.outbox.clear()
    confirmed = register_by_keyboard(page, event_url, "Lea")
    assert "est confirmée" in confirmed.subject
    lea_manage = link_in(confirmed)

    page.context.clear_cookies()
    waiting = register_by_keyboard(page, event_url, "Sami")
    assert "liste d’attente" in waiting.subject
    page.goto(lea_manage)
    expect(page.locator(".notice--success")).to_be_visible()
    page.goto(event_url)
    expect(page.locator(".registration-seats")).to_contain_text("Complet — liste d’attente")

    # Léa cancels from her page: the seat is offered to Sami at once, by e-mail.
    mail.outbox.clear()
    page.goto(lea_manage)
    press(page, 'form[action$="/annuler/"] button')
    assert_no_axe_violations(page)
    [offer] = [message for message in mail.outbox if message.to == ["sami@example.org"]]
    link = link_in(offer)

    page.goto(link)
    expect(page.locator("#offer-title")).to_be_visible()
    assert_no_axe_violations(page)
    press(page, 'form[action$="/prendre/"] button')
    expect(page.locator(".messages")).to_contain_text("la place est à toi")
    assert_no_axe_violations(page)
    statuses = dict(
        Registration.objects.filter(date__event=event).values_list(
            "young_person__first_name", "status"
        )
    )
    assert statuses == {"Lea": "cancelled_by_person", "Sami": "confirmed"}

    # The same link again: the offer is used, no button takes a seat twice.
    page.goto(link)
    expect(page.locator('form[action$="/prendre/"]')).to_have_count(0)
