"""A full group session in the booking flow, by keyboard on a phone: its waiting list
joined, a seat freed, the offer taken from the link of the e-mail in the test outbox,
the booking it became shown; every page passes axe."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from booking import services
from booking.models import Booking, GroupSession
from structures.models import Structure

from .axe import assert_no_axe_violations
from .test_booking_flow import submit, tab_to
from .test_registrations import link_in, press

pytestmark = pytest.mark.browser


def test_join_a_full_sessions_list_and_take_the_freed_seat_by_keyboard(live_site, browser_page):
    session = (
        GroupSession.objects.filter(
            format__structure=Structure.default(), start__gt=timezone.now() + timedelta(days=2)
        )
        .select_related("format", "counsellor")
        .order_by("start")
        .first()
    )
    session.capacity = 1
    session.save()
    ana = services.book(
        group_session=session, first_name="Ana", email="ana@example.org", consent=True
    )
    page = browser_page
    week = timezone.localdate(session.start).isoformat()
    query = {"conseiller": session.counsellor.slug, "format": session.format.slug, "semaine": week}
    page.goto(f"{live_site}/rendez-vous/?{urlencode(query)}")
    expect(page.locator(".booking-time--full")).to_contain_text("Complet")
    assert_no_axe_violations(page)

    press(page, f'a[href$="/groupe/{session.pk}/liste-d-attente/"]')
    expect(page.locator("h1")).to_contain_text("Liste d’attente")
    assert_no_axe_violations(page)
    tab_to(page, "#id_first_name")
    page.keyboard.type("Sami")
    tab_to(page, "#id_email")
    page.keyboard.type("sami@example.org")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    mail.outbox.clear()
    submit(page)
    expect(page.locator("h1")).to_contain_text("Merci, Sami")
    assert_no_axe_violations(page)
    [waiting] = [message for message in mail.outbox if message.to == ["sami@example.org"]]
    assert "liste d’attente" in waiting.subject

    # Ana's seat frees: it is offered to Sami at once, by e-mail.
    mail.outbox.clear()
    services.cancel(ana, by="staff")
    [offer] = [message for message in mail.outbox if message.to == ["sami@example.org"]]
    page.goto(link_in(offer))
    expect(page.locator("#offer-title")).to_be_visible()
    assert_no_axe_violations(page)
    press(page, 'form[action$="/prendre/"] button')
    expect(page.locator(".messages")).to_be_visible()
    assert_no_axe_violations(page)
    booking = Booking.objects.get(young_person__email="sami@example.org")
    assert (booking.group_session, booking.status) == (session, Booking.Status.CONFIRMED)
    assert "/rendez-vous/gerer/" in page.url
